"""The gateway's aiohttp application: every operation of every route module, the error middleware, the page's
headers, the OpenAPI document, and the channels closed on cleanup."""

from __future__ import annotations

from aiohttp import web

from gateway import accounts, devices, events, oauth, pages, profiles
from gateway.api import BACKENDS, DOCUMENT, Routes, document, error_middleware
from gateway.bootstrap import Backends

ROUTES: tuple[Routes, ...] = (
    accounts.routes,
    devices.routes,
    profiles.routes,
    events.routes,
    oauth.routes,
    pages.routes,
)


def create_app(backends: Backends) -> web.Application:
    app = web.Application(middlewares=[error_middleware])
    app[BACKENDS] = backends
    app[DOCUMENT] = document(ROUTES)
    events.install(app)
    resources: dict[str, web.Resource] = {}
    for operation in (operation for group in ROUTES for operation in group.operations):
        resource = resources.get(operation.path) or resources.setdefault(
            operation.path, app.router.add_resource(operation.path)
        )
        resource.add_route(operation.method, operation.endpoint)
        if operation.operation_id == "getPage":  # the page answers HEAD too; the API's GETs do not
            resource.add_route("HEAD", operation.endpoint)
    app.router.add_static("/static", pages.STATIC)
    app.on_response_prepare.append(pages.add_page_headers)

    async def close_channels(_app: web.Application) -> None:
        await backends.close()

    app.on_cleanup.append(close_channels)
    return app
