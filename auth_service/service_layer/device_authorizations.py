"""Signing a device in with a code (RFC 8628): the codes issued, the device's polls, and the approver's look-up,
approval and denial. The rules are domain.device_authorization's.

- `start`: a device code and a user code, stored as keyed hashes with the device
  (name, type, its own client_id) and the address it asked from (throttled per
  source, domain.throttle's `device_code` bucket).
- `look_up`, `approve`, `deny`: a signed-in approver enters the user code. Every
  guess takes a token from the approving session's bucket, its account's and its
  source's (domain.throttle: RESOURCE_EXHAUSTED too_many_attempts when any is empty); a
  code that exists gives it back, so only wrong guesses count (RFC 8628 section
  5.1). Approval first claims the code for the approver (domain.device_authorization:
  one conditional statement, so of two approvers, or an approver and a denier, on
  any replica, one wins and the other is user_code_used before anything else
  happens); then it signs the device in through sign-in's path: device_service
  registers it with the address it asked from (and refuses a removed, banned
  device: the code is then denied); then the session is stored in the transaction
  that marks the claimed code approved. Any other failure in between releases the
  claim (the code is pending again); a crash leaves a claim that goes stale after
  CLAIM_SECONDS, and the same account may take it over at once by trying again.
- `poll`: the device's token request. The tokens go out once, with a refresh
  token made then (the session itself was made at approval, so a sign-out of the
  device between approval and the poll covers it: the poll is access_denied).
  A code approved but first polled after it expired is expired_token, and the
  session made at its approval is signed out then, through service_layer.revocations
  (a `session` entry, reason sign_out, that validators acknowledge and device_service
  applies), before the code is marked expired: the device never got its tokens, so
  it must not stay listed as signed in. (Of the two fixes, this one: collecting the
  tokens a little after expiry would only move the edge.) A code approved and
  never polled again keeps its session until it ends as any other.

Metrics (this process): remotesignout_device_authorizations_total{outcome} (issued, approved, denied, expired:
counted when a poll or an approver first finds a pending code expired),
remotesignout_device_authorization_approval_seconds, from issue to approval, and
remotesignout_device_code_throttled_total{reason}: codes asked for (too_many_requests) and user-code guesses
(too_many_attempts) the throttle refused (password attempts have remotesignout_sign_in_throttled_total).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from prometheus_client import Counter, Histogram

from auth_service.domain.device_authorization import (
    CLAIM_SECONDS,
    DENIED,
    EXPIRED_TOKEN,
    INVALID_GRANT,
    PENDING,
    SLOW_DOWN,
    SLOW_DOWN_SECONDS,
    UNKNOWN_USER_CODE,
    USED_USER_CODE,
    WRONG_CLIENT,
    DeviceAuthorization,
    PollOutcome,
    Status,
    check_device_code,
    decide_poll,
    locations_differ,
)
from auth_service.domain.device_codes import new_device_code, new_user_code, normalise_user_code
from auth_service.domain.model import MICROS, DeviceInfo, RefreshToken, Rules, Session, check_profile
from auth_service.domain.tokens import new_refresh_token
from auth_service.service_layer.accounts import WRONG_CREDENTIALS
from auth_service.service_layer.ports import Clock, DeviceRegistry, Locator, TokenCodec
from auth_service.service_layer.revocations import catch_up, revoke
from auth_service.service_layer.session_events import SessionEvents
from auth_service.service_layer.sessions import TokenPair, is_revoked, issue_pair
from auth_service.service_layer.throttle import Throttle
from auth_service.service_layer.unit_of_work import AuthUnitOfWork
from common.errors import (
    Aborted,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
)
from common.revocation import Reason, Scope
from common.revocation_index import RevocationIndex
from common.unit_of_work import Conflict, in_thread

DEVICE_AUTHORIZATIONS = Counter(
    "remotesignout_device_authorizations",
    "auth_service: devices signing in with a code (RFC 8628), by outcome: issued, approved, denied, expired "
    "(a pending code found expired by its device's poll or an approver).",
    ["outcome"],
)
APPROVAL_SECONDS = Histogram(
    "remotesignout_device_authorization_approval_seconds",
    "auth_service: time from a device code's issue to its approval.",
    buckets=(5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 90.0, 120.0, 180.0, 300.0, 450.0, 600.0),
)
for _outcome in ("issued", "approved", "denied", "expired"):
    DEVICE_AUTHORIZATIONS.labels(_outcome)
THROTTLED = Counter(
    "remotesignout_device_code_throttled",
    "auth_service: TV sign-in requests refused by the throttle, by reason (too_many_requests: codes asked for "
    "from one source; too_many_attempts: user codes entered by one approving session, account or source).",
    ["reason"],
)
for _reason in ("too_many_requests", "too_many_attempts"):
    THROTTLED.labels(_reason)

TOO_MANY_CODES = "Too many sign-in codes asked for from this address. Wait a little, then try again."
TOO_MANY_GUESSES = "Too many codes entered. Wait a little, then try again."
SIGNED_OUT_SINCE = "The sign-in was approved, then signed out before the device got its tokens. Ask for a new code."
CLIENT_ID_MAX = 128
KEEP_EXPIRED_SECONDS = 24 * 3600
"""An expired or used code is kept this long, so that entering it says so (rather than "unknown")."""
NEW_CODE_ATTEMPTS = 5
"""A fresh user code clashes with a live one about once in 20**8 / (live codes): retry a few times."""


@dataclass(frozen=True)
class Started:
    """What the device shows and polls with (codes in clear: returned once, never stored)."""

    device_code: str
    user_code: str
    expires_in: int
    interval: int


@dataclass(frozen=True)
class Seen:
    """What an approver sees: the request, where the device asked from and where the approver is."""

    authorization: DeviceAuthorization
    user_code: str
    location: tuple[str, str]
    approver_location: tuple[str, str]

    @property
    def location_differs(self) -> bool:
        return locations_differ(self.location[0], self.approver_location[0])


async def start(
    uow: AuthUnitOfWork,
    rules: Rules,
    throttle: Throttle,
    clock: Clock,
    client_id: str,
    device: DeviceInfo,
    ip_address: str,
) -> Started:
    """New codes for `device`, asking as OAuth client `client_id` (the gateway checked it) from `ip_address`;
    ResourceExhausted too_many_requests when that source asked for too many."""
    device.check()
    if not client_id or len(client_id) > CLIENT_ID_MAX:
        raise InvalidArgument(f"client_id is required, at most {CLIENT_ID_MAX} characters.")
    await throttle.enter(
        [throttle.names.device_code(ip_address)], clock, TOO_MANY_CODES, "too_many_requests", THROTTLED
    )
    timing = rules.device_codes
    for _ in range(NEW_CODE_ATTEMPTS):
        user_code, device_code, now = new_user_code(), new_device_code(), clock()
        authorization = DeviceAuthorization(
            device_code_hash=rules.code_hashes.device_code(device_code),
            user_code_hash=rules.code_hashes.user_code(user_code),
            client_id=client_id,
            device=device,
            ip_address=ip_address,
            requested_at_us=now,
            expires_at_us=now + timing.lifetime_seconds * MICROS,
            interval_seconds=timing.interval_seconds,
        )
        try:
            await in_thread(_add, uow, authorization, now)
        except Conflict:
            continue
        DEVICE_AUTHORIZATIONS.labels("issued").inc()
        return Started(device_code, user_code, timing.lifetime_seconds, timing.interval_seconds)
    raise Aborted("Could not make a new code. Try again.")


def _add(uow: AuthUnitOfWork, authorization: DeviceAuthorization, now: int) -> None:
    with uow:
        repository = uow.device_authorizations
        repository.forget_expired(now - KEEP_EXPIRED_SECONDS * MICROS, authorization.user_code_hash, now)
        repository.add(authorization)
        uow.commit()


async def poll(
    uow: AuthUnitOfWork,
    codec: TokenCodec,
    index: RevocationIndex,
    events: SessionEvents,
    rules: Rules,
    clock: Clock,
    device_code: str,
    client_id: str,
) -> TokenPair:
    """The device's token request: its tokens once approved, else the error RFC 8628 section 3.5 names (as the
    error's reason). An approved code found expired signs its session out first (module docstring)."""
    check_device_code(device_code)
    code_hash = rules.code_hashes.device_code(device_code)
    authorization = await in_thread(_by_device_code, uow, code_hash)
    now = clock()
    outcome = decide_poll(authorization, client_id, now)
    if outcome is PollOutcome.INVALID_GRANT or authorization is None:
        raise NotFound(INVALID_GRANT, reason="invalid_grant")
    if outcome is PollOutcome.INVALID_CLIENT:
        raise PermissionDenied(WRONG_CLIENT, reason="invalid_client")
    if outcome is PollOutcome.EXPIRED_TOKEN:
        if authorization.status is Status.APPROVED:
            await _withdraw(uow, index, events, clock, authorization)
        else:
            await _note_expired(uow, authorization, now)
        raise FailedPrecondition(EXPIRED_TOKEN, reason="expired_token")
    if outcome is PollOutcome.ACCESS_DENIED:
        raise PermissionDenied(DENIED, reason="access_denied")
    if outcome is PollOutcome.ISSUE:
        return await _exchange(uow, codec, index, rules, clock, authorization)
    interval = authorization.interval_seconds
    if outcome is PollOutcome.SLOW_DOWN:
        interval += SLOW_DOWN_SECONDS
    recorded = await in_thread(_record_poll, uow, code_hash, authorization.last_polled_at_us, now, interval)
    if outcome is PollOutcome.SLOW_DOWN or not recorded:  # not recorded: another poll came at the same moment
        raise ResourceExhausted(SLOW_DOWN.format(interval=interval), reason="slow_down", retry_after_seconds=interval)
    raise FailedPrecondition(PENDING, reason="authorization_pending")


