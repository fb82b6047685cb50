"""Active playbacks: what each device of an account is playing right now."""

from __future__ import annotations

from dataclasses import dataclass

from parental_service.domain.decisions import DenyReason


@dataclass(frozen=True)
class ActivePlayback:
    """A device plays one title at a time, so playbacks are keyed by device."""

    device_id: str
    account_id: str
    profile_id: str
    title_id: str
    started_at: int


@dataclass(frozen=True)
class PlaybackStop:
    """A playback that was stopped, and why: the gateway tells the device."""

    playback: ActivePlayback
    reason: DenyReason
    message: str


SIGNED_OUT_MESSAGE = "This device was signed out, so playback stopped."
PROFILE_DELETED_MESSAGE = "This profile was deleted, so playback stopped."
