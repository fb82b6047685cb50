"""For resource servers: RFC 7009 revocation and RFC 7662 introspection (authenticated OAuth clients, form bodies,
answers never cached, errors as RFC 6749's {"error": code}), and the public keys that verify access tokens
(RFC 7517 JWK Set, anyone).

A signature check says nothing about revocation: only auth_service (introspection)
knows whether a token's session was signed out. A retired key leaves the set at
once; caches may hold it for max-age seconds.
"""

from __future__ import annotations

from aiohttp import web
from remotesignout.auth.v1 import auth_pb2

from gateway import models
from gateway.api import CLIENT, NONE, Answer, Call, Reply, Routes

routes = Routes("oauth", "For resource servers: token revocation and introspection, the token signing keys.")

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
MAX_AGE_SECONDS = 60


@routes.post(
    "/oauth2/revoke",
    "revokeToken",
    "RFC 7009: 200 and an empty body, known token or not.",
    security=CLIENT,
    headers=NO_STORE,
    media_type="",
)
async def revoke(call: Call, form: models.TokenForm) -> Reply:
    await call.backends.auth.RevokeToken(
        auth_pb2.RevokeTokenRequest(token=form.token, token_type_hint=form.token_type_hint), timeout=call.timeout
    )
    return None


@routes.post(
    "/oauth2/introspect",
    "introspectToken",
    'RFC 7662: exactly {"active": false} for a token that is not active.',
    response=models.Introspection,
    security=CLIENT,
    headers=NO_STORE,
)
async def introspect(call: Call, form: models.TokenForm) -> Reply:
    found: auth_pb2.IntrospectTokenResponse = await call.backends.auth.IntrospectToken(
        auth_pb2.IntrospectTokenRequest(token=form.token, token_type_hint=form.token_type_hint), timeout=call.timeout
    )
    if not found.active:
        return web.json_response({"active": False})
    return Answer(found, client_id=call.client_id)


@routes.get(
    "/.well-known/jwks.json",
    "getJwks",
    "The public keys that verify access tokens (RFC 7517 JWK Set of "
    "every key that is not retired; a token's `kid` header names its key). A signature check does not tell "
    "whether the session was signed out: ask /oauth2/introspect for that.",
    response=models.JWKSet,
    security=NONE,
    headers={"Cache-Control": f"public, max-age={MAX_AGE_SECONDS}"},
)
async def jwks(call: Call) -> Reply:
    keys: auth_pb2.ListSigningKeysResponse = await call.backends.auth.ListSigningKeys(
        auth_pb2.ListSigningKeysRequest(), timeout=call.timeout
    )
    return keys
