"""What the gateway hands between its layers: plain dataclasses, no gRPC.

Enumerations are the lowercase words of the public API ("tv", "remote_sign_out").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

DEVICE_TYPES = ("tv", "phone", "tablet", "computer", "browser", "console", "streaming_player")
DEVICE_STATUSES = ("active", "signed_out", "removed")
REVOCATION_SCOPES = ("session", "device", "all", "all_others")
REVOCATION_REASONS = (
    "sign_out", "remote_sign_out", "sign_out_all", "password_changed", "device_removed", "token_reuse",
    "account_closed",
)
PROFILE_KINDS = ("owner", "standard", "kids")
MATURITY_LEVELS = ("all", "7+", "13+", "16+", "18+")


@dataclass(frozen=True)
class Caller:
    """Who a validated access token speaks for."""

    account_id: str
    session_id: str
    device_id: str
    profile_id: str = ""
    profile_kind: str = ""  # "owner", "standard", "kids", or "" before a profile is selected


@dataclass(frozen=True)
class Account:
    account_id: str
    email: str


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    session_id: str
    device_id: str
    account_id: str


@dataclass(frozen=True)
class Session:
    session_id: str
    account_id: str
    device_id: str
    created_at: datetime | None
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked: bool


@dataclass(frozen=True)
class Location:
    country: str = ""
    region: str = ""
    city: str = ""
    description: str = ""


@dataclass(frozen=True)
class Device:
    device_id: str
    name: str
    type: str
    platform: str
    app_version: str
    status: str
    first_seen_at: datetime | None
    last_seen_at: datetime | None
    last_ip_address: str
    location: Location
    last_profile_name: str
    last_title: str
    last_watched_at: datetime | None
    current: bool


@dataclass(frozen=True)
class DevicePage:
    devices: list[Device]
    next_page_token: str


@dataclass(frozen=True)
class Revocation:
    sequence: int
    account_id: str
    scope: str
    reason: str
    session_id: str
    device_id: str
    revoked_at: datetime | None


@dataclass(frozen=True)
class SignOutResult:
    """A committed revocation and how far it has travelled downstream."""

    revocation: Revocation
    propagation: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PasswordChange:
    """A changed password: the sign-out of the other devices, if one was asked for."""

    revocation: Revocation | None
    propagation: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DeviceRemoval:
    """A removed device: signed out, banned, and how far the revocation travelled."""

    revocation: Revocation
    propagation: dict[str, str]
    device: Device


@dataclass(frozen=True)
class Profile:
    profile_id: str
    name: str
    kind: str
    maturity_level: str
    has_pin: bool = False
    locked_until: datetime | None = None
