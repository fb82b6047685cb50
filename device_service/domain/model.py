"""Devices as the device list shows them, and the rules of signing in."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field

from common.errors import FailedPrecondition, PermissionDenied


class DeviceType(enum.IntEnum):
    """The kind of device; values match remotesignout.auth.v1.DeviceType."""

    UNSPECIFIED = 0
    TV = 1
    PHONE = 2
    TABLET = 3
    COMPUTER = 4
    BROWSER = 5
    CONSOLE = 6
    STREAMING_PLAYER = 7


class DeviceStatus(enum.IntEnum):
    """Whether a device is signed in; values match remotesignout.device.v1.DeviceStatus."""

    UNSPECIFIED = 0
    ACTIVE = 1
    SIGNED_OUT = 2
    REMOVED = 3


@dataclass(frozen=True)
class Location:
    """An approximate location derived from an IP address."""

    description: str = "unknown"
    country: str = ""
    region: str = ""
    city: str = ""


UNKNOWN_LOCATION = Location(description="unknown")
LOCAL_NETWORK = Location(description="local network")

BANNED_MESSAGE = (
    "This device was removed from the account and can't sign in again. "
    "The account owner can allow it again under Manage access and devices."
)


class DeviceBanned(PermissionDenied):
    """Raised when a removed device tries to sign in or be used."""

    def __init__(self) -> None:
        super().__init__(BANNED_MESSAGE, reason="device_banned")


class DeviceSignedOut(FailedPrecondition):
    """Raised when a signed-out device tries to play or download."""

    def __init__(self) -> None:
        super().__init__("This device is signed out. Sign in on it again to continue.", reason="device_signed_out")


@dataclass(frozen=True)
class DeviceDetails:
    """What a device says about itself when it signs in."""

    client_id: str
    name: str
    type: DeviceType
    platform: str = ""
    app_version: str = ""


@dataclass
class Device:
    """One device of an account."""

    device_id: str
    account_id: str
    client_id: str
    name: str
    type: DeviceType
    platform: str
    app_version: str
    status: DeviceStatus
    first_seen_at: int
    last_seen_at: int
    signed_in_at: int
    last_ip_address: str = ""
    location: Location = field(default_factory=lambda: UNKNOWN_LOCATION)
    last_profile_name: str = ""
    last_title: str = ""
    last_watched_at: int | None = None

    @classmethod
    def first_sign_in(
        cls, account_id: str, details: DeviceDetails, ip_address: str, location: Location, now: int
    ) -> Device:
        return cls(
            device_id=str(uuid.uuid4()),
            account_id=account_id,
            client_id=details.client_id,
            name=details.name,
            type=details.type,
            platform=details.platform,
            app_version=details.app_version,
            status=DeviceStatus.ACTIVE,
            first_seen_at=now,
            last_seen_at=now,
            signed_in_at=now,
            last_ip_address=ip_address,
            location=location,
        )

    @property
    def is_removed(self) -> bool:
        return self.status is DeviceStatus.REMOVED

    def sign_in(self, details: DeviceDetails, ip_address: str, location: Location, now: int) -> None:
        """Recognise the device on a later sign-in; a removed device is refused."""
        if self.is_removed:
            raise DeviceBanned()
        self.name = details.name
        self.type = details.type
        self.platform = details.platform
        self.app_version = details.app_version
        self.status = DeviceStatus.ACTIVE
        self.signed_in_at = max(self.signed_in_at, now)
        self.seen(ip_address, location, now)

    def seen(self, ip_address: str, location: Location, now: int) -> None:
        self.last_seen_at = max(self.last_seen_at, now)
        self.last_ip_address = ip_address
        self.location = location

    def sign_out(self) -> bool:
        """Mark the device signed out; True if that changed its status."""
        if self.status is not DeviceStatus.ACTIVE:
            return False
        self.status = DeviceStatus.SIGNED_OUT
        return True

    def require_active(self) -> None:
        if self.is_removed:
            raise DeviceBanned()
        if self.status is not DeviceStatus.ACTIVE:
            raise DeviceSignedOut()

    def play(self, profile_name: str, title: str, ip_address: str, location: Location, now: int) -> None:
        """A playback heartbeat: only a signed-in device plays."""
        self.require_active()
        self.last_profile_name = profile_name
        self.last_title = title
        self.last_watched_at = max(self.last_watched_at or now, now)
        self.seen(ip_address, location, now)

    def remove(self) -> None:
        """Ban the device from the account and forget where it was."""
        self.status = DeviceStatus.REMOVED
        self.last_ip_address = ""
        self.location = UNKNOWN_LOCATION

    def allow(self) -> None:
        """Lift the ban; the device is signed out until it signs in again."""
        if self.is_removed:
            self.status = DeviceStatus.SIGNED_OUT

    def inactive_since(self, cutoff: int) -> bool:
        return self.last_seen_at < cutoff
