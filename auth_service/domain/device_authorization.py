"""Signing a device in with a code (RFC 8628, the OAuth 2.0 Device Authorization Grant): the request and its rules.

A device with no keyboard worth typing a password on (a TV) asks for two codes
(domain.device_codes): a `device_code`, the opaque secret it polls the token
endpoint with, and a `user_code`, 8 letters it shows, that a person enters on a
signed-in phone or browser to approve (or deny) it. Both are stored only as keyed
hashes.

- A code lives `lifetime_seconds` (10 minutes by default). The device polls at
  most every `interval` seconds (5 by default); a poll sooner than that is
  `slow_down` and adds 5 seconds to that code's interval (section 3.5).
- Approval binds the code to the approver's account (and optionally a profile)
  and signs the device in; the tokens are handed out once: a second exchange
  of the same device code is `invalid_grant`.
- An approver (or a denier) first claims the code: `pending` becomes `claimed`,
  bound to the approver's account and to a claim id (the session the device will
  have), in one conditional statement, so of two approvers one wins before
  either registers the device; only the holder of the claim can then approve,
  deny or release it. A claim older than `CLAIM_SECONDS` was left by an
  approver that crashed: anyone may claim the code again, and the same account
  always may (its retry takes the claim over), so a code is never stuck.

This module is the arithmetic and the words; service_layer.device_authorizations
does the I/O.
"""

from __future__ import annotations

import enum
import hmac
from dataclasses import dataclass

from auth_service.domain.device_codes import DEVICE_CODE_MAX
from auth_service.domain.model import MICROS, DeviceInfo
from common.errors import FailedPrecondition, NotFound

SLOW_DOWN_SECONDS = 5
"""RFC 8628 section 3.5: each slow_down adds 5 seconds to the polling interval."""
POLL_TOLERANCE_US = 500_000
"""A poll this much earlier than the interval still counts as on time (timers and networks jitter)."""
UNKNOWN_USER_CODE = "No device is waiting with this code. Check the code on the TV's screen."
EXPIRED_USER_CODE = "This code has expired. Ask for a new code on the TV."
USED_USER_CODE = "This code was already used. Ask for a new code on the TV."
PENDING = "The sign-in has not been approved yet. Poll again after the interval."
SLOW_DOWN = "Polling too fast: wait the interval, which is now {interval} seconds, before polling again."
DENIED = "The sign-in was denied."
EXPIRED_TOKEN = "The device code has expired. Ask for a new code."
INVALID_GRANT = "The device code is not valid, or its tokens were already issued."
WRONG_CLIENT = "The device code was issued to another client."
CLAIM_SECONDS = 30
"""How long an approver's claim holds off others: from its look-up until the device's session is stored, which
takes the device registry's deadline (RPC_TIMEOUT_SECONDS, 2 s) and two transactions. An older claim is stale."""


class Status(enum.Enum):
    PENDING = "pending"
    CLAIMED = "claimed"
    """An approver (`account_id`, claim id `session_id`, since `decided_at_us`) is approving or denying it."""
    APPROVED = "approved"
    DENIED = "denied"
    EXPIRED = "expired"


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

    def claim_stale(self, now_us: int) -> bool:
        """Whether it is claimed by an approver that should have finished by now (see CLAIM_SECONDS)."""
        return self.status is Status.CLAIMED and now_us >= (self.decided_at_us or 0) + CLAIM_SECONDS * MICROS

    def open_to(self, account_id: str, now_us: int) -> bool:
        """Whether an approver of `account_id` may claim it: pending, or claimed by that account or stale."""
        if self.status is Status.PENDING:
            return True
        return self.status is Status.CLAIMED and (
            hmac.compare_digest(self.account_id.encode(), account_id.encode()) or self.claim_stale(now_us)
        )

    def check_for_approver(self, now_us: int, account_id: str = "") -> None:
        """What an approver of `account_id` may do with it: 410-like expired, 409-like used (or being approved
        by another account)."""
        open_to = self.open_to(account_id, now_us)
        if self.status is Status.EXPIRED or (open_to and self.expired(now_us)):
            raise FailedPrecondition(EXPIRED_USER_CODE, reason="expired_user_code")
        if not open_to:
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
    invalid_client; an approved code gets its tokens (even polled early, once); one an approver is approving
    (a claim not stale) waits for the outcome, even past its expiry (authorization_pending or slow_down); then
    an expired code is expired_token, a denied one access_denied, and a pending one slow_down if polled before
    its interval passed, else authorization_pending.
    """
    if authorization is None or authorization.exchanged_at_us is not None:
        return PollOutcome.INVALID_GRANT
    if not hmac.compare_digest(authorization.client_id.encode(), client_id.encode()):
        return PollOutcome.INVALID_CLIENT
    if authorization.status is Status.APPROVED:
        return PollOutcome.ISSUE if not authorization.expired(now_us) else PollOutcome.EXPIRED_TOKEN
    being_approved = authorization.status is Status.CLAIMED and not authorization.claim_stale(now_us)
    if not being_approved and (authorization.status is Status.EXPIRED or authorization.expired(now_us)):
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
