"""Handlers that need a signed-in caller get one, validated by auth_service."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from aiohttp import web

from gateway.bootstrap import Backends
from gateway.domain.model import Caller
from gateway.domain.requests import parse_object
from gateway.service_layer import profile_selection, session

BACKENDS = web.AppKey("backends", Backends)

AuthenticatedHandler = Callable[[web.Request, Caller], Awaitable[web.StreamResponse]]


def backends(request: web.Request) -> Backends:
    return request.app[BACKENDS]


def authenticated(handler: AuthenticatedHandler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Validate the bearer token first; a missing or bad one answers 401."""

    @functools.wraps(handler)
    async def wrapper(request: web.Request) -> web.StreamResponse:
        caller = await session.authenticate(backends(request).auth, request.headers.get("Authorization"))
        return await handler(request, caller)

    return wrapper


def account_settings(handler: AuthenticatedHandler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Like `authenticated`, and a session in a kids profile answers 403 kids_profile."""

    @functools.wraps(handler)
    async def guarded(request: web.Request, caller: Caller) -> web.StreamResponse:
        profile_selection.require_account_settings(caller)
        return await handler(request, caller)

    return authenticated(guarded)


async def json_body(request: web.Request) -> dict[str, object]:
    return parse_object(await request.read())
