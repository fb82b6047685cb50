"""Token introspection (RFC 7662) and revocation by token (RFC 7009)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from auth_service.domain.model import MICROS, RefreshToken, Rules, Session
from common.revocation_index import RevocationIndex
from auth_service.service_layer.ports import Clock, TokenCodec
from auth_service.service_layer.revocations import catch_up, revoke
from auth_service.service_layer.session_events import SessionEvents
from auth_service.service_layer.sessions import REFRESH_TOKEN_MAX, find_refresh_token, is_revoked
from auth_service.service_layer.unit_of_work import AuthUnitOfWork
from auth_service.service_layer.validation import validate
from common.errors import DomainError, Unauthenticated
from common.revocation import Reason, Scope
from common.unit_of_work import in_thread


@dataclass(frozen=True)
class ActiveToken:
    token_type: str
    account_id: str
    session_id: str
    device_id: str
    issued_at_us: int
    expires_at_us: int
    email: str = ""
    profile_kind: str = ""


async def introspect(
    uow: AuthUnitOfWork, codec: TokenCodec, index: RevocationIndex, rules: Rules, clock: Clock, token: str, hint: str
) -> ActiveToken | None:
    """The active token's facts, the account's email included, or None for any token that is not active."""
    for kind in _order(hint):
        found = (
            _access(codec, index, token) if kind == "access_token" else await _refresh(uow, index, rules, clock, token)
        )
        if found is not None:
            email = await in_thread(_email, uow, found.account_id)
            return None if email is None else replace(found, email=email)
    return None


async def revoke_token(
    uow: AuthUnitOfWork,
    codec: TokenCodec,
    index: RevocationIndex,
    events: SessionEvents,
    rules: Rules,
    clock: Clock,
    token: str,
    hint: str,
) -> None:
    """Revoke the token's session; unknown and already-revoked tokens are fine."""
    active = await introspect(uow, codec, index, rules, clock, token, hint)
    if active is not None:
        await revoke(uow, index, events, clock, active.account_id, Scope.SESSION, Reason.SIGN_OUT, active.session_id)


def _access(codec: TokenCodec, index: RevocationIndex, token: str) -> ActiveToken | None:
    try:
        claims = validate(codec, index, token)
    except DomainError:
        return None
    return ActiveToken(
        "access_token",
        claims.account_id,
        claims.session_id,
        claims.device_id,
        claims.issued_at * MICROS,
        claims.expires_at * MICROS,
        profile_kind=claims.profile_kind,
    )


async def _refresh(
    uow: AuthUnitOfWork, index: RevocationIndex, rules: Rules, clock: Clock, token: str
) -> ActiveToken | None:
    if not token or len(token) > REFRESH_TOKEN_MAX:
        return None
    stored, session = await in_thread(_read_refresh_token, uow, rules, token, index)
    if stored is None or session is None or stored.used_at_us is not None:
        return None
    try:
        rules.lifetimes.check_alive(session, clock(), is_revoked(index, session))
    except Unauthenticated:
        return None
    return ActiveToken(
        "refresh_token",
        session.account_id,
        session.session_id,
        session.device_id,
        stored.created_at_us,
        session.expires_at_us,
        profile_kind=session.profile_kind,
    )


def _read_refresh_token(
    uow: AuthUnitOfWork, rules: Rules, token: str, index: RevocationIndex
) -> tuple[RefreshToken | None, Session | None]:
    """The stored token and its session, `index` caught up on what other replicas revoked."""
    with uow:
        stored = find_refresh_token(uow, rules.refresh_hashes, token)  # begins the transaction first (catch_up)
        with index.following:
            catch_up(uow, index)
        return stored, uow.account_sessions.get(stored.session_id) if stored else None


def _email(uow: AuthUnitOfWork, account_id: str) -> str | None:
    """The account's email; None for a closed (or vanished) account, whose tokens are not active."""
    with uow:
        account = uow.accounts.get(account_id)
        return account.email if account is not None and account.closed_at_us is None else None


def _order(hint: str) -> tuple[str, str]:
    return ("refresh_token", "access_token") if hint == "refresh_token" else ("access_token", "refresh_token")
