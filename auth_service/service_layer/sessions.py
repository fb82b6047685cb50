"""Sign-in, refresh-token rotation, profile selection, confirming the password on a session, reading a session.

Recent authentication: account-level changes need the account password entered on
the session, under the profile it has selected now, within STEP_UP_SECONDS
(Lifetimes.recently_authenticated_until). Signing in counts as entering it;
ConfirmPassword renews it; selecting another profile ends it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from auth_service.domain.model import MICROS, DeviceInfo, Lifetimes, RefreshToken, Rules, Session, check_profile
from common.revocation_index import RevocationIndex
from auth_service.domain.tokens import RefreshTokenHashes, new_refresh_token
from auth_service.service_layer.accounts import WRONG_CREDENTIALS, authenticate, verify_password
from auth_service.service_layer.ports import Clock, DeviceRegistry, TokenCodec
from auth_service.service_layer.revocations import catch_up, revoke
from auth_service.service_layer.session_events import SessionEvents
from auth_service.service_layer.throttle import Throttle
from auth_service.service_layer.unit_of_work import AuthUnitOfWork
from common.errors import NotFound, PermissionDenied, Unauthenticated
from common.revocation import Reason, Scope
from common.unit_of_work import in_thread

REFRESH_INVALID = "The refresh token is not valid. Sign in again."
REFRESH_REUSED = "This refresh token was already used, so the session was ended for safety. Sign in again."
REFRESH_TOKEN_MAX = 256
OTHER_PROFILE = "This device has selected another profile since. Use its current access token."


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    session: Session


async def sign_in(
    uow: AuthUnitOfWork,
    codec: TokenCodec,
    devices: DeviceRegistry,
    rules: Rules,
    throttle: Throttle,
    clock: Clock,
    email: str,
    password: str,
    device: DeviceInfo,
    ip_address: str,
) -> TokenPair:
    device.check()
    signed_in = await authenticate(uow, throttle, clock, email, password, device.client_id, ip_address)
    account = signed_in.account
    device_id = await devices.register(account.account_id, device, ip_address)
    now = clock()
    session = Session(
        str(uuid.uuid4()),
        account.account_id,
        device_id,
        created_at_us=now,
        last_used_at_us=now,
        expires_at_us=now + rules.lifetimes.max_lifetime_seconds * MICROS,
        password_confirmed_at_us=now,  # signing in is entering the password
    )
    refresh = new_refresh_token()
    token = RefreshToken(rules.refresh_hashes.keyed(refresh), session.session_id, now)
    await in_thread(_add_session, uow, session, token)
    if not signed_in.known_device:
        await in_thread(_remember_device, uow, account.account_id, device.client_id, now)
    return issue_pair(codec, rules.lifetimes, clock, session, refresh)


def _add_session(uow: AuthUnitOfWork, session: Session, token: RefreshToken) -> None:
    """Store the new session, unless its account was closed since its password was checked."""
    with uow:
        if not uow.accounts.hold_open(session.account_id):
            raise Unauthenticated(WRONG_CREDENTIALS, reason="invalid_credentials")
        uow.account_sessions.add(session)
        uow.refresh_tokens.add(token)
        uow.commit()


def _remember_device(uow: AuthUnitOfWork, account_id: str, client_id: str, now: int) -> None:
    """From now on the throttle trusts this device on this account (domain.throttle); a concurrent sign-in
    of the same device, on any replica, may have remembered it first."""
    with uow:
        uow.known_devices.add(account_id, client_id, now)
        uow.commit()


async def refresh(
    uow: AuthUnitOfWork,
    codec: TokenCodec,
    index: RevocationIndex,
    events: SessionEvents,
    rules: Rules,
    clock: Clock,
    refresh_token: str,
) -> TokenPair:
    """A new token pair for a refresh token used once; a second use ends the session (token reuse)."""
    if not refresh_token or len(refresh_token) > REFRESH_TOKEN_MAX:
        raise Unauthenticated(REFRESH_INVALID)
    session, rotated = await in_thread(_rotate, uow, index, rules, clock(), refresh_token)
    if rotated is None:
        if not is_revoked(index, session):  # a session that already ended needs no second revocation
            await revoke(
                uow, index, events, clock, session.account_id, Scope.SESSION, Reason.TOKEN_REUSE, session.session_id
            )
        raise Unauthenticated(REFRESH_REUSED, reason="token_reuse")
    return issue_pair(codec, rules.lifetimes, clock, session, rotated)


def _rotate(
    uow: AuthUnitOfWork, index: RevocationIndex, rules: Rules, now: int, refresh_token: str
) -> tuple[Session, str | None]:
    """Spend the refresh token and store its successor: (session, new token), or (session, None) on reuse."""
    with uow:
        stored = find_refresh_token(uow, rules.refresh_hashes, refresh_token)
        session = uow.account_sessions.get(stored.session_id) if stored else None
        if stored is None or session is None:
            raise Unauthenticated(REFRESH_INVALID)
        with index.following:  # what other replicas revoked since this one's index last caught up
            catch_up(uow, index)
        if stored.used_at_us is not None or not uow.refresh_tokens.spend(stored.token_hash, now):
            return session, None
        rules.lifetimes.check_alive(session, now, is_revoked(index, session))
        rotated = new_refresh_token()  # always stored keyed, also when `stored` was a legacy row
        uow.refresh_tokens.add(RefreshToken(rules.refresh_hashes.keyed(rotated), session.session_id, now))
        uow.account_sessions.touch(session.session_id, now)
        uow.commit()
    return session, rotated


async def set_profile(
    uow: AuthUnitOfWork,
    codec: TokenCodec,
    index: RevocationIndex,
    rules: Rules,
    clock: Clock,
    account_id: str,
    session_id: str,
    profile_id: str,
    profile_kind: str,
) -> TokenPair:
    """Scope the session to a profile; the new access token carries it."""
    check_profile(profile_id, profile_kind)
    session, revoked = await get_session(uow, index, account_id, session_id)
    rules.lifetimes.check_alive(session, clock(), revoked)
    await in_thread(_set_profile, uow, session_id, profile_id, profile_kind)
    session.profile_id, session.profile_kind = profile_id, profile_kind
    return issue_pair(codec, rules.lifetimes, clock, session, "")


def _set_profile(uow: AuthUnitOfWork, session_id: str, profile_id: str, profile_kind: str) -> None:
    with uow:
        uow.account_sessions.set_profile(session_id, profile_id, profile_kind)  # another profile: confirmation ends
        uow.commit()


async def confirm_password(
    uow: AuthUnitOfWork,
    index: RevocationIndex,
    rules: Rules,
    throttle: Throttle,
    clock: Clock,
    account_id: str,
    session_id: str,
    profile_id: str,
    password: str,
) -> int:
    """Check the account password (throttled as sign-in is) and record it on the session under `profile_id`,
    which must be the profile the session has selected; until when it counts (microseconds)."""
    session, revoked = await get_session(uow, index, account_id, session_id)
    rules.lifetimes.check_alive(session, clock(), revoked)
    if session.profile_id != profile_id:
        raise PermissionDenied(OTHER_PROFILE, reason="other_profile")
    await verify_password(uow, throttle, clock, account_id, password)
    now = clock()
    if not await in_thread(_record_confirmation, uow, session_id, now, profile_id):
        raise PermissionDenied(OTHER_PROFILE, reason="other_profile")  # a profile was selected meanwhile
    return now + rules.lifetimes.step_up_seconds * MICROS


def _record_confirmation(uow: AuthUnitOfWork, session_id: str, now: int, profile_id: str) -> bool:
    with uow:
        recorded = uow.account_sessions.record_password_confirmation(session_id, now, profile_id)
        uow.commit()
    return recorded


async def get_session(
    uow: AuthUnitOfWork, index: RevocationIndex, account_id: str, session_id: str
) -> tuple[Session, bool]:
    """The account's session and whether it is revoked; NotFound for another account's."""
    session = await in_thread(read_session, uow, session_id, index)
    if session is None or session.account_id != account_id:
        raise NotFound("No such session on this account.")
    return session, is_revoked(index, session)


def read_session(uow: AuthUnitOfWork, session_id: str, index: RevocationIndex | None = None) -> Session | None:
    """The session; with `index`, that index first catches up on the feed (what other replicas revoked)."""
    if not session_id:
        return None
    with uow:
        session = uow.account_sessions.get(session_id)  # begins the transaction first (see catch_up)
        if index is not None:
            with index.following:
                catch_up(uow, index)
        return session


def find_refresh_token(uow: AuthUnitOfWork, hashes: RefreshTokenHashes, refresh_token: str) -> RefreshToken | None:
    """The stored row of `refresh_token`: by its keyed hash, else by its legacy SHA-256 hash."""
    for token_hash in hashes.lookups(refresh_token):
        stored = uow.refresh_tokens.get(token_hash)
        if stored is not None:
            return stored
    return None


def is_revoked(index: RevocationIndex, session: Session) -> bool:
    return (
        session.revoked_at_us is not None
        or index.revoked_reason(session.account_id, session.session_id, session.device_id, session.created_at_us)
        is not None
    )


def issue_pair(
    codec: TokenCodec, lifetimes: Lifetimes, clock: Clock, session: Session, refresh_token: str
) -> TokenPair:
    ttl = lifetimes.access_token_ttl(session, clock())
    access = codec.issue(
        session.account_id,
        session.session_id,
        session.device_id,
        session.created_at_us,
        ttl_seconds=ttl,
        profile_id=session.profile_id,
        profile_kind=session.profile_kind,
    )
    return TokenPair(access, refresh_token, ttl, session)
