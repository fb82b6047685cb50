"""Playback: parental_service decides, device_service records what was watched, where and when."""

from __future__ import annotations

from typing import Protocol

from common.errors import InvalidArgument, PermissionDenied
from gateway.adapters.device_client import DeviceClient
from gateway.adapters.parental_client import ParentalClient
from gateway.domain.model import Caller
from gateway.domain.parental import PlaybackDecision
from gateway.domain.parental_requests import PlaybackRequest

OTHER_PROFILE = "This device is watching as another profile. Select this profile on the device first."


class PlaybackBackends(Protocol):
    device: DeviceClient
    parental: ParentalClient


async def start_playback(backends: PlaybackBackends, caller: Caller, request: PlaybackRequest,
                         ip_address: str) -> PlaybackDecision:
    """The decision for the caller's device; an allowed playback is recorded on the device list.

    A token scoped to a profile plays as that profile and no other, so a kids
    profile cannot claim an adult one; an unscoped token names the profile.
    """
    profile_id = watching_profile(caller, request.profile_id)
    decision = await backends.parental.decide_playback(caller, profile_id, request.title_id)
    if not decision.allowed:
        return decision
    profile_name = await profile_name_of(backends.parental, caller, profile_id)
    title = decision.title.name if decision.title else request.title_id
    await backends.device.record_playback(caller, profile_name, title, ip_address)
    return decision


def watching_profile(caller: Caller, requested: str) -> str:
    """The profile a playback or download is for: the one the token is scoped to, or,
    for an unscoped token (the account holder), the one it names."""
    profile_id = requested or caller.profile_id
    if not profile_id:
        raise InvalidArgument("'profile_id' is required until this device selects a profile.")
    if caller.profile_id and profile_id != caller.profile_id:
        raise PermissionDenied(OTHER_PROFILE, reason="other_profile")
    return profile_id


async def profile_name_of(parental: ParentalClient, caller: Caller, profile_id: str) -> str:
    profiles = await parental.list_profiles(caller)
    return next((p.name for p in profiles if p.profile_id == profile_id), profile_id)


async def stop_playback(backends: PlaybackBackends, caller: Caller) -> bool:
    """Whether the caller's device was playing."""
    return await backends.parental.end_playback(caller)
