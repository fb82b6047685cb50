"""The web page and its files, this document, health and metrics.

The pages (`/`; `/tv` and `/tv-screen`, served by gateway.tv_pages; `/static/...`) run
under a Content-Security-Policy with no inline script, no eval and no inline style:
everything they load comes from this gateway.
Module scripts need a JavaScript MIME type, so `.js` files are always
`text/javascript`, whatever the host's mimetypes table says. The headers come from a
response-prepare hook rather than a middleware: a static file's status (200, 304,
404) is only known once aiohttp prepares the FileResponse, after every middleware.
"""

from __future__ import annotations

import asyncio
import pathlib

import grpc
from aiohttp import web
from grpc_health.v1 import health_pb2
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from gateway import models
from gateway.api import DOCUMENT, NONE, Call, Reply, Routes

routes = Routes("operations", "The web page, this document, health and metrics.")

STATIC = pathlib.Path(__file__).resolve().parent / "static"
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Revalidate every time (a 304 is cheap): a browser must never mix modules of two releases.
    "Cache-Control": "no-cache",
}
JAVASCRIPT = "text/javascript; charset=utf-8"
UNREACHABLE = "UNREACHABLE"


PAGES = frozenset({"/", "/tv", "/tv-screen"})


def is_page(path: str) -> bool:
    return path in PAGES or path.startswith("/static/")


async def add_page_headers(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: the page's headers on the pages (`/`, `/tv`, `/tv-screen`) and `/static/...`,
    whatever the status."""
    if not is_page(request.path):
        return
    response.headers.update(PAGE_HEADERS)
    if isinstance(response, web.FileResponse) and response.status in (200, 206) and request.path.endswith(".js"):
        response.headers["Content-Type"] = JAVASCRIPT


@routes.get(
    "/",
    "getPage",
    "The web page.",
    security=NONE,
    media_type="text/html",
    services=False,
    text_example='<!doctype html>\n<html lang="en">...<script type="module" src="/static/main.js"></script>',
)
async def index(_call: Call) -> Reply:
    return web.FileResponse(STATIC / "index.html")


@routes.get("/openapi.json", "getOpenApi", "This document (OpenAPI 3.1).", security=NONE, services=False)
async def openapi(call: Call) -> Reply:
    return web.json_response(call.request.app[DOCUMENT])


async def _status(call: Call, name: str) -> str:
    try:
        # types-grpcio-health-checking's HealthStub declares no methods, though it has Check:
        check = call.backends.health[name].Check  # type: ignore[attr-defined]  # the health stubs list no methods
        reply: health_pb2.HealthCheckResponse = await check(
            health_pb2.HealthCheckRequest(service=""), timeout=call.timeout
        )
    except grpc.RpcError:
        return UNREACHABLE
    return str(health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status))


@routes.get(
    "/healthz",
    "getHealth",
    "This gateway's health for a load balancer, and each service's grpc.health.v1 status: 503 only when this "
    "gateway cannot vouch for its revocation index (it would refuse every token); a service that is not serving "
    "makes it `degraded`, still 200, since every gateway shares that service and taking them all out of the "
    "balancer would turn one service's outage into the whole edge's.",
    response=models.Health,
    security=NONE,
    services=False,
    responses={503: models.Health},
)
async def healthz(call: Call) -> Reply:
    names = list(call.backends.health)
    services = dict(zip(names, await asyncio.gather(*(_status(call, name) for name in names)), strict=True))
    current = call.backends.edge.ready and call.backends.edge.validator.current  # tokens can be checked here
    if not current:
        status = "unavailable"
    elif all(state == "SERVING" for state in services.values()):
        status = "ok"
    else:
        status = "degraded"
    return web.json_response({"status": status, "services": services}, status=503 if status == "unavailable" else 200)


@routes.get(
    "/metrics",
    "getMetrics",
    "Prometheus metrics.",
    security=NONE,
    media_type="text/plain",
    services=False,
    text_example='remotesignout_fanout_failures_total{service="device_service"} 0.0\n',
)
async def metrics(_call: Call) -> Reply:
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})
