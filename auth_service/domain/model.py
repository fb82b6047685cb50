"""Accounts, sessions, refresh tokens and the rules on them: plain data, no I/O.

Revocations are the shared contract of common.revocation (Scope, Reason,
Revocation and the rule of what an entry covers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auth_service.domain.device_codes import CodeHashes, Timing
from auth_service.domain.password_policy import PasswordPolicy
from auth_service.domain.throttle import ThrottlePolicy
from auth_service.domain.tokens import RefreshTokenHashes
from common.errors import InvalidArgument, Unauthenticated

EMAIL_MAX = 254
MICROS = 1_000_000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SESSION_REVOKED = "This session was signed out. Sign in again."
SESSION_EXPIRED = "The session has expired. Sign in again."
PROFILE_KINDS = ("owner", "standard", "kids")
DEVICE_TYPES = frozenset({"tv", "phone", "tablet", "computer", "browser", "console", "streaming_player"})


@dataclass
class Account:
    account_id: str
    email: str
    password_hash: str
    created_at_us: int
    closed_at_us: int | None = None


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
    # When the account password was last entered on this session (signing in counts), and under which profile.
    password_confirmed_at_us: int | None = None
    password_confirmed_profile_id: str = ""


@dataclass
class RefreshToken:
    token_hash: str
    session_id: str
    created_at_us: int
    used_at_us: int | None = None


@dataclass(frozen=True)
class DeviceInfo:
    client_id: str
    name: str
    type: str
    platform: str = ""
    app_version: str = ""

    def check(self) -> None:
        if not self.client_id or len(self.client_id) > 128:
            raise InvalidArgument("device.client_id is required, at most 128 characters.")
        if not self.name or len(self.name) > 100:
            raise InvalidArgument("device.name is required, at most 100 characters.")
        if self.type not in DEVICE_TYPES:
            raise InvalidArgument(
                f"device.type must be one of: {', '.join(sorted(DEVICE_TYPES))}.", reason="invalid_device_type"
            )


@dataclass(frozen=True)
class Lifetimes:
    access_token_seconds: int
    idle_timeout_seconds: int
    max_lifetime_seconds: int
    step_up_seconds: int = 600
    """How long an entry of the account password counts as a recent authentication (STEP_UP_SECONDS)."""

    def check_alive(self, session: Session, now_us: int, revoked: bool) -> None:
        """Raise Unauthenticated unless `session` may still get tokens at `now_us`."""
        if revoked or session.revoked_at_us is not None:
            raise Unauthenticated(SESSION_REVOKED, reason="session_revoked")
        idle_limit = session.last_used_at_us + self.idle_timeout_seconds * MICROS
        if now_us >= idle_limit or now_us >= session.expires_at_us:
            raise Unauthenticated(SESSION_EXPIRED, reason="session_expired")

    def recently_authenticated_until(self, session: Session, now_us: int) -> int | None:
        """Until when `session` counts as recently authenticated, or None if it does not at `now_us`.

        The password must have been entered on this session (signing in counts) under the profile
        the session has selected now, less than `step_up_seconds` ago.
        """
        confirmed_at = session.password_confirmed_at_us
        if confirmed_at is None or session.password_confirmed_profile_id != session.profile_id:
            return None
        until = confirmed_at + self.step_up_seconds * MICROS
        return until if now_us < until else None

    def access_token_ttl(self, session: Session, now_us: int) -> int:
        """Seconds an access token issued now may live: never past the session's absolute limit."""
        remaining = max(1, (session.expires_at_us - now_us) // MICROS)
        return int(min(self.access_token_seconds, remaining))


@dataclass(frozen=True)
class Rules:
    """What auth_service's config decides: session lifetimes, password throttling, the refresh-token key, the
    password policy, and how device codes are hashed, how long they live and how often they are polled."""

    lifetimes: Lifetimes
    throttle: ThrottlePolicy
    refresh_hashes: RefreshTokenHashes
    passwords: PasswordPolicy
    code_hashes: CodeHashes
    device_codes: Timing


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not email:
        raise InvalidArgument("Enter an email address.")
    if len(email) > EMAIL_MAX:
        raise InvalidArgument(f"An email address has at most {EMAIL_MAX} characters.")
    if not _EMAIL.match(email):
        raise InvalidArgument("Enter a valid email address, such as name@example.com.")
    return email


def check_profile(profile_id: str, profile_kind: str) -> None:
    if not profile_id or len(profile_id) > 36:
        raise InvalidArgument("profile_id is required.")
    if profile_kind not in PROFILE_KINDS:
        raise InvalidArgument(f"profile_kind must be one of: {', '.join(PROFILE_KINDS)}.")
