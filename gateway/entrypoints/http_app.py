"""The HTTP/JSON routes: parse, call the service layer, shape the answer. Nothing more."""

from __future__ import annotations

import pathlib

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from gateway.bootstrap import Backends
from gateway.domain import json_shapes as shapes
from gateway.domain.account_requests import include_inactive_from_query
from gateway.domain.model import Caller
from gateway.domain.requests import (
    Credentials,
    NewProfile,
    PageRequest,
    SignIn,
    include_current_from_json,
    refresh_token_from_json,
)
from gateway.entrypoints import account_routes, device_routes, jwks_routes, oauth, parental_routes
from gateway.entrypoints.auth import BACKENDS, account_settings, authenticated, backends, json_body
from gateway.entrypoints.middleware import ARRIVED_AT, error_middleware
from gateway.entrypoints.openapi import OPENAPI
from gateway.entrypoints.page_headers import add_page_headers
from gateway.entrypoints.sse import events
from gateway.service_layer import devices, health, profile_selection, profiles, session, sign_in, sign_out

STATIC = pathlib.Path(__file__).resolve().parent.parent / "static"


async def create_account(request: web.Request) -> web.Response:
    credentials = Credentials.from_json(await json_body(request))
    account = await sign_in.create_account(backends(request).auth, credentials)
    return web.json_response(shapes.account_json(account), status=201)


async def sign_in_(request: web.Request) -> web.Response:
    body = SignIn.from_json(await json_body(request), request.remote or "")
    pair = await sign_in.sign_in(backends(request).auth, body)
    return web.json_response(shapes.token_pair_json(pair))


async def refresh_token(request: web.Request) -> web.Response:
    token = refresh_token_from_json(await json_body(request))
    pair = await sign_in.refresh(backends(request).auth, token)
    return web.json_response(shapes.token_pair_json(pair))


@authenticated
async def get_session(request: web.Request, caller: Caller) -> web.Response:
    found = await session.get_session(backends(request).auth, caller)
    return web.json_response(shapes.session_json(found))


@account_settings
async def list_devices(request: web.Request, caller: Caller) -> web.Response:
    query = dict(request.query)
    page = PageRequest.from_query(query)
    found = await devices.list_devices(backends(request).device, caller, page, include_inactive_from_query(query))
    return web.json_response(shapes.device_page_json(found))


@account_settings
async def get_device(request: web.Request, caller: Caller) -> web.Response:
    found = await devices.get_device(backends(request).device, caller, request.match_info["device_id"])
    return web.json_response(shapes.device_json(found))


@account_settings
async def sign_out_device(request: web.Request, caller: Caller) -> web.Response:
    result = await sign_out.sign_out_device(
        backends(request), caller, request.match_info["device_id"], request[ARRIVED_AT]
    )
    return web.json_response(shapes.sign_out_json(result))


@account_settings
async def sign_out_all(request: web.Request, caller: Caller) -> web.Response:
    include_current = include_current_from_json(await json_body(request))
    result = await sign_out.sign_out_all(backends(request), caller, include_current, request[ARRIVED_AT])
    return web.json_response(shapes.sign_out_json(result))


@authenticated
async def sign_out_session(request: web.Request, caller: Caller) -> web.Response:
    result = await sign_out.sign_out_session(backends(request), caller, request[ARRIVED_AT])
    return web.json_response(shapes.sign_out_json(result))


@authenticated
async def list_profiles(request: web.Request, caller: Caller) -> web.Response:
    found = await profiles.list_profiles(backends(request).parental, caller)
    return web.json_response(shapes.profiles_json(found))


@account_settings
async def create_profile(request: web.Request, caller: Caller) -> web.Response:
    new = NewProfile.from_json(await json_body(request))
    gateway = backends(request)
    created = await profiles.create_profile(gateway.parental, caller, new, profile_selection.actor(caller))
    return web.json_response(shapes.profile_json(created), status=201)


async def healthz(request: web.Request) -> web.Response:
    statuses = await health.backend_statuses(backends(request).health)
    serving = health.all_serving(statuses)
    return web.json_response(
        {"status": "ok" if serving else "unavailable", "services": statuses}, status=200 if serving else 503
    )


async def metrics(_request: web.Request) -> web.Response:
    response = web.Response(body=generate_latest())
    response.headers["Content-Type"] = CONTENT_TYPE_LATEST
    return response


async def openapi(_request: web.Request) -> web.Response:
    return web.json_response(OPENAPI)


async def index(_request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "index.html")


ROUTES = [
    web.post("/v1/accounts", create_account),
    web.post("/v1/sign-in", sign_in_),
    web.post("/v1/token/refresh", refresh_token),
    web.get("/v1/session", get_session, allow_head=False),
    web.get("/v1/devices", list_devices, allow_head=False),
    web.get("/v1/devices/{device_id}", get_device, allow_head=False),
    web.post("/v1/devices/{device_id}/sign-out", sign_out_device),
    web.post("/v1/sign-out-all", sign_out_all),
    web.post("/v1/sign-out", sign_out_session),
    web.get("/v1/events", events, allow_head=False),
    web.get("/v1/profiles", list_profiles, allow_head=False),
    web.post("/v1/profiles", create_profile),
    *device_routes.ROUTES,
    *account_routes.ROUTES,
    *parental_routes.ROUTES,
    *oauth.ROUTES,
    *jwks_routes.ROUTES,
    web.get("/healthz", healthz, allow_head=False),
    web.get("/metrics", metrics, allow_head=False),
    web.get("/openapi.json", openapi, allow_head=False),
    web.get("/", index),
    web.static("/static", STATIC),
]


def create_app(backends_: Backends) -> web.Application:
    """The gateway's application; its channels close on cleanup."""
    app = web.Application(middlewares=[error_middleware])
    app[BACKENDS] = backends_
    app.add_routes(ROUTES)
    app.on_response_prepare.append(add_page_headers)

    async def close_channels(_app: web.Application) -> None:
        await backends_.close()

    app.on_cleanup.append(close_channels)
    return app
