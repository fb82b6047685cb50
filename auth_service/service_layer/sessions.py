"""Accounts, sign-in and refresh-token rotation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from auth_service.adapters.access_tokens import AccessTokenCodec
from auth_service.domain.model import DeviceInfo, Reason, RefreshToken, Scope, Session
from auth_service.domain.revocation_index import RevocationIndex
from auth_service.domain.tokens import RefreshTokenHashes, new_refresh_token
from auth_service.service_layer.accounts import Accounts
from auth_service.service_layer.ports import DeviceRegistry, Repository, Store
from auth_service.service_layer.revocations import Revoker
from common.clock import now_us
from common.errors import InvalidArgument, NotFound, Unauthenticated

REFRESH_INVALID = "The refresh token is not valid. Sign in again."
REFRESH_REUSED = "This refresh token was already used, so the session was ended for safety. Sign in again."
SESSION_EXPIRED = "The session has expired. Sign in again."
PROFILE_KINDS = ("owner", "standard", "kids")
DEVICE_TYPES = {"tv", "phone", "tablet", "computer", "browser", "console", "streaming_player"}


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    session: Session


@dataclass(frozen=True)
class Lifetimes:
    access_token_seconds: int
    idle_timeout_seconds: int
    max_lifetime_seconds: int


class Sessions:
    def __init__(self, store: Store, codec: AccessTokenCodec, index: RevocationIndex, revoker: Revoker,
                 accounts: Accounts, devices: DeviceRegistry, lifetimes: Lifetimes,
                 refresh_hashes: RefreshTokenHashes) -> None:
        self.store = store
        self.refresh_hashes = refresh_hashes
        self.accounts = accounts
        self.codec = codec
        self.index = index
        self.revoker = revoker
        self.devices = devices
        self.lifetimes = lifetimes

    async def sign_in(self, email: str, password: str, device: DeviceInfo, ip_address: str) -> TokenPair:
        _check_device(device)
        account = await self.accounts.authenticate(email, password)
        device_id = await self.devices.register(account.account_id, device, ip_address)
        now = now_us()
        session = Session(
            str(uuid.uuid4()), account.account_id, device_id, created_at_us=now, last_used_at_us=now,
            expires_at_us=now + self.lifetimes.max_lifetime_seconds * 1_000_000,
        )
        refresh = new_refresh_token()
        with self.store.transaction() as repo:
            repo.add_session(session)
            repo.add_refresh_token(RefreshToken(self.refresh_hashes.keyed(refresh), session.session_id, now))
        return self._pair(session, refresh)

    def find_refresh_token(self, repo: Repository, refresh_token: str) -> RefreshToken | None:
        """The stored row of `refresh_token`: by its keyed hash, else by its legacy SHA-256 hash."""
        for token_hash in self.refresh_hashes.lookups(refresh_token):
            stored = repo.get_refresh_token(token_hash)
            if stored is not None:
                return stored
        return None

    async def refresh(self, refresh_token: str) -> TokenPair:
        if not refresh_token or len(refresh_token) > 256:
            raise Unauthenticated(REFRESH_INVALID)
        now = now_us()
        with self.store.transaction() as repo:
            stored = self.find_refresh_token(repo, refresh_token)
            session = repo.get_session(stored.session_id) if stored else None
            if stored is None or session is None:
                raise Unauthenticated(REFRESH_INVALID)
            reused = stored.used_at_us is not None or not repo.spend_refresh_token(stored.token_hash, now)
            if not reused:
                self._check_alive(session, now)
                refresh = new_refresh_token()  # always stored keyed, also when `stored` was a legacy row
                repo.add_refresh_token(RefreshToken(self.refresh_hashes.keyed(refresh), session.session_id, now))
                repo.touch_session(session.session_id, now)
        if reused:
            if not self._revoked(session):  # a session that already ended needs no second revocation
                await self.revoker.revoke(session.account_id, Scope.SESSION, Reason.TOKEN_REUSE, session.session_id)
            raise Unauthenticated(REFRESH_REUSED, reason="token_reuse")
        return self._pair(session, refresh)

    def set_profile(self, account_id: str, session_id: str, profile_id: str, profile_kind: str) -> TokenPair:
        """Scope the session to a profile; the new access token carries it."""
        if not profile_id or len(profile_id) > 36:
            raise InvalidArgument("profile_id is required.")
        if profile_kind not in PROFILE_KINDS:
            raise InvalidArgument(f"profile_kind must be one of: {', '.join(PROFILE_KINDS)}.")
        session, _ = self.get_session(account_id, session_id)
        self._check_alive(session, now_us())
        with self.store.transaction() as repo:
            repo.set_session_profile(session_id, profile_id, profile_kind)
        session.profile_id, session.profile_kind = profile_id, profile_kind
        return self._pair(session, "")

    def get_session(self, account_id: str, session_id: str) -> tuple[Session, bool]:
        with self.store.transaction() as repo:
            session = repo.get_session(session_id) if session_id else None
        if session is None or session.account_id != account_id:
            raise NotFound("No such session on this account.")
        return session, self._revoked(session)

    def is_alive(self, session: Session) -> bool:
        try:
            self._check_alive(session, now_us())
        except Unauthenticated:
            return False
        return True

    def _revoked(self, session: Session) -> bool:
        return session.revoked_at_us is not None or self.index.revoked_reason(
            session.account_id, session.session_id, session.device_id, session.created_at_us
        ) is not None

    def _check_alive(self, session: Session, now: int) -> None:
        if self._revoked(session):
            raise Unauthenticated("This session was signed out. Sign in again.", reason="session_revoked")
        idle_limit = session.last_used_at_us + self.lifetimes.idle_timeout_seconds * 1_000_000
        if now >= idle_limit or now >= session.expires_at_us:
            raise Unauthenticated(SESSION_EXPIRED, reason="session_expired")

    def _pair(self, session: Session, refresh: str) -> TokenPair:
        remaining = max(1, (session.expires_at_us - now_us()) // 1_000_000)
        ttl = int(min(self.lifetimes.access_token_seconds, remaining))
        access = self.codec.issue(session.account_id, session.session_id, session.device_id, session.created_at_us,
                                  ttl_seconds=ttl, profile_id=session.profile_id, profile_kind=session.profile_kind)
        return TokenPair(access, refresh, ttl, session)


def _check_device(device: DeviceInfo) -> None:
    if not device.client_id or len(device.client_id) > 128:
        raise InvalidArgument("device.client_id is required, at most 128 characters.")
    if not device.name or len(device.name) > 100:
        raise InvalidArgument("device.name is required, at most 100 characters.")
    if device.type not in DEVICE_TYPES:
        raise InvalidArgument(
            f"device.type must be one of: {', '.join(sorted(DEVICE_TYPES))}.", reason="invalid_device_type"
        )
