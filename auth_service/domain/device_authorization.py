"""Signing a device in with a code (RFC 8628, the OAuth 2.0 Device Authorization Grant): the codes and the rules.

A device with no keyboard worth typing a password on (a TV) asks for two codes:
a `device_code`, the opaque secret it polls the token endpoint with, and a
`user_code`, 8 letters it shows, that a person enters on a signed-in phone or
browser to approve (or deny) it. Both are stored only as keyed hashes
(`CodeHashes`, the HMAC-SHA256 of domain.tokens under a key of their own).

- The user code's alphabet is RFC 8628 section 6.1's: 20 consonants, no vowels
  (no words) and no look-alikes; 20**8 codes is about 34.6 bits. It is shown as
  XXXX-XXXX and entered in any case, dashes and spaces ignored.
- A code lives `lifetime_seconds` (10 minutes by default). The device polls at
  most every `interval` seconds (5 by default); a poll sooner than that is
  `slow_down` and adds 5 seconds to that code's interval (section 3.5).
- Approval binds the code to the approver's account (and optionally a profile)
  and signs the device in; the tokens are handed out once: a second exchange
  of the same device code is `invalid_grant`.

This module is the arithmetic and the words; service_layer.device_authorizations
does the I/O.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from auth_service.domain.model import MICROS, DeviceInfo
from auth_service.domain.tokens import hash_refresh_token
from common.errors import FailedPrecondition, InvalidArgument, NotFound

USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
USER_CODE_LENGTH = 8
USER_CODE_INPUT_MAX = 64
"""What a person may type, dashes and spaces included; anything longer is not a code."""
DEVICE_CODE_BYTES = 32  # 256 bits from `secrets`
DEVICE_CODE_MAX = 256
SLOW_DOWN_SECONDS = 5
"""RFC 8628 section 3.5: each slow_down adds 5 seconds to the polling interval."""
POLL_TOLERANCE_US = 500_000
"""A poll this much earlier than the interval still counts as on time (timers and networks jitter)."""
MAX_INTERVAL_SECONDS = 60
_IGNORED = str.maketrans("", "", "- ")

INVALID_USER_CODE = f"A code is {USER_CODE_LENGTH} letters, such as BCDF-GHJK."
UNKNOWN_USER_CODE = "No device is waiting with this code. Check the code on the TV's screen."
EXPIRED_USER_CODE = "This code has expired. Ask for a new code on the TV."
USED_USER_CODE = "This code was already used. Ask for a new code on the TV."
PENDING = "The sign-in has not been approved yet. Poll again after the interval."
SLOW_DOWN = "Polling too fast: wait the interval, which is now {interval} seconds, before polling again."
DENIED = "The sign-in was denied."
EXPIRED_TOKEN = "The device code has expired. Ask for a new code."
INVALID_GRANT = "The device code is not valid, or its tokens were already issued."
WRONG_CLIENT = "The device code was issued to another client."


class Status(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    EXPIRED = "expired"


def new_user_code() -> str:
    """8 letters of the alphabet, each drawn by `secrets`."""
    return "".join(secrets.choice(USER_CODE_ALPHABET) for _ in range(USER_CODE_LENGTH))


def new_device_code() -> str:
    return secrets.token_urlsafe(DEVICE_CODE_BYTES)


def normalise_user_code(entered: str) -> str:
    """The code a person entered, as stored: upper case, dashes and spaces gone; InvalidArgument
    (invalid_user_code) unless that is 8 letters of the alphabet."""
    if len(entered) > USER_CODE_INPUT_MAX:
        raise InvalidArgument(INVALID_USER_CODE, reason="invalid_user_code")
    code = entered.translate(_IGNORED).upper()
    if len(code) != USER_CODE_LENGTH or any(letter not in USER_CODE_ALPHABET for letter in code):
        raise InvalidArgument(INVALID_USER_CODE, reason="invalid_user_code")
    return code


def display_user_code(code: str) -> str:
    """BCDFGHJK as BCDF-GHJK: two groups of four are easier to read and type."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


@dataclass(frozen=True)
class CodeHashes:
    """The only form in which device and user codes are stored: HMAC-SHA256 under a key derived from the
    refresh-token key (AUTH_REFRESH_TOKEN_KEY_FILE), so a copy of the database can neither check a guess
    against them nor forge one."""

    key: bytes = field(repr=False)

    @classmethod
    def derived_from(cls, refresh_token_key: bytes) -> CodeHashes:
        return cls(hmac.new(refresh_token_key, b"remotesignout device authorization codes", hashlib.sha256).digest())

    def device_code(self, code: str) -> str:
        return hash_refresh_token("device:" + code, self.key)

    def user_code(self, normalised: str) -> str:
        return hash_refresh_token("user:" + normalised, self.key)