def _by_device_code(uow: AuthUnitOfWork, code_hash: str) -> DeviceAuthorization | None:
    with uow:
        return uow.device_authorizations.by_device_code(code_hash)


def _record_poll(uow: AuthUnitOfWork, code_hash: str, last: int | None, now: int, interval: int) -> bool:
    with uow:
        recorded = uow.device_authorizations.record_poll(code_hash, last, now, interval)
        uow.commit()
    return recorded


async def _exchange(
    uow: AuthUnitOfWork,
    codec: TokenCodec,
    index: RevocationIndex,
    rules: Rules,
    clock: Clock,
    authorization: DeviceAuthorization,
) -> TokenPair:
    session, refresh_token = await in_thread(_hand_out, uow, index, rules, clock(), authorization)
    return issue_pair(codec, rules.lifetimes, clock, session, refresh_token)


def _hand_out(
    uow: AuthUnitOfWork, index: RevocationIndex, rules: Rules, now: int, authorization: DeviceAuthorization
) -> tuple[Session, str]:
    """Mark the tokens handed out and store the session's first refresh token, in one transaction; invalid_grant
    if another poll got them first, access_denied if the session was signed out since its approval."""
    with uow:
        session = uow.account_sessions.get(authorization.session_id)  # begins the transaction first (see catch_up)
        if session is None:
            raise NotFound(INVALID_GRANT, reason="invalid_grant")
        with index.following:  # what other replicas revoked since this one's index last caught up
            catch_up(uow, index)
        try:
            rules.lifetimes.check_alive(session, now, is_revoked(index, session))
        except Unauthenticated:
            raise PermissionDenied(SIGNED_OUT_SINCE, reason="access_denied") from None
        if not uow.device_authorizations.mark_exchanged(authorization.device_code_hash, now):
            raise NotFound(INVALID_GRANT, reason="invalid_grant")
        refresh_token = new_refresh_token()
        uow.refresh_tokens.add(RefreshToken(rules.refresh_hashes.keyed(refresh_token), session.session_id, now))
        uow.account_sessions.touch(session.session_id, now)
        uow.commit()
    return session, refresh_token


