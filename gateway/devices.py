"""The account's devices: the list, one device, its activity, signing it (or all) out, removing it; viewing
activity; this device's downloads."""

from __future__ import annotations

import json
import re

from aiohttp import web
from remotesignout.device.v1 import device_pb2

from gateway import flows, models
from gateway.api import RECENT, SETTINGS, Call, Reply, Routes
from gateway.render import csv_document, render

routes = Routes("devices", "The account's devices, their sign-out and removal, activity and downloads.")


async def _device(call: Call, device_id: str) -> device_pb2.GetDeviceResponse:
    """The caller's device `device_id`; another account's is NOT_FOUND, like an unknown one."""
    found: device_pb2.GetDeviceResponse = await call.backends.device.GetDevice(
        device_pb2.GetDeviceRequest(
            account_id=call.caller.account_id, device_id=device_id, current_device_id=call.caller.device_id
        ),
        timeout=call.timeout,
    )
    return found


@routes.get(
    "/v1/devices",
    "listDevices",
    "The account's devices, most recently seen first.",
    response=models.DevicePage,
    security=SETTINGS,
)
async def list_devices(call: Call, query: models.DeviceListQuery) -> Reply:
    page: device_pb2.ListDevicesResponse = await call.backends.device.ListDevices(
        device_pb2.ListDevicesRequest(
            account_id=call.caller.account_id,
            current_device_id=call.caller.device_id,
            page_size=query.page_size,
            page_token=query.page_token,
            include_inactive=query.include_inactive,
        ),
        timeout=call.timeout,
    )
    return page


@routes.get(
    "/v1/devices/{device_id}",
    "getDevice",
    "One device of the account.",
    response=models.Device,
    security=SETTINGS,
    errors=(404,),
)
async def get_device(call: Call) -> Reply:
    return (await _device(call, call.path("device_id"))).device


@routes.post(
    "/v1/devices/{device_id}/sign-out",
    "signOutDevice",
    "Sign one device out; auth_service revokes durably before the answer.",
    response=models.SignOutResult,
    security=RECENT,
    errors=(404,),
)
async def sign_out_device(call: Call) -> Reply:
    return await flows.sign_out_device(call.backends, call.caller, call.path("device_id"), call.arrived_at)


@routes.post(
    "/v1/sign-out-all",
    "signOutAll",
    "Sign out every device, or every other device.",
    response=models.SignOutResult,
    security=RECENT,
)
async def sign_out_all(call: Call, body: models.SignOutAll) -> Reply:
    return await flows.sign_out_all(call.backends, call.caller, body.include_current, call.arrived_at)


@routes.delete(
    "/v1/devices/{device_id}",
    "removeDevice",
    "Remove a device: banned from signing in again, then "
    "signed out everywhere. 503 if the ban did not take (nothing changed; retry).",
    response=models.DeviceRemoval,
    security=RECENT,
    errors=(404,),
)
async def remove_device(call: Call) -> Reply:
    return await flows.remove_device(call.backends, call.caller, call.path("device_id"), call.arrived_at)


@routes.post(
    "/v1/devices/{device_id}/allow",
    "allowDevice",
    "Lift a removed device's ban; it may sign in again.",
    response=models.DeviceAnswer,
    security=RECENT,
    errors=(404,),
)
async def allow_device(call: Call) -> Reply:
    device_id = call.path("device_id")
    await _device(call, device_id)
    allowed: device_pb2.AllowDeviceResponse = await call.backends.device.AllowDevice(
        device_pb2.AllowDeviceRequest(account_id=call.caller.account_id, device_id=device_id), timeout=call.timeout
    )
    return allowed


ACTIVITY_CSV_HEADER = ("occurred_at", "kind", "ip_address", "country", "location")
ACTIVITY_CSV_EXAMPLE = (
    "occurred_at,kind,ip_address,country,location\r\n"
    "2026-11-25T19:55:00.000000Z,playback,192.0.2.10,Portugal,Portugal\r\n"
)


