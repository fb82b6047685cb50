"""auth_service's handlers bound to one set of dependencies, called as the servicer calls them."""

from __future__ import annotations

from auth_service.domain.model import Account, DeviceInfo, Session
from auth_service.domain.tokens import AccessClaims
from auth_service.service_layer import accounts, introspection, revocations, sessions
from auth_service.service_layer.dependencies import Dependencies
from auth_service.service_layer.introspection import ActiveToken
from auth_service.service_layer.session_events import Subscription
from auth_service.service_layer.sessions import TokenPair
from auth_service.service_layer.validation import validate
from common.revocation import Reason, Revocation, Scope


class Auth:
    def __init__(self, deps: Dependencies) -> None:
        self.deps = deps

    async def create_account(self, email: str, password: str) -> Account:
        return await accounts.create_account(self.deps.uow(), self.deps.rules, self.deps.clock, email, password)

    async def verify_password(self, account_id: str, password: str) -> Account:
        return await accounts.verify_password(
            self.deps.uow(), self.deps.throttle, self.deps.clock, account_id, password
        )

    async def change_password(
        self, account_id: str, session_id: str, current_password: str, new_password: str, sign_out_others: bool
    ) -> Revocation | None:
        d = self.deps
        revoked = await accounts.change_password(
            d.uow(),
            d.index,
            d.events,
            d.rules,
            d.throttle,
            d.clock,
            account_id,
            session_id,
            current_password,
            new_password,
            sign_out_others,
        )
        return None if revoked is None else revoked.revocation

    async def close_account(self, account_id: str, password: str) -> Revocation:
        d = self.deps
        revoked = await accounts.close_account(d.uow(), d.index, d.events, d.throttle, d.clock, account_id, password)
        return revoked.revocation

    async def sign_in(self, email: str, password: str, device: DeviceInfo, ip_address: str) -> TokenPair:
        d = self.deps
        return await sessions.sign_in(
            d.uow(), d.codec, d.devices, d.rules, d.throttle, d.clock, email, password, device, ip_address
        )

    async def refresh(self, refresh_token: str) -> TokenPair:
        d = self.deps
        return await sessions.refresh(d.uow(), d.codec, d.index, d.events, d.rules, d.clock, refresh_token)

    async def set_profile(self, account_id: str, session_id: str, profile_id: str, profile_kind: str) -> TokenPair:
        d = self.deps
        return await sessions.set_profile(
            d.uow(), d.codec, d.index, d.rules, d.clock, account_id, session_id, profile_id, profile_kind
        )

    async def confirm_password(self, account_id: str, session_id: str, profile_id: str, password: str) -> int:
        d = self.deps
        return await sessions.confirm_password(
            d.uow(), d.index, d.rules, d.throttle, d.clock, account_id, session_id, profile_id, password
        )

    async def recently_authenticated_until(self, account_id: str, session_id: str) -> int | None:
        """What GetSession says: until when the session counts as recently authenticated, or None."""
        session, revoked = await self.get_session(account_id, session_id)
        return None if revoked else self.deps.rules.lifetimes.recently_authenticated_until(session, self.deps.clock())

    async def get_session(self, account_id: str, session_id: str) -> tuple[Session, bool]:
        return await sessions.get_session(self.deps.uow(), self.deps.index, account_id, session_id)

    def validate(self, token: str) -> AccessClaims:
        return validate(self.deps.codec, self.deps.index, token)

    async def revoke(
        self, account_id: str, scope: Scope, reason: Reason, session_id: str = "", device_id: str = ""
    ) -> Revocation:
        d = self.deps
        revoked = await revocations.revoke(
            d.uow(), d.index, d.events, d.clock, account_id, scope, reason, session_id, device_id
        )
        return revoked.revocation

    async def feed(self, after_sequence: int, page_size: int) -> tuple[list[Revocation], int]:
        return await revocations.read_feed(self.deps.uow(), after_sequence, page_size)

    async def introspect(self, token: str, hint: str) -> ActiveToken | None:
        d = self.deps
        return await introspection.introspect(d.uow(), d.codec, d.index, d.rules, d.clock, token, hint)

    async def revoke_token(self, token: str, hint: str) -> None:
        d = self.deps
        await introspection.revoke_token(d.uow(), d.codec, d.index, d.events, d.rules, d.clock, token, hint)

    def subscribe(self, claims: AccessClaims) -> Subscription:
        return self.deps.events.subscribe(claims)