async def _note_expired(uow: AuthUnitOfWork, authorization: DeviceAuthorization, now: int) -> None:
    """A pending code (or one whose claim went stale) found expired becomes `expired`, counted once (whoever
    finds it first)."""
    if authorization.status is not Status.PENDING and not authorization.claim_stale(now):
        return
    if await in_thread(_expire, uow, authorization.device_code_hash, now):
        DEVICE_AUTHORIZATIONS.labels("expired").inc()


async def _withdraw(
    uow: AuthUnitOfWork, index: RevocationIndex, events: SessionEvents, clock: Clock, authorization: DeviceAuthorization
) -> None:
    """An approved code whose tokens were never collected expired: sign its session out (acknowledged by the
    validators), then mark the code expired. Revoking first: a crash in between leaves the code approved, and
    the next poll revokes again (an entry that covers a session already revoked changes nothing)."""
    a = authorization
    await revoke(uow, index, events, clock, a.account_id, Scope.SESSION, Reason.SIGN_OUT, a.session_id, a.device_id)
    await in_thread(_abandon, uow, a.device_code_hash)


def _abandon(uow: AuthUnitOfWork, code_hash: str) -> None:
    with uow:
        uow.device_authorizations.abandon(code_hash)
        uow.commit()


def _expire(uow: AuthUnitOfWork, code_hash: str, now: int) -> bool:
    with uow:
        expired = uow.device_authorizations.expire(code_hash, now, now - CLAIM_SECONDS * MICROS)
        uow.commit()
    return expired


