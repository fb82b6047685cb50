"""The gateway's client of device_service. Every call has a deadline."""

from __future__ import annotations

from grpc import aio
from remotesignout.device.v1 import device_pb2, device_pb2_grpc

from gateway.adapters.convert import device_from_proto, revocation_to_proto
from gateway.domain import model
from gateway.domain.requests import PageRequest


class DeviceClient:
    def __init__(self, channel: aio.Channel, timeout: float) -> None:
        self._stub = device_pb2_grpc.DeviceServiceStub(channel)
        self._timeout = timeout

    async def get_device(self, caller: model.Caller, device_id: str) -> model.Device:
        response = await self._stub.GetDevice(
            device_pb2.GetDeviceRequest(
                account_id=caller.account_id, device_id=device_id, current_device_id=caller.device_id
            ),
            timeout=self._timeout,
        )
        return device_from_proto(response.device)

    async def list_devices(self, caller: model.Caller, page: PageRequest) -> model.DevicePage:
        response = await self._stub.ListDevices(
            device_pb2.ListDevicesRequest(
                account_id=caller.account_id,
                current_device_id=caller.device_id,
                page_size=page.page_size,
                page_token=page.page_token,
            ),
            timeout=self._timeout,
        )
        return model.DevicePage([device_from_proto(d) for d in response.devices], response.next_page_token)

    async def apply_revocation(self, revocation: model.Revocation) -> bool:
        response = await self._stub.ApplyRevocation(
            device_pb2.ApplyRevocationRequest(revocation=revocation_to_proto(revocation)), timeout=self._timeout
        )
        return response.applied
