"""The DeviceService servicer: the proto's methods, each translating a request into a handler call
(database work off the event loop, common.unit_of_work.in_thread) and its result into a response."""

from __future__ import annotations

from google.protobuf.message import Message
from grpc import aio
from remotesignout.device.v1 import device_pb2 as pb
from remotesignout.device.v1 import device_pb2_grpc

from common.permissions import caller
from common.unit_of_work import in_thread
from device_service.bootstrap import Dependencies
from device_service.entrypoints import convert
from device_service.service_layer import activity, devices, downloads, removal, revocations

Context = aio.ServicerContext[Message, Message]


class DeviceServicer(device_pb2_grpc.DeviceServiceServicer):
    def __init__(self, deps: Dependencies) -> None:
        self.deps = deps

    async def RegisterDevice(self, request: pb.RegisterDeviceRequest, context: Context) -> pb.RegisterDeviceResponse:
        device = await in_thread(
            devices.register_device,
            self.deps.uow(),
            self.deps.clock,
            self.deps.locator,
            request.account_id,
            convert.device_details(request),
            request.ip_address,
        )
        return pb.RegisterDeviceResponse(device=convert.device_message(device))

    async def GetDevice(self, request: pb.GetDeviceRequest, context: Context) -> pb.GetDeviceResponse:
        shown = await in_thread(
            devices.show_device,
            self.deps.uow(),
            self.deps.clock,
            request.account_id,
            request.device_id,
            self.deps.usual_location_days,
        )
        return pb.GetDeviceResponse(
            device=convert.device_message(shown.device, request.current_device_id, shown.unusual_location)
        )

    async def ListDevices(self, request: pb.ListDevicesRequest, context: Context) -> pb.ListDevicesResponse:
        page = await in_thread(
            devices.list_devices,
            self.deps.uow(),
            self.deps.clock,
            request.account_id,
            request.page_size,
            request.page_token,
            request.include_inactive,
            self.deps.inactive_days,
            self.deps.usual_location_days,
        )
        return pb.ListDevicesResponse(
            devices=[
                convert.device_message(d, request.current_device_id, d.device_id in page.unusual) for d in page.devices
            ],
            next_page_token=page.next_page_token,
        )

    async def ApplyRevocation(self, request: pb.ApplyRevocationRequest, context: Context) -> pb.ApplyRevocationResponse:
        result = await revocations.deliver_revocation(
            self.deps.uow(), self.deps.clock, self.deps.feed, convert.revocation(request.revocation), caller()
        )
        return pb.ApplyRevocationResponse(
            applied=result.applied,
            signed_out_device_ids=result.signed_out_device_ids,
            already_applied=result.already_applied,
        )

    async def RecordPlayback(self, request: pb.RecordPlaybackRequest, context: Context) -> pb.RecordPlaybackResponse:
        device = await in_thread(
            activity.record_playback,
            self.deps.uow(),
            self.deps.clock,
            self.deps.locator,
            request.account_id,
            request.device_id,
            request.profile_name,
            request.title,
            request.ip_address,
        )
        return pb.RecordPlaybackResponse(device=convert.device_message(device))

    async def ListViewingActivity(
        self, request: pb.ListViewingActivityRequest, context: Context
    ) -> pb.ListViewingActivityResponse:
        entries, token = await in_thread(
            activity.list_viewing_activity,
            self.deps.uow(),
            request.account_id,
            request.profile_name,
            request.page_size,
            request.page_token,
        )
        return pb.ListViewingActivityResponse(
            activities=[convert.viewing_message(e) for e in entries], next_page_token=token
        )

    async def ListStreamingActivity(
        self, request: pb.ListStreamingActivityRequest, context: Context
    ) -> pb.ListStreamingActivityResponse:
        entries, token = await in_thread(
            activity.list_streaming_activity,
            self.deps.uow(),
            request.account_id,
            request.device_id,
            request.page_size,
            request.page_token,
        )
        return pb.ListStreamingActivityResponse(
            activities=[convert.streaming_message(e) for e in entries], next_page_token=token
        )

    async def RemoveDevice(self, request: pb.RemoveDeviceRequest, context: Context) -> pb.RemoveDeviceResponse:
        device = await in_thread(
            removal.remove_device, self.deps.uow(), self.deps.clock, request.account_id, request.device_id
        )
        return pb.RemoveDeviceResponse(device=convert.device_message(device))

    async def AllowDevice(self, request: pb.AllowDeviceRequest, context: Context) -> pb.AllowDeviceResponse:
        device = await in_thread(removal.allow_device, self.deps.uow(), request.account_id, request.device_id)
        return pb.AllowDeviceResponse(device=convert.device_message(device))

    async def RecordDownload(self, request: pb.RecordDownloadRequest, context: Context) -> pb.RecordDownloadResponse:
        download = await in_thread(
            downloads.record_download,
            self.deps.uow(),
            self.deps.clock,
            request.account_id,
            request.device_id,
            request.profile_name,
            request.title,
        )
        return pb.RecordDownloadResponse(download=convert.download_message(download))

    async def ListDownloads(self, request: pb.ListDownloadsRequest, context: Context) -> pb.ListDownloadsResponse:
        found, token = await in_thread(
            downloads.list_downloads,
            self.deps.uow(),
            request.account_id,
            request.device_id,
            request.page_size,
            request.page_token,
        )
        return pb.ListDownloadsResponse(downloads=[convert.download_message(d) for d in found], next_page_token=token)

    async def CheckDownloadLicense(
        self, request: pb.CheckDownloadLicenseRequest, context: Context
    ) -> pb.CheckDownloadLicenseResponse:
        download, check = await in_thread(
            downloads.check_download_license, self.deps.uow(), request.account_id, request.download_id
        )
        return pb.CheckDownloadLicenseResponse(
            valid=check.valid, reason=check.reason, download=convert.download_message(download)
        )