def _claim(uow: AuthUnitOfWork, code_hash: str, account_id: str, claim_id: str, now: int) -> None:
    """Claim the code for an approver of `account_id`, or FailedPrecondition user_code_used (another approver
    got there first) or expired_user_code (it expired since its look-up)."""
    with uow:
        repository = uow.device_authorizations
        if not repository.claim(code_hash, account_id, claim_id, now, now - CLAIM_SECONDS * MICROS):
            current = repository.by_device_code(code_hash)
            if current is not None:
                current.check_for_approver(now, account_id)
            raise FailedPrecondition(USED_USER_CODE, reason="user_code_used")
        uow.commit()


def _settle(uow: AuthUnitOfWork, code_hash: str, claim_id: str, status: Status, now: int) -> bool:
    with uow:
        settled = uow.device_authorizations.settle(code_hash, claim_id, status, now)
        uow.commit()
    return settled


async def look_up(
    uow: AuthUnitOfWork,
    rules: Rules,
    throttle: Throttle,
    clock: Clock,
    account_id: str,
    session_id: str,
    ip_address: str,
    entered: str,
) -> DeviceAuthorization:
    """The pending request of the user code `entered` (any case, dashes and spaces ignored), for an approver of
    `account_id` on `session_id` at `ip_address`: InvalidArgument invalid_user_code for a malformed code,
    NotFound unknown_user_code, FailedPrecondition expired_user_code or user_code_used, ResourceExhausted
    too_many_attempts once that session, account or source guessed wrong too often."""
    code = normalise_user_code(entered)
    buckets = throttle.names.user_code(session_id, account_id, ip_address)
    await throttle.enter(buckets, clock, TOO_MANY_GUESSES, "too_many_attempts", THROTTLED)
    authorization = await in_thread(_by_user_code, uow, rules.code_hashes.user_code(code))
    if authorization is None:
        raise NotFound(UNKNOWN_USER_CODE, reason="unknown_user_code")
    await throttle.passed(buckets, clock)
    now = clock()
    if authorization.expired(now):
        await _note_expired(uow, authorization, now)
    authorization.check_for_approver(now, account_id)
    return authorization


def _by_user_code(uow: AuthUnitOfWork, code_hash: str) -> DeviceAuthorization | None:
    with uow:
        return uow.device_authorizations.by_user_code(code_hash)


async def see(
    uow: AuthUnitOfWork,
    rules: Rules,
    throttle: Throttle,
    locator: Locator,
    clock: Clock,
    account_id: str,
    session_id: str,
    ip_address: str,
    entered: str,
) -> Seen:
    """What the approver sees of the request (RFC 8628 section 5.4: which device, from where, when)."""
    authorization = await look_up(uow, rules, throttle, clock, account_id, session_id, ip_address, entered)
    return Seen(
        authorization,
        normalise_user_code(entered),
        locator(authorization.ip_address),
        locator(ip_address),
    )


