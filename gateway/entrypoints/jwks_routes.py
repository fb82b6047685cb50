"""GET /.well-known/jwks.json: the public keys that verify access tokens (RFC 7517 JWK Set).

Resource servers can check an access token's signature themselves with these;
only auth_service (ValidateToken, /oauth2/introspect) knows whether it is revoked.
A retired key leaves the set at once; caches may hold it for max-age seconds.
"""

from __future__ import annotations

from aiohttp import web

from gateway.entrypoints.auth import backends
from gateway.service_layer import oauth

MAX_AGE_SECONDS = 60


async def jwks(request: web.Request) -> web.Response:
    document = await oauth.public_keys(backends(request).auth)
    return web.json_response(document, headers={"Cache-Control": f"public, max-age={MAX_AGE_SECONDS}"})


ROUTES = [
    web.get("/.well-known/jwks.json", jwks, allow_head=False),
]
