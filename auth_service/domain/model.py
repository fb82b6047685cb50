"""Accounts, sessions, refresh tokens and revocations: plain data, no I/O."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from common.errors import InvalidArgument

EMAIL_MAX = 254
PASSWORD_MIN = 8
PASSWORD_MAX = 128
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Scope(enum.Enum):
    SESSION = "session"
    DEVICE = "device"
    ALL = "all"
    ALL_OTHERS = "all_others"


class Reason(enum.Enum):
    SIGN_OUT = "sign_out"
    REMOTE_SIGN_OUT = "remote_sign_out"
    SIGN_OUT_ALL = "sign_out_all"
    PASSWORD_CHANGED = "password_changed"
    DEVICE_REMOVED = "device_removed"
    TOKEN_REUSE = "token_reuse"
    ACCOUNT_CLOSED = "account_closed"


@dataclass
class Account:
    account_id: str
    email: str
    password_hash: str
    created_at_us: int
    closed_at_us: int | None = None
    failed_sign_ins: int = 0
    throttled_until_us: int = 0


@dataclass
class Session:
    session_id: str
    account_id: str
    device_id: str
    created_at_us: int
    last_used_at_us: int
    expires_at_us: int
    revoked_at_us: int | None = None
    profile_id: str = ""
    profile_kind: str = ""


@dataclass
class RefreshToken:
    token_hash: str
    session_id: str
    created_at_us: int
    used_at_us: int | None = None


@dataclass(frozen=True)
class Revocation:
    """One entry of the revocation feed. `sequence` is 0 until it is stored."""

    sequence: int
    account_id: str
    scope: Scope
    reason: Reason
    session_id: str
    device_id: str
    revoked_at_us: int


@dataclass(frozen=True)
class DeviceInfo:
    client_id: str
    name: str
    type: str
    platform: str = ""
    app_version: str = ""


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not email:
        raise InvalidArgument("Enter an email address.")
    if len(email) > EMAIL_MAX:
        raise InvalidArgument(f"An email address has at most {EMAIL_MAX} characters.")
    if not _EMAIL.match(email):
        raise InvalidArgument("Enter a valid email address, such as name@example.com.")
    return email


def check_new_password(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise InvalidArgument(f"A password has at least {PASSWORD_MIN} characters.")
    if len(password) > PASSWORD_MAX:
        raise InvalidArgument(f"A password has at most {PASSWORD_MAX} characters.")
