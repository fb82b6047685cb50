"""Who is calling, and their session."""

from __future__ import annotations

from gateway.adapters.auth_client import AuthClient
from gateway.domain.errors import missing_bearer_token
from gateway.domain.model import Caller, Session


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header, or Unauthenticated."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise missing_bearer_token()
    return token


async def authenticate(auth: AuthClient, authorization: str | None) -> Caller:
    """The validated caller; auth_service answers UNAUTHENTICATED for a bad token."""
    return await auth.validate_token(bearer_token(authorization))


async def get_session(auth: AuthClient, caller: Caller) -> Session:
    return await auth.get_session(caller.account_id, caller.session_id)
