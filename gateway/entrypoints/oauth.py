"""POST /oauth2/revoke (RFC 7009) and POST /oauth2/introspect (RFC 7662).

Form-encoded bodies, client authentication against GATEWAY_OAUTH_CLIENTS,
answers that are never cached. Errors are RFC 6749's {"error": code}.
"""

from __future__ import annotations

from aiohttp import web

from gateway.domain.json_activity import introspection_json
from gateway.domain.oauth import TokenRequest, authenticate_client, invalid_request, token_request
from gateway.entrypoints.auth import backends
from gateway.service_layer import oauth

FORM = "application/x-www-form-urlencoded"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


async def _token_request(request: web.Request) -> TokenRequest:
    if request.content_type != FORM:
        raise invalid_request(f"Send the parameters as {FORM}.")
    form = {name: value for name, value in (await request.post()).items() if isinstance(value, str)}
    client_id = authenticate_client(backends(request).settings.oauth_clients, request.headers.get("Authorization"),
                                    form)
    return token_request(client_id, form)


async def revoke(request: web.Request) -> web.Response:
    """200 with an empty body, whether or not the token was known or still active."""
    token = await _token_request(request)
    await oauth.revoke(backends(request).auth, token)
    return web.Response(status=200, headers=NO_STORE)


async def introspect(request: web.Request) -> web.Response:
    token = await _token_request(request)
    found = await oauth.introspect(backends(request).auth, token)
    return web.json_response(introspection_json(found, token.client_id), headers=NO_STORE)


ROUTES = [
    web.post("/oauth2/revoke", revoke),
    web.post("/oauth2/introspect", introspect),
]
