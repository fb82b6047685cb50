"""The gateway's client of device_service. Every call has a deadline."""

from __future__ import annotations

from grpc import aio
from remotesignout.device.v1 import device_pb2, device_pb2_grpc

from gateway.adapters.convert import device_from_proto, revocation_to_proto
from gateway.adapters.convert_activity import (
    download_from_proto,
    streaming_activity_from_proto,
    viewing_activity_from_proto,
)
from gateway.domain import activity, model
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

    async def list_devices(self, caller: model.Caller, page: PageRequest,
                           include_inactive: bool = False) -> model.DevicePage:
        response = await self._stub.ListDevices(
            device_pb2.ListDevicesRequest(
                account_id=caller.account_id,
                current_device_id=caller.device_id,
                page_size=page.page_size,
                page_token=page.page_token,
                include_inactive=include_inactive,
            ),
            timeout=self._timeout,
        )
        return model.DevicePage([device_from_proto(d) for d in response.devices], response.next_page_token)

    async def apply_revocation(self, revocation: model.Revocation) -> bool:
        response = await self._stub.ApplyRevocation(
            device_pb2.ApplyRevocationRequest(revocation=revocation_to_proto(revocation)), timeout=self._timeout
        )
        return response.applied

    async def remove_device(self, caller: model.Caller, device_id: str) -> model.Device:
        response = await self._stub.RemoveDevice(
            device_pb2.RemoveDeviceRequest(account_id=caller.account_id, device_id=device_id), timeout=self._timeout
        )
        return device_from_proto(response.device)

    async def allow_device(self, caller: model.Caller, device_id: str) -> model.Device:
        response = await self._stub.AllowDevice(
            device_pb2.AllowDeviceRequest(account_id=caller.account_id, device_id=device_id), timeout=self._timeout
        )
        return device_from_proto(response.device)

    async def record_playback(self, caller: model.Caller, profile_name: str, title: str,
                              ip_address: str) -> model.Device:
        response = await self._stub.RecordPlayback(
            device_pb2.RecordPlaybackRequest(
                account_id=caller.account_id, device_id=caller.device_id, profile_name=profile_name, title=title,
                ip_address=ip_address,
            ),
            timeout=self._timeout,
        )
        return device_from_proto(response.device)

    async def list_streaming_activity(self, caller: model.Caller, device_id: str,
                                      page: PageRequest) -> activity.StreamingActivityPage:
        response = await self._stub.ListStreamingActivity(
            device_pb2.ListStreamingActivityRequest(
                account_id=caller.account_id, device_id=device_id, page_size=page.page_size,
                page_token=page.page_token,
            ),
            timeout=self._timeout,
        )
        return activity.StreamingActivityPage(
            [streaming_activity_from_proto(a) for a in response.activities], response.next_page_token
        )

    async def list_viewing_activity(self, caller: model.Caller, profile_name: str,
                                    page: PageRequest) -> activity.ViewingActivityPage:
        response = await self._stub.ListViewingActivity(
            device_pb2.ListViewingActivityRequest(
                account_id=caller.account_id, profile_name=profile_name, page_size=page.page_size,
                page_token=page.page_token,
            ),
            timeout=self._timeout,
        )
        return activity.ViewingActivityPage(
            [viewing_activity_from_proto(a) for a in response.activities], response.next_page_token
        )

    async def record_download(self, caller: model.Caller, profile_name: str, title: str) -> activity.Download:
        response = await self._stub.RecordDownload(
            device_pb2.RecordDownloadRequest(
                account_id=caller.account_id, device_id=caller.device_id, profile_name=profile_name, title=title
            ),
            timeout=self._timeout,
        )
        return download_from_proto(response.download)

    async def list_downloads(self, caller: model.Caller, page: PageRequest) -> activity.DownloadPage:
        response = await self._stub.ListDownloads(
            device_pb2.ListDownloadsRequest(
                account_id=caller.account_id, device_id=caller.device_id, page_size=page.page_size,
                page_token=page.page_token,
            ),
            timeout=self._timeout,
        )
        return activity.DownloadPage([download_from_proto(d) for d in response.downloads], response.next_page_token)

    async def check_download_license(self, caller: model.Caller, download_id: str) -> activity.DownloadLicense:
        response = await self._stub.CheckDownloadLicense(
            device_pb2.CheckDownloadLicenseRequest(account_id=caller.account_id, download_id=download_id),
            timeout=self._timeout,
        )
        return activity.DownloadLicense(response.valid, response.reason, download_from_proto(response.download))
