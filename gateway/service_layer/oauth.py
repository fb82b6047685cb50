"""RFC 7009 revocation and RFC 7662 introspection, for authenticated resource-server clients."""

from __future__ import annotations

from gateway.adapters.auth_client import AuthClient
from gateway.domain.oauth import Introspection, TokenRequest


async def revoke(auth: AuthClient, request: TokenRequest) -> None:
    """Revoke the token's session; an unknown or already revoked token is not an error."""
    await auth.revoke_token(request.token, request.token_type_hint)


async def introspect(auth: AuthClient, request: TokenRequest) -> Introspection:
    return await auth.introspect_token(request.token, request.token_type_hint)