async def approve(
    uow: AuthUnitOfWork,
    devices: DeviceRegistry,
    rules: Rules,
    throttle: Throttle,
    clock: Clock,
    account_id: str,
    session_id: str,
    ip_address: str,
    entered: str,
    profile_id: str = "",
    profile_kind: str = "",
) -> tuple[str, DeviceInfo]:
    """Sign the requesting device in to `account_id` (in the profile, if one is given): (its device_id, the
    device). A removed (banned) device is PermissionDenied device_banned, and its code is denied. Claim, register,
    store (see the module docstring): the device is registered only for the approver that holds the claim."""
    if profile_id or profile_kind:
        check_profile(profile_id, profile_kind)
    authorization = await look_up(uow, rules, throttle, clock, account_id, session_id, ip_address, entered)
    code_hash, claim_id = authorization.device_code_hash, str(uuid.uuid4())  # the claim's id: the device's session
    await in_thread(_claim, uow, code_hash, account_id, claim_id, clock())
    try:
        device_id = await devices.register(account_id, authorization.device, authorization.ip_address)
    except PermissionDenied:
        if await in_thread(_settle, uow, code_hash, claim_id, Status.DENIED, clock()):
            DEVICE_AUTHORIZATIONS.labels("denied").inc()
        raise
    except Exception:
        await in_thread(_settle, uow, code_hash, claim_id, Status.PENDING, clock())  # someone may try again
        raise
    now = clock()
    session = Session(
        claim_id,
        account_id,
        device_id,
        created_at_us=now,
        last_used_at_us=now,
        expires_at_us=now + rules.lifetimes.max_lifetime_seconds * MICROS,
        profile_id=profile_id,
        profile_kind=profile_kind,
    )  # no password was entered on the device: account-level changes there need it first
    try:
        await in_thread(_approve, uow, authorization, session, now)
    except Unauthenticated:  # the account was closed meanwhile: the code is pending again
        await in_thread(_settle, uow, code_hash, claim_id, Status.PENDING, clock())
        raise
    DEVICE_AUTHORIZATIONS.labels("approved").inc()
    APPROVAL_SECONDS.observe(max(now - authorization.requested_at_us, 0) / MICROS)
    return device_id, authorization.device


def _approve(uow: AuthUnitOfWork, authorization: DeviceAuthorization, session: Session, now: int) -> None:
    """Mark the claimed code approved and store the device's session (its id is the claim's), in one
    transaction: unless the claim was lost (it went stale and another approver took it over, or this account
    claimed it again), or the account was closed since."""
    with uow:
        if not uow.accounts.hold_open(session.account_id):
            raise Unauthenticated(WRONG_CREDENTIALS, reason="invalid_credentials")
        settled = uow.device_authorizations.settle(
            authorization.device_code_hash, session.session_id, Status.APPROVED, now, session.device_id
        )
        if not settled:
            raise FailedPrecondition(USED_USER_CODE, reason="user_code_used")
        uow.account_sessions.add(session)
        uow.known_devices.add(session.account_id, authorization.device.client_id, now)
        uow.commit()


async def deny(
    uow: AuthUnitOfWork,
    rules: Rules,
    throttle: Throttle,
    clock: Clock,
    account_id: str,
    session_id: str,
    ip_address: str,
    entered: str,
) -> None:
    """Refuse the requesting device: its next poll is access_denied. Like an approval it claims the code first,
    so it loses to an approval under way (user_code_used)."""
    authorization = await look_up(uow, rules, throttle, clock, account_id, session_id, ip_address, entered)
    code_hash, claim_id = authorization.device_code_hash, str(uuid.uuid4())
    await in_thread(_claim, uow, code_hash, account_id, claim_id, clock())
    if not await in_thread(_settle, uow, code_hash, claim_id, Status.DENIED, clock()):
        raise FailedPrecondition(USED_USER_CODE, reason="user_code_used")
    DEVICE_AUTHORIZATIONS.labels("denied").inc()
