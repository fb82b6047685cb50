"""device_service as sign-in uses it, over gRPC with a deadline."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import grpc
from grpc import aio
from remotesignout.device.v1 import device_pb2, device_pb2_grpc

from auth_service.domain.model import DeviceInfo
from auth_service.service_layer.ports import DeviceRegistry
from common.errors import InvalidArgument, PermissionDenied, Unavailable
from common.grpc_errors import REASON_KEY

UNAVAILABLE = "Signing in is unavailable right now. Try again in a moment."


class _RegisterDevice(Protocol):
    def __call__(
        self, request: device_pb2.RegisterDeviceRequest, *, timeout: float
    ) -> Awaitable[device_pb2.RegisterDeviceResponse]: ...


# The generated stub module has no type annotations: name what this adapter uses of it.
_stub: Callable[[aio.Channel], Any] = device_pb2_grpc.DeviceServiceStub


class GrpcDeviceRegistry(DeviceRegistry):
    def __init__(self, channel: aio.Channel, timeout_seconds: float) -> None:
        self.register_device: _RegisterDevice = _stub(channel).RegisterDevice
        self.timeout = timeout_seconds

    async def register(self, account_id: str, device: DeviceInfo, ip_address: str) -> str:
        request = device_pb2.RegisterDeviceRequest(
            account_id=account_id,
            client_id=device.client_id,
            name=device.name,
            type="DEVICE_TYPE_" + device.type.upper(),
            platform=device.platform,
            app_version=device.app_version,
            ip_address=ip_address,
        )
        try:
            response = await self.register_device(request, timeout=self.timeout)
        except aio.AioRpcError as error:
            reason = dict(error.trailing_metadata() or ()).get(REASON_KEY, "")
            if error.code() == grpc.StatusCode.PERMISSION_DENIED:
                raise PermissionDenied(error.details() or "This device may not sign in.", reason=str(reason)) from error
            if error.code() == grpc.StatusCode.INVALID_ARGUMENT:
                raise InvalidArgument(error.details() or "The device is not valid.", reason=str(reason)) from error
            raise Unavailable(UNAVAILABLE) from error
        return str(response.device.device_id)
