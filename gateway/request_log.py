"""Every request's id, and its access line (the gateway's part of following one request through the logs).

The request id is the request's `X-Request-ID` when that is a safe word (common.request_id: 1 to 64
letters, digits, `-`, `_`, `.`), else a new one (uuid4 hex): a caller's id is honoured, anything else is
never reflected. It is bound for the request's handler, so the handler's log lines and every gRPC call it
makes carry it (`x-request-id` metadata, common.client_interceptors), and every answer names it in its
`X-Request-ID` header, streams and errors included.

With GATEWAY_ACCESS_LOG=1, one line per finished request:

    {"time": "...", "level": "info", "process": "gateway", "logger": "gateway.request_log",
     "message": "request finished", "request_id": "4bf92f3577b34da6a3ce929d0e0e4736",
     "method": "POST", "route": "/v1/sign-out-all", "status": 200, "duration_ms": 41.7}

`route` is the route template (`/v1/devices/{device_id}`, "unmatched" for an unknown path), never the
path or its query: an id in a path is the caller's business, and a query could hold a token. INFO
(a 4xx is the caller's mistake), WARNING for a 5xx; 499 when the client left before the answer. The
probes' routes (`/healthz`, `/metrics`) are DEBUG.
"""

from __future__ import annotations

import asyncio
import logging
import time

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from common import request_id
from gateway import http_metrics
from gateway.http_metrics import route_of

log = logging.getLogger(__name__)

REQUEST_ID = web.RequestKey("request_id", str)
PROBES = frozenset({"/healthz", "/metrics"})
CLIENT_LEFT = 499  # nginx's word for it: the client closed the connection before the answer


def request_middleware(*, access_log: bool) -> Middleware:
    """Binds each request's id; when it finishes, records its HTTP series (gateway.http_metrics: not a request
    the client abandoned) and, with `access_log`, writes its line."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        current = request_id.accept(request.headers.get(request_id.HEADER))
        request[REQUEST_ID] = current
        token = request_id.bind(current)
        started, status = time.perf_counter(), 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as error:  # a redirect the error middleware lets through
            status = error.status
            raise
        except asyncio.CancelledError:
            status = CLIENT_LEFT
            raise
        finally:
            seconds, route = time.perf_counter() - started, route_of(request)
            if status != CLIENT_LEFT:
                http_metrics.record(route, request.method, status, seconds)
            if access_log:
                _access_line(request, route, status, seconds)
            request_id.reset(token)

    return middleware


def _access_line(request: web.Request, route: str, status: int, seconds: float) -> None:
    level = logging.WARNING if status >= 500 else logging.DEBUG if route in PROBES else logging.INFO
    if log.isEnabledFor(level):
        fields = {
            "method": request.method,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
        }
        log.log(level, "request finished", extra=fields)


async def add_request_id_header(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: every answer to a request names its id."""
    current = request.get(REQUEST_ID)
    if current:
        response.headers[request_id.HEADER] = current
