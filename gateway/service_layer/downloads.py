"""Downloads to the caller's device, and whether each may still be played."""

from __future__ import annotations

from gateway.adapters.device_client import DeviceClient
from gateway.domain.account_requests import DownloadRequest
from gateway.domain.activity import Download, DownloadLicense, DownloadPage
from gateway.domain.model import Caller
from gateway.domain.requests import PageRequest


async def record_download(device: DeviceClient, caller: Caller, request: DownloadRequest) -> Download:
    return await device.record_download(caller, request.profile_name, request.title)


async def list_downloads(device: DeviceClient, caller: Caller, page: PageRequest) -> DownloadPage:
    return await device.list_downloads(caller, page)


async def check_license(device: DeviceClient, caller: Caller, download_id: str) -> DownloadLicense:
    return await device.check_download_license(caller, download_id)
