"""The OAuth endpoints. For resource servers: RFC 7009 revocation and RFC 7662 introspection (authenticated OAuth
clients, throttled by gateway.client_throttle); for the first-party app: RFC 6749 refresh at /oauth2/token; for
anyone: the public keys that verify access tokens (RFC 7517 JWK Set) and RFC 8414 metadata. Form bodies, answers
never cached (gateway.edge), every error as RFC 6749's {"error", "error_description"} (gateway.api).

Every token is issued to one client: the service's own app (web page, TV, phone...),
which signs in at POST /v1/sign-in as a public client, `remote-signout-app`. A device's
own `client_id` names an app install, chosen by the device and never authenticated: it
is not an OAuth client, and the token's device is already `device_id`.

Scopes: every active token has `streaming` (its session, events, profiles, titles,
playback, downloads); a token outside a kids profile also has `account` (account
settings, devices, sign-outs, parental controls).

A signature check says nothing about revocation: only auth_service (introspection)
knows whether a token's session was signed out. A retired key leaves the set at
once; caches may hold it for max-age seconds.
"""

from __future__ import annotations

import grpc
from aiohttp import web
from remotesignout.auth.v1 import auth_pb2

from gateway import models
from gateway.api import CLIENT, NONE, Answer, Call, Reply, Routes
from gateway.edge import public_origin
from gateway.errors import OAuthError, invalid_client, invalid_request

routes = Routes(
    "oauth",
    "OAuth: token revocation and introspection for resource servers, token refresh for the app, the token signing "
    "keys and the authorization server metadata.",
)

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
MAX_AGE_SECONDS = 60
FIRST_PARTY_CLIENT_ID = "remote-signout-app"
SCOPES = ("streaming", "account")
CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


def scope_of(profile_kind: str) -> str:
    """The scope of a token of a session in a profile of this kind ("" before one is selected)."""
    return "streaming" if profile_kind == "kids" else " ".join(SCOPES)


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
        auth_pb2.RevokeTokenRequest(token=form.token, token_type_hint=form.token_type_hint),
        timeout=call.backends.revocation_timeout,
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
    return Answer(found, token_type="Bearer", scope=scope_of(found.profile_kind), client_id=FIRST_PARTY_CLIENT_ID)


@routes.post(
    "/oauth2/token",
    "oauth2Token",
    "RFC 6749 section 6: a new token pair for a refresh token, which is spent (reuse ends the session). The same as "
    "POST /v1/token/refresh, in OAuth's form.",
    response=models.TokenPair,
    security=NONE,
    headers=NO_STORE,
    errors=(401,),
)
async def token(call: Call, form: models.TokenGrant) -> Reply:
    if form.grant_type != "refresh_token":
        raise OAuthError("unsupported_grant_type", "The only grant_type here is refresh_token.", 400)
    if form.client_id not in ("", FIRST_PARTY_CLIENT_ID):
        raise invalid_client(f"Tokens are issued only to {FIRST_PARTY_CLIENT_ID}.")
    if not form.refresh_token:
        raise invalid_request("The 'refresh_token' parameter is required.")
    try:
        pair: auth_pb2.RefreshTokenResponse = await call.backends.auth.RefreshToken(
            auth_pb2.RefreshTokenRequest(refresh_token=form.refresh_token), timeout=call.timeout
        )
    except grpc.aio.AioRpcError as error:
        if error.code() is grpc.StatusCode.UNAUTHENTICATED:
            raise OAuthError("invalid_grant", error.details() or "The refresh token is not valid.", 400) from None
        raise
    return pair


@routes.get(
    "/.well-known/oauth-authorization-server",
    "getAuthorizationServerMetadata",
    "RFC 8414 authorization server metadata: the OAuth endpoints, how clients authenticate, the grant types and "
    "scopes. The issuer is GATEWAY_PUBLIC_URL, else the origin the request named.",
    response=models.AuthorizationServerMetadata,
    security=NONE,
    services=False,
    errors=(400,),
    headers={"Cache-Control": f"public, max-age={MAX_AGE_SECONDS}"},
)
async def metadata(call: Call) -> Reply:
    issuer = public_origin(call.request, call.backends.settings)
    if issuer is None:
        raise web.HTTPBadRequest(reason="The Host header is not a host name or address.")
    return {
        "issuer": issuer,
        "token_endpoint": f"{issuer}/oauth2/token",
        "token_endpoint_auth_methods_supported": ["none"],
        "grant_types_supported": ["refresh_token"],
        "response_types_supported": [],
        "revocation_endpoint": f"{issuer}/oauth2/revoke",
        "revocation_endpoint_auth_methods_supported": CLIENT_AUTH_METHODS,
        "introspection_endpoint": f"{issuer}/oauth2/introspect",
        "introspection_endpoint_auth_methods_supported": CLIENT_AUTH_METHODS,
        "jwks_uri": f"{issuer}/.well-known/jwks.json",
        "scopes_supported": list(SCOPES),
        "service_documentation": f"{issuer}/openapi.json",
    }


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
