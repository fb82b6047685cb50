"""Token introspection (RFC 7662) and revocation by token (RFC 7009)."""

from __future__ import annotations

from dataclasses import dataclass

from auth_service.domain.model import Reason, Scope, Session
from auth_service.domain.tokens import AccessClaims
from auth_service.service_layer.ports import Store
from auth_service.service_layer.revocations import Revoker
from auth_service.service_layer.sessions import Sessions
from auth_service.service_layer.validation import Validator
from common.errors import DomainError


@dataclass(frozen=True)
class ActiveToken:
    token_type: str
    account_id: str
    session_id: str
    device_id: str
    issued_at_us: int
    expires_at_us: int


class Tokens:
    def __init__(self, store: Store, validator: Validator, revoker: Revoker, sessions: Sessions) -> None:
        self.store = store
        self.validator = validator
        self.revoker = revoker
        self.sessions = sessions

    def introspect(self, token: str, hint: str) -> ActiveToken | None:
        """The active token's facts, or None for any token that is not active."""
        for kind in _order(hint):
            found = self._access(token) if kind == "access_token" else self._refresh(token)
            if found is not None:
                return found
        return None

    async def revoke(self, token: str, hint: str) -> None:
        """Revoke the token's session; unknown and already-revoked tokens are fine."""
        active = self.introspect(token, hint)
        if active is not None:
            await self.revoker.revoke(active.account_id, Scope.SESSION, Reason.SIGN_OUT, active.session_id)

    def _access(self, token: str) -> ActiveToken | None:
        try:
            claims: AccessClaims = self.validator.validate(token)
        except DomainError:
            return None
        return ActiveToken("access_token", claims.account_id, claims.session_id, claims.device_id,
                           claims.issued_at * 1_000_000, claims.expires_at * 1_000_000)

    def _refresh(self, token: str) -> ActiveToken | None:
        if not token or len(token) > 256:
            return None
        with self.store.transaction() as repo:
            stored = self.sessions.find_refresh_token(repo, token)
            session: Session | None = repo.get_session(stored.session_id) if stored else None
        if stored is None or session is None or stored.used_at_us is not None or not self.sessions.is_alive(session):
            return None
        return ActiveToken("refresh_token", session.account_id, session.session_id, session.device_id,
                           stored.created_at_us, session.expires_at_us)


def _order(hint: str) -> tuple[str, str]:
    return ("refresh_token", "access_token") if hint == "refresh_token" else ("access_token", "refresh_token")
