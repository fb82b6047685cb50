"""The OAuth endpoints. For resource servers: RFC 7009 revocation and RFC 7662 introspection (authenticated OAuth
clients, throttled by gateway.client_throttle); for the first-party app: RFC 6749 refresh at /oauth2/token; for a
device without a keyboard (a TV): RFC 8628's device authorization grant, /oauth2/device_authorization and the
device_code grant at /oauth2/token (its approver's side is gateway.device_authorizations); for anyone: the public
keys that verify access tokens (RFC 7517 JWK Set) and RFC 8414 metadata. Form bodies, answers never cached
(gateway.edge), every error as RFC 6749's {"error", "error_description"} (gateway.api).

Every token is issued to the service's own apps, public clients (no secret): the app
that signs in at POST /v1/sign-in, `remote-signout-app`, and the device apps that sign
in with a code, GATEWAY_DEVICE_FLOW_CLIENTS (`tv-app`). Any of them (or no client_id)
may refresh at /oauth2/token: public-client libraries send theirs. A session does not
record which app it was issued to, so refresh accepts any of them for any session, and
introspection reports `remote-signout-app`. A device's own `client_id`
(`device_client_id` in the device flow) names an app install, chosen by the device and
never authenticated: it is not an OAuth client, and the token's device is already
`device_id`.

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
from gateway.edge import client_address, public_origin
from gateway.errors import OAuthError, invalid_client, invalid_request, reason_of, retry_after_of
from gateway.render import enum_name

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
DEVICE_CODE_GRANT = models.DEVICE_CODE_GRANT
VERIFICATION_PATH = "/tv"
# RFC 8628 section 3.5's errors of a device's poll (auth_service sends each as its error reason); all HTTP 400.
POLL_ERRORS = frozenset({"authorization_pending", "slow_down", "access_denied", "expired_token", "invalid_grant"})


def display_user_code(code: str) -> str:
    """BCDFGHJK as BCDF-GHJK, as the device shows it."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


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
    "RFC 6749 section 6: a new token pair for a refresh token, which is spent (reuse ends the session), the same as "
    "POST /v1/token/refresh in OAuth's form; or RFC 8628 section 3.4: a device's poll with its device code.",
    response=models.TokenPair,
    security=NONE,
    headers=NO_STORE,
    errors=(401,),
)
async def token(call: Call, form: models.TokenGrant) -> Reply:
    if form.grant_type == DEVICE_CODE_GRANT:
        return await device_token(call, form)
    if form.grant_type != "refresh_token":
        raise OAuthError("unsupported_grant_type", f"The grant_type here is refresh_token or {DEVICE_CODE_GRANT}.", 400)
    if form.client_id not in ("", FIRST_PARTY_CLIENT_ID, *call.backends.settings.device_flow_clients):
        raise invalid_client("Tokens are issued only to this service's own apps.")
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


async def device_token(call: Call, form: models.TokenGrant) -> Reply:
    """RFC 8628 section 3.4: a device's poll. Until its code is approved the answer is an error, and no error says
    anything about the account that approved it."""
    if not form.client_id:
        raise invalid_request("The 'client_id' parameter is required.")
    if form.client_id not in call.backends.settings.device_flow_clients:
        raise invalid_client("This client may not sign devices in with a code.")
    if not form.device_code:
        raise invalid_request("The 'device_code' parameter is required.")
    try:
        pair: auth_pb2.PollDeviceAuthorizationResponse = await call.backends.auth.PollDeviceAuthorization(
            auth_pb2.PollDeviceAuthorizationRequest(device_code=form.device_code, client_id=form.client_id),
            timeout=call.timeout,
        )
    except grpc.aio.AioRpcError as error:
        reason = reason_of(error)
        if reason in POLL_ERRORS:
            raise OAuthError(reason, error.details() or reason, 400) from None
        if reason == "invalid_client":
            raise invalid_client(error.details() or "The device code was issued to another client.") from None
        raise
    return pair


@routes.post(
    "/oauth2/device_authorization",
    "deviceAuthorization",
    "RFC 8628 section 3.1: a device (a TV) asks for a code to sign in with. It shows user_code (and a QR code of "
    "verification_uri_complete), then polls /oauth2/token with device_code every `interval` seconds.",
    description="A signed-in phone or browser opens verification_uri (the /tv page), enters the code and approves "
    "it (POST /v1/device-authorizations/{user_code}/approve). client_id is the device app's public client "
    "(GATEWAY_DEVICE_FLOW_CLIENTS: tv-app in the demo; 401 invalid_client otherwise); the device_* fields are how "
    "the device list will show the device. The address the request comes from is the device's: its approximate "
    "location is shown to the approver. Too many codes from one address: 429 too_many_requests with Retry-After.",
    response=models.DeviceAuthorizationGrant,
    security=NONE,
    headers=NO_STORE,
    errors=(401, 429),
)
async def device_authorization(call: Call, form: models.DeviceAuthorizationRequest) -> Reply:
    settings = call.backends.settings
    if form.client_id not in settings.device_flow_clients:
        raise invalid_client("This client may not sign devices in with a code.")
    origin = public_origin(call.request, settings)
    if origin is None:
        raise invalid_request("The Host header is not a host name or address.")
    try:
        started: auth_pb2.StartDeviceAuthorizationResponse = await call.backends.auth.StartDeviceAuthorization(
            auth_pb2.StartDeviceAuthorizationRequest(
                client_id=form.client_id,
                device=auth_pb2.Device(
                    client_id=form.device_client_id,
                    name=form.device_name,
                    type=enum_name(auth_pb2.DeviceType.DESCRIPTOR, form.device_type),
                ),
                ip_address=client_address(call.request, settings.trusted_proxies),
            ),
            timeout=call.timeout,
        )
    except grpc.aio.AioRpcError as error:
        if error.code() is grpc.StatusCode.RESOURCE_EXHAUSTED:
            wait = retry_after_of(error) or "1"
            raise OAuthError("too_many_requests", error.details() or "", 429, {"Retry-After": wait}) from None
        if error.code() is grpc.StatusCode.INVALID_ARGUMENT:
            raise invalid_request(error.details() or "A parameter is not valid.") from None
        raise
    return {
        "device_code": started.device_code,
        "user_code": display_user_code(started.user_code),
        "verification_uri": f"{origin}{VERIFICATION_PATH}",
        "verification_uri_complete": f"{origin}{VERIFICATION_PATH}?code={started.user_code}",
        "expires_in": started.expires_in,
        "interval": started.interval,
    }


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
        "grant_types_supported": ["refresh_token", DEVICE_CODE_GRANT],
        "device_authorization_endpoint": f"{issuer}/oauth2/device_authorization",
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