@dataclass(frozen=True)
class Timing:
    """How long codes live and how often a device may poll (AUTH_DEVICE_CODE_* settings)."""

    lifetime_seconds: int = 600
    interval_seconds: int = 5

    def __post_init__(self) -> None:
        if self.lifetime_seconds < 1 or not 1 <= self.interval_seconds <= MAX_INTERVAL_SECONDS:
            raise ValueError("a device code lives at least 1 s and is polled every 1 to 60 s")


@dataclass
class DeviceAuthorization:
    """One device's request to sign in with a code, as stored (no code in clear)."""

    device_code_hash: str
    user_code_hash: str
    client_id: str
    """The OAuth client of the device's app (`tv-app`), not the device's own client_id."""
    device: DeviceInfo
    ip_address: str
    """Where the device asked from: shown to the approver (as a location) and recorded when it signs in."""
    requested_at_us: int
    expires_at_us: int
    interval_seconds: int
    status: Status = Status.PENDING
    last_polled_at_us: int | None = None
    decided_at_us: int | None = None
    account_id: str = ""
    session_id: str = ""
    device_id: str = ""
    exchanged_at_us: int | None = None
    """When the device got its tokens; they are handed out once."""

    def expired(self, now_us: int) -> bool:
        return now_us >= self.expires_at_us

    def check_for_approver(self, now_us: int) -> None:
        """What an approver may do with it: 410-like expired, 409-like used."""
        if self.status is Status.EXPIRED or (self.status is Status.PENDING and self.expired(now_us)):
            raise FailedPrecondition(EXPIRED_USER_CODE, reason="expired_user_code")
        if self.status is not Status.PENDING:
            raise FailedPrecondition(USED_USER_CODE, reason="user_code_used")

    def too_soon(self, now_us: int) -> bool:
        """Whether a poll now comes before the interval has passed since the last poll."""
        if self.last_polled_at_us is None:
            return False
        return now_us - self.last_polled_at_us < self.interval_seconds * MICROS - POLL_TOLERANCE_US


class PollOutcome(enum.Enum):
    """What a poll gets, decided by `decide_poll`; the errors are RFC 8628 section 3.5's codes."""

    ISSUE = "issue"
    AUTHORIZATION_PENDING = "authorization_pending"
    SLOW_DOWN = "slow_down"
    ACCESS_DENIED = "access_denied"
    EXPIRED_TOKEN = "expired_token"
    INVALID_GRANT = "invalid_grant"
    INVALID_CLIENT = "invalid_client"


def decide_poll(authorization: DeviceAuthorization | None, client_id: str, now_us: int) -> PollOutcome:
    """The answer to a poll of `authorization` (None: no such device code) by `client_id` at `now_us`.

    Order: an unknown code or one whose tokens were handed out is invalid_grant; another client's is
    invalid_client; an approved code gets its tokens (even polled early, once); then an expired code is
    expired_token, a denied one access_denied, and a pending one slow_down if polled before its interval
    passed, else authorization_pending.
    """
    if authorization is None or authorization.exchanged_at_us is not None:
        return PollOutcome.INVALID_GRANT
    if not hmac.compare_digest(authorization.client_id.encode(), client_id.encode()):
        return PollOutcome.INVALID_CLIENT
    if authorization.status is Status.APPROVED:
        return PollOutcome.ISSUE if not authorization.expired(now_us) else PollOutcome.EXPIRED_TOKEN
    if authorization.status is Status.EXPIRED or authorization.expired(now_us):
        return PollOutcome.EXPIRED_TOKEN
    if authorization.status is Status.DENIED:
        return PollOutcome.ACCESS_DENIED
    if authorization.too_soon(now_us):
        return PollOutcome.SLOW_DOWN
    return PollOutcome.AUTHORIZATION_PENDING


def check_device_code(device_code: str) -> None:
    if not device_code or len(device_code) > DEVICE_CODE_MAX:
        raise NotFound(INVALID_GRANT, reason="invalid_grant")


def locations_differ(device_place: str, approver_place: str) -> bool:
    """Whether the approver should be warned: both places are known (not "unknown") and are not the same."""
    known = {device_place, approver_place}.isdisjoint({"", "unknown"})
    return known and device_place != approver_place