@routes.get(
    "/v1/devices/{device_id}/activity",
    "listDeviceActivity",
    "A device's sign-ins and playback with address and approximate location, newest first; with `format`, its "
    "whole history as a file to keep (removing a device erases it).",
    response=models.StreamingActivityPage,
    security=SETTINGS,
    errors=(404,),
    also={"text/csv": ACTIVITY_CSV_EXAMPLE},
)
async def device_activity(call: Call, query: models.DeviceActivityQuery) -> Reply:
    device_id = call.path("device_id")
    await _device(call, device_id)
    if query.format is not None:
        return await _activity_file(call, device_id, query.format)
    page: device_pb2.ListStreamingActivityResponse = await call.backends.device.ListStreamingActivity(
        device_pb2.ListStreamingActivityRequest(
            account_id=call.caller.account_id,
            device_id=device_id,
            page_size=query.page_size,
            page_token=query.page_token,
        ),
        timeout=call.timeout,
    )
    return page


async def _activity_file(call: Call, device_id: str, file_format: models.ExportFormat) -> web.Response:
    """The device's whole history (at most flows.HISTORY_MAX_ENTRIES entries, the newest) as a download."""
    entries, truncated = await flows.device_history(call.backends, call.caller, device_id)
    activities = [render(models.StreamingActivity, entry) for entry in entries]
    name = f"activity-{re.sub(r'[^A-Za-z0-9_-]', '', device_id)[:64] or 'device'}.{file_format}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    if truncated:
        headers["X-Activity-Truncated"] = "true"
    if file_format == "json":
        body = json.dumps({"activities": activities, "next_page_token": ""}, separators=(",", ":"))
        return web.Response(text=body, content_type="application/json", headers=headers)
    rows = [
        (a["occurred_at"], a["kind"], a["ip_address"], a["location"]["country"], a["location"]["description"])
        for a in activities
    ]
    return web.Response(
        text=csv_document(ACTIVITY_CSV_HEADER, rows), content_type="text/csv", charset="utf-8", headers=headers
    )


@routes.get(
    "/v1/activity",
    "listViewingActivity",
    "What a profile watched, newest first.",
    response=models.ViewingActivityPage,
    security=SETTINGS,
)
async def viewing_activity(call: Call, query: models.ViewingQuery) -> Reply:
    page: device_pb2.ListViewingActivityResponse = await call.backends.device.ListViewingActivity(
        device_pb2.ListViewingActivityRequest(
            account_id=call.caller.account_id,
            profile_name=query.profile_name,
            page_size=query.page_size,
            page_token=query.page_token,
        ),
        timeout=call.timeout,
    )
    return page


@routes.post(
    "/v1/downloads",
    "createDownload",
    "Download a title to this device for the profile watching; "
    "parental rules decide (403 with their reason when they deny it).",
    response=models.DownloadAnswer,
    status=201,
    errors=(403, 404, 409),
)
async def record_download(call: Call, body: models.DownloadStart) -> Reply:
    return await flows.record_download(call.backends, call.caller, body)


@routes.get("/v1/downloads", "listDownloads", "This device's downloads, newest first.", response=models.DownloadPage)
async def list_downloads(call: Call, query: models.DevicePageQuery) -> Reply:
    page: device_pb2.ListDownloadsResponse = await call.backends.device.ListDownloads(
        device_pb2.ListDownloadsRequest(
            account_id=call.caller.account_id,
            device_id=call.caller.device_id,
            page_size=query.page_size,
            page_token=query.page_token,
        ),
        timeout=call.timeout,
    )
    return page


@routes.get(
    "/v1/downloads/{download_id}/license",
    "getDownloadLicense",
    "Whether a download may still be played; a signed-out or removed device's are cancelled.",
    response=models.License,
    errors=(404,),
)
async def download_license(call: Call) -> Reply:
    license_: device_pb2.CheckDownloadLicenseResponse = await call.backends.device.CheckDownloadLicense(
        device_pb2.CheckDownloadLicenseRequest(account_id=call.caller.account_id, download_id=call.path("download_id")),
        timeout=call.timeout,
    )
    return license_
