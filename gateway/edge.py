"""What every response carries, and what the gateway believes about where a request came from.

Every response: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` and
`Server: remote-signout` (no version banner, also on the HTTP server's own plain-text
errors); every answer under /v1/ and /oauth2/ (tokens, personal data, errors alike):
`Cache-Control: no-store` and `Pragma: no-cache`; `Strict-Transport-Security` when the
request came over TLS. The page's own headers (gateway.pages) come first, these after.

Behind a reverse proxy, the gateway sees the proxy's address and plain HTTP. It
believes `X-Forwarded-Proto` and `X-Forwarded-For` only from the addresses of
GATEWAY_TRUSTED_PROXIES (none by default): anyone else could claim anything.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Awaitable, Callable

from aiohttp import web, web_response

from gateway.config import Settings, TrustedProxies

SERVER = "remote-signout"
EVERY_RESPONSE = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
PRIVATE_PREFIXES = ("/v1/", "/oauth2/")
HSTS = "max-age=31536000"  # one year
HOST = re.compile(r"[A-Za-z0-9.\-]{1,253}(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?")

# aiohttp names itself and its version in every response it prepares, including the plain-text 400 it answers
# before any application code runs (a request line or header too long); this is the only way to rename it there.
setattr(web_response, "SERVER_SOFTWARE", SERVER)  # noqa: B010  # the name is Final in aiohttp's stubs


def _address(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def _trusted(text: str | None, proxies: TrustedProxies) -> bool:
    if not proxies:  # the default: no address parsing on every response
        return False
    address = _address(text)
    return address is not None and any(address in network for network in proxies)


def is_https(request: web.BaseRequest, proxies: TrustedProxies) -> bool:
    """Whether the client spoke TLS: to this server, or to a trusted proxy that says so."""
    if request.secure:
        return True
    if not _trusted(request.remote, proxies):
        return False
    return _joined(request, "X-Forwarded-Proto").rsplit(",", 1)[-1].strip().lower() == "https"


def client_address(request: web.BaseRequest, proxies: TrustedProxies) -> str:
    """The client's address: the peer's, or, from a trusted proxy, the last X-Forwarded-For hop that is not one."""
    remote = request.remote or ""
    if not _trusted(remote, proxies):
        return remote
    for hop in reversed(_joined(request, "X-Forwarded-For").split(",")):
        address = _address(hop)
        if address is None:
            return remote
        if not any(address in network for network in proxies):
            return str(address)
    return remote


def _joined(request: web.BaseRequest, name: str) -> str:
    """Every line of a list header, joined in order (RFC 9110 section 5.3): a proxy may add its own line after
    the client's instead of appending to it, and the last hop must be the proxy's."""
    return ",".join(request.headers.getall(name, []))


def source_network(address: str) -> str:
    """What a throttle counts as one source: an IPv4 address, or the /64 an IPv6 address is in (one host
    commonly holds a whole /64, so counting its addresses one by one would never stop it)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def public_origin(request: web.BaseRequest, settings: Settings) -> str | None:
    """GATEWAY_PUBLIC_URL, else the origin the client used (scheme and Host); None for a malformed Host."""
    if settings.public_url:
        return settings.public_url
    host = request.headers.get("Host", "")
    if not HOST.fullmatch(host):
        return None
    return f"{'https' if is_https(request, settings.trusted_proxies) else 'http'}://{host.lower()}"


def headers_hook(
    proxies: TrustedProxies,
) -> Callable[[web.Request, web.StreamResponse], Awaitable[None]]:
    """The on_response_prepare hook that adds the headers above to every response of the application."""

    async def add_edge_headers(request: web.Request, response: web.StreamResponse) -> None:
        response.headers.update(EVERY_RESPONSE)
        response.headers["Server"] = SERVER
        if request.path.startswith(PRIVATE_PREFIXES):
            response.headers.update(NO_STORE)
        if is_https(request, proxies):
            response.headers["Strict-Transport-Security"] = HSTS

    return add_edge_headers
