"""The DeviceService servicer: proto in, use case (off the event loop), proto out."""

from __future__ import annotations

import asyncio

from grpc import aio
from remotesignout.device.v1 import device_pb2, device_pb2_grpc

from common.permissions import caller
from common.revocation_delivery import FeedEntries
from device_service.domain import validation
from device_service.domain.revocation import Revocation
from device_service.entrypoints.translate import (
    device_message,
    download_message,
    revocation_from,
    streaming_message,
    viewing_message,
)
from device_service.service_layer import activity, devices, downloads, removal, revocations
from device_service.service_layer.dependencies import Dependencies

SERVICE_NAME = device_pb2.DESCRIPTOR.services_by_name["DeviceService"].full_name


class DeviceServicer(device_pb2_grpc.DeviceServiceServicer):
    """`feed` looks entries up in auth_service's feed, to check ApplyRevocation calls
    from any caller other than auth_service."""

    def __init__(self, deps: Dependencies, feed: FeedEntries[Revocation]) -> None:
        self.deps = deps
        self.feed = feed

    async def RegisterDevice(
        self, request: device_pb2.RegisterDeviceRequest, context: aio.ServicerContext
    ) -> device_pb2.RegisterDeviceResponse:
        details = validation.device_details(
            request.client_id, request.name, request.type, request.platform, request.app_version
        )
        device = await asyncio.to_thread(
            devices.register_device, self.deps, request.account_id, details, request.ip_address
        )
        return device_pb2.RegisterDeviceResponse(device=device_message(device))

    async def GetDevice(
        self, request: device_pb2.GetDeviceRequest, context: aio.ServicerContext
    ) -> device_pb2.GetDeviceResponse:
        device = await asyncio.to_thread(devices.get_device, self.deps, request.account_id, request.device_id)
        return device_pb2.GetDeviceResponse(device=device_message(device, request.current_device_id))

    async def ListDevices(
        self, request: device_pb2.ListDevicesRequest, context: aio.ServicerContext
    ) -> device_pb2.ListDevicesResponse:
        page = await asyncio.to_thread(
            devices.list_devices, self.deps, request.account_id, request.page_size, request.page_token,
            request.include_inactive,
        )
        return device_pb2.ListDevicesResponse(
            devices=[device_message(d, request.current_device_id) for d in page.devices],
            next_page_token=page.next_page_token,
        )

    async def ApplyRevocation(
        self, request: device_pb2.ApplyRevocationRequest, context: aio.ServicerContext
    ) -> device_pb2.ApplyRevocationResponse:
        revocation = revocation_from(request.revocation)
        result = await revocations.deliver_revocation(self.deps, self.feed, revocation, caller())
        return device_pb2.ApplyRevocationResponse(
            applied=result.applied, signed_out_device_ids=result.signed_out_device_ids,
            already_applied=result.already_applied,
        )

    async def RecordPlayback(
        self, request: device_pb2.RecordPlaybackRequest, context: aio.ServicerContext
    ) -> device_pb2.RecordPlaybackResponse:
        device = await asyncio.to_thread(
            activity.record_playback, self.deps, request.account_id, request.device_id,
            request.profile_name, request.title, request.ip_address,
        )
        return device_pb2.RecordPlaybackResponse(device=device_message(device))

    async def ListViewingActivity(
        self, request: device_pb2.ListViewingActivityRequest, context: aio.ServicerContext
    ) -> device_pb2.ListViewingActivityResponse:
        entries, token = await asyncio.to_thread(
            activity.list_viewing_activity, self.deps, request.account_id, request.profile_name,
            request.page_size, request.page_token,
        )
        return device_pb2.ListViewingActivityResponse(
            activities=[viewing_message(e) for e in entries], next_page_token=token
        )

    async def ListStreamingActivity(
        self, request: device_pb2.ListStreamingActivityRequest, context: aio.ServicerContext
    ) -> device_pb2.ListStreamingActivityResponse:
        entries, token = await asyncio.to_thread(
            activity.list_streaming_activity, self.deps, request.account_id, request.device_id,
            request.page_size, request.page_token,
        )
        return device_pb2.ListStreamingActivityResponse(
            activities=[streaming_message(e) for e in entries], next_page_token=token
        )

    async def RemoveDevice(
        self, request: device_pb2.RemoveDeviceRequest, context: aio.ServicerContext
    ) -> device_pb2.RemoveDeviceResponse:
        device = await asyncio.to_thread(removal.remove_device, self.deps, request.account_id, request.device_id)
        return device_pb2.RemoveDeviceResponse(device=device_message(device))

    async def AllowDevice(
        self, request: device_pb2.AllowDeviceRequest, context: aio.ServicerContext
    ) -> device_pb2.AllowDeviceResponse:
        device = await asyncio.to_thread(removal.allow_device, self.deps, request.account_id, request.device_id)
        return device_pb2.AllowDeviceResponse(device=device_message(device))

    async def RecordDownload(
        self, request: device_pb2.RecordDownloadRequest, context: aio.ServicerContext
    ) -> device_pb2.RecordDownloadResponse:
        download = await asyncio.to_thread(
            downloads.record_download, self.deps, request.account_id, request.device_id,
            request.profile_name, request.title,
        )
        return device_pb2.RecordDownloadResponse(download=download_message(download))

    async def ListDownloads(
        self, request: device_pb2.ListDownloadsRequest, context: aio.ServicerContext
    ) -> device_pb2.ListDownloadsResponse:
        found, token = await asyncio.to_thread(
            downloads.list_downloads, self.deps, request.account_id, request.device_id,
            request.page_size, request.page_token,
        )
        return device_pb2.ListDownloadsResponse(downloads=[download_message(d) for d in found], next_page_token=token)

    async def CheckDownloadLicense(
        self, request: device_pb2.CheckDownloadLicenseRequest, context: aio.ServicerContext
    ) -> device_pb2.CheckDownloadLicenseResponse:
        download, check = await asyncio.to_thread(
            downloads.check_download_license, self.deps, request.account_id, request.download_id
        )
        return device_pb2.CheckDownloadLicenseResponse(
            valid=check.valid, reason=check.reason, download=download_message(download)
        )
