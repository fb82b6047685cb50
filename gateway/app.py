"""The gateway's aiohttp application: every operation of every route module (a GET answers HEAD too), the
middlewares (outermost first: tracing's when it is on, common.tracing; the request id, HTTP metrics and
access line, gateway.request_log and gateway.http_metrics; the error middleware), the page's headers and
every response's (gateway.edge, X-Request-ID), the client-secret throttle, the OpenAPI document, and the
channels closed on cleanup."""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web

from common import tracing
from gateway import accounts, device_authorizations, devices, edge, events, oauth, pages, profiles, tv_pages, validation
from gateway.api import BACKENDS, DOCUMENT, Routes, document, error_middleware
from gateway.bootstrap import Backends
from gateway.client_throttle import CLIENT_THROTTLE, ClientAuthThrottle
from gateway.dispatch import Revocations
from gateway.request_log import add_request_id_header, request_middleware

ROUTES: tuple[Routes, ...] = (
    accounts.routes,
    devices.routes,
    profiles.routes,
    events.routes,
    oauth.routes,
    device_authorizations.routes,
    pages.routes,
    tv_pages.routes,
)


def create_app(backends: Backends, revocations: Revocations | None = None) -> web.Application:
    """The app; `revocations` is the validator link's `subscribe` for the push path (gateway.dispatch), polling
    auth_service's feed without one."""
    traced = tracing.aiohttp_middleware()
    logged = request_middleware(access_log=backends.settings.access_log)
    app = web.Application(middlewares=[*([traced] if traced else []), logged, error_middleware])
    app[BACKENDS] = backends
    app[DOCUMENT] = document(ROUTES)
    app[CLIENT_THROTTLE] = ClientAuthThrottle(backends.settings)
    events.install(app, backends, revocations)
    resources: dict[str, web.Resource] = {}
    for operation in (operation for group in ROUTES for operation in group.operations):
        resource = resources.get(operation.path) or resources.setdefault(
            operation.path, app.router.add_resource(operation.path)
        )
        resource.add_route(operation.method, operation.endpoint)
        if operation.method == "GET":  # aiohttp sends HEAD's headers without the body
            resource.add_route("HEAD", operation.endpoint)
    app.router.add_static("/static", pages.STATIC)
    app.on_response_prepare.append(add_request_id_header)
    app.on_response_prepare.append(pages.add_page_headers)
    app.on_response_prepare.append(edge.headers_hook(backends.settings.trusted_proxies))

    async def start_validation(_app: web.Application) -> None:
        """Load the keys and follow the feed; wait (GATEWAY_READY_WAIT_SECONDS at most) until tokens can be checked."""
        tasks[:] = [asyncio.create_task(backends.edge.keys.run()), asyncio.create_task(backends.link.run())]
        deadline = asyncio.get_running_loop().time() + backends.settings.ready_wait_seconds
        while not (backends.edge.ready and backends.edge.validator.current):
            if asyncio.get_running_loop().time() >= deadline:
                break
            await asyncio.sleep(0.01)

    async def stop_validation(_app: web.Application) -> None:
        leave = getattr(backends.link, "leave", None)
        if leave is not None:
            with contextlib.suppress(Exception):
                await leave()
        for task in tasks:
            await validation.stop(task)

    async def close_channels(_app: web.Application) -> None:
        await backends.close()

    tasks: list[asyncio.Task[None]] = []
    app.on_startup.append(start_validation)
    app.on_shutdown.append(stop_validation)
    app.on_cleanup.append(close_channels)
    return app
