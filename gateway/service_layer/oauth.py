"""For resource servers: RFC 7009 revocation and RFC 7662 introspection (authenticated clients), and the
public keys that verify access tokens (RFC 7517, anyone)."""

from __future__ import annotations

from gateway.adapters.auth_client import AuthClient
from gateway.domain.oauth import Introspection, TokenRequest


async def revoke(auth: AuthClient, request: TokenRequest) -> None:
    """Revoke the token's session; an unknown or already revoked token is not an error."""
    await auth.revoke_token(request.token, request.token_type_hint)


async def introspect(auth: AuthClient, request: TokenRequest) -> Introspection:
    return await auth.introspect_token(request.token, request.token_type_hint)


async def public_keys(auth: AuthClient) -> dict[str, list[dict[str, str]]]:
    """The JWK Set of the keys that verify access tokens: {"keys": [...]}; a retired key is not in it."""
    return {"keys": await auth.list_signing_keys()}
