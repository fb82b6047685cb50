"""Activity of an account: what each profile watched, where each device was."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass

from device_service.domain.model import Device, DeviceType, Location


class StreamingKind(enum.IntEnum):
    """Values match remotesignout.device.v1.StreamingActivityKind."""

    UNSPECIFIED = 0
    SIGN_IN = 1
    PLAYBACK = 2


@dataclass(frozen=True)
class ViewingActivity:
    """One title a profile watched, on which device, when and from where."""

    activity_id: str
    account_id: str
    profile_name: str
    title: str
    device_id: str
    device_name: str
    device_type: DeviceType
    watched_at: int
    location: Location

    @classmethod
    def of(cls, device: Device, profile_name: str, title: str, now: int) -> ViewingActivity:
        return cls(
            str(uuid.uuid4()),
            device.account_id,
            profile_name,
            title,
            device.device_id,
            device.name,
            device.type,
            now,
            device.location,
        )


@dataclass(frozen=True)
class StreamingActivity:
    """One sign-in or playback of a device, with its address and location."""

    activity_id: str
    account_id: str
    device_id: str
    kind: StreamingKind
    ip_address: str
    location: Location
    occurred_at: int

    @classmethod
    def of(cls, device: Device, kind: StreamingKind, now: int) -> StreamingActivity:
        return cls(
            str(uuid.uuid4()),
            device.account_id,
            device.device_id,
            kind,
            device.last_ip_address,
            device.location,
            now,
        )
