"""Downloads to the caller's device, and whether each may still be played.

A download is a playback kept for later: it is for the profile watching (the
token's, see playback.watching_profile) and the same parental rules decide it,
so a kids profile cannot download what it may not stream.
"""

from __future__ import annotations

from typing import Protocol

from common.errors import PermissionDenied
from gateway.adapters.device_client import DeviceClient
from gateway.adapters.parental_client import ParentalClient
from gateway.domain.account_requests import DownloadRequest
from gateway.domain.activity import Download, DownloadLicense, DownloadPage
from gateway.domain.model import Caller
from gateway.domain.requests import PageRequest
from gateway.service_layer.playback import profile_name_of, watching_profile


class DownloadBackends(Protocol):
    device: DeviceClient
    parental: ParentalClient


async def record_download(backends: DownloadBackends, caller: Caller, request: DownloadRequest) -> Download:
    profile_id = watching_profile(caller, request.profile_id)
    decision = await backends.parental.decide_playback(caller, profile_id, request.title_id, check_only=True)
    if not decision.allowed:
        raise PermissionDenied(decision.message, reason=decision.reason or "not_allowed")
    title = decision.title.name if decision.title else request.title_id
    profile_name = await profile_name_of(backends.parental, caller, profile_id)
    return await backends.device.record_download(caller, profile_name, title)


async def list_downloads(device: DeviceClient, caller: Caller, page: PageRequest) -> DownloadPage:
    return await device.list_downloads(caller, page)


async def check_license(device: DeviceClient, caller: Caller, download_id: str) -> DownloadLicense:
    return await device.check_download_license(caller, download_id)
