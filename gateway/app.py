"""The gateway's aiohttp application: every operation of every route module (a GET answers HEAD too), the error
middleware inside the HTTP metrics' (gateway.http_metrics), the page's headers and every response's
(gateway.edge), the client-secret throttle, the OpenAPI document, and the channels closed on cleanup."""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web

from gateway import accounts, devices, edge, events, oauth, pages, profiles, validation
from gateway.api import BACKENDS, DOCUMENT, Routes, document, error_middleware
from gateway.bootstrap import Backends
from gateway.client_throttle import CLIENT_THROTTLE, ClientAuthThrottle
from gateway.dispatch import Revocations
from gateway.http_metrics import http_metrics_middleware

ROUTES: tuple[Routes, ...] = (
    accounts.routes,
    devices.routes,
    profiles.routes,
    events.routes,
    oauth.routes,
    pages.routes,
)


def create_app(backends: Backends, revocations: Revocations | None = None) -> web.Application:
    """The app; `revocations` is the validator link's `subscribe` for the push path (gateway.dispatch), polling
    auth_service's feed without one."""
    app = web.Application(middlewares=[http_metrics_middleware, error_middleware])
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
