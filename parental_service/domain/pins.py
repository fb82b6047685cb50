"""Profile lock PINs: their format and the back-off that stops guessing.

Five wrong PINs in a row lock the profile for 1 minute; every further wrong
PIN locks it again for twice as long, up to 24 hours. A right PIN or
UnlockProfile (after the account password) starts the count again.
"""

from __future__ import annotations

import datetime
import re

from common.errors import InvalidArgument, PermissionDenied, ResourceExhausted, Unauthenticated
from parental_service.domain.profiles import Profile

FREE_ATTEMPTS = 5
FIRST_LOCK_US = 60 * 1_000_000
MAX_LOCK_US = 24 * 3600 * 1_000_000
_PIN = re.compile(r"[0-9]{4}")
PIN_FORMAT_MESSAGE = "A PIN is exactly 4 digits, such as 0427."


def validate_pin(pin: str) -> str:
    if not _PIN.fullmatch(pin):
        raise InvalidArgument(PIN_FORMAT_MESSAGE, reason="invalid_pin")
    return pin


def lock_duration_us(failed_attempts: int) -> int:
    """How long the profile locks after `failed_attempts` wrong PINs in a row."""
    if failed_attempts < FREE_ATTEMPTS:
        return 0
    doublings = min(failed_attempts - FREE_ATTEMPTS, 20)
    return min(FIRST_LOCK_US << doublings, MAX_LOCK_US)


def is_locked(profile: Profile, now: int) -> bool:
    return profile.locked_until is not None and now < profile.locked_until


def _utc(micros: int) -> str:
    moment = datetime.datetime.fromtimestamp(micros // 1_000_000, tz=datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def locked_error(profile: Profile, now: int) -> ResourceExhausted:
    """The error of a locked profile, carrying the whole seconds until the lock ends (Retry-After)."""
    assert profile.locked_until is not None
    return ResourceExhausted(
        f"Too many wrong PINs: this profile is locked until {_utc(profile.locked_until)}. "
        "The account owner can unlock it now with the account password.",
        reason="pin_locked",
        retry_after_seconds=max(1, -(-(profile.locked_until - now) // 1_000_000)),
    )


def ensure_may_try_pin(profile: Profile, pin: str, now: int) -> None:
    """Raise unless the profile may be entered by checking `pin` now."""
    if is_locked(profile, now):
        raise locked_error(profile, now)
    if not pin:
        raise PermissionDenied("This profile is locked with a PIN; enter it to continue.", reason="pin_required")
    validate_pin(pin)


def record_wrong_pin(profile: Profile, now: int) -> Unauthenticated | ResourceExhausted:
    """Count a wrong PIN, lock the profile if due, and return the error to raise."""
    profile.failed_pin_attempts += 1
    duration = lock_duration_us(profile.failed_pin_attempts)
    if duration:
        profile.locked_until = now + duration
        return locked_error(profile, now)
    left = FREE_ATTEMPTS - profile.failed_pin_attempts
    return Unauthenticated(
        f"That PIN is not right. {left} {'try' if left == 1 else 'tries'} left before the profile locks.",
        reason="wrong_pin",
    )


def record_right_pin(profile: Profile) -> None:
    profile.failed_pin_attempts = 0
    profile.locked_until = None


def unlock(profile: Profile) -> None:
    record_right_pin(profile)
