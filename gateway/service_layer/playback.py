"""Playback: parental_service decides, device_service records what was watched, where and when."""

from __future__ import annotations

from typing import Protocol

from gateway.adapters.device_client import DeviceClient
from gateway.adapters.parental_client import ParentalClient
from gateway.domain.model import Caller
from gateway.domain.parental import PlaybackDecision
from gateway.domain.parental_requests import PlaybackRequest


class PlaybackBackends(Protocol):
    device: DeviceClient
    parental: ParentalClient


async def start_playback(backends: PlaybackBackends, caller: Caller, request: PlaybackRequest,
                         ip_address: str) -> PlaybackDecision:
    """The decision for the caller's device; an allowed playback is recorded on the device list."""
    decision = await backends.parental.decide_playback(caller, request.profile_id, request.title_id)
    if not decision.allowed:
        return decision
    profiles = await backends.parental.list_profiles(caller)
    profile_name = next((p.name for p in profiles if p.profile_id == request.profile_id), request.profile_id)
    title = decision.title.name if decision.title else request.title_id
    await backends.device.record_playback(caller, profile_name, title, ip_address)
    return decision


async def stop_playback(backends: PlaybackBackends, caller: Caller) -> bool:
    """Whether the caller's device was playing."""
    return await backends.parental.end_playback(caller)
