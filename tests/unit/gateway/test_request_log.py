"""The request middleware on its own (gateway.request_log): the access line only when asked for, 5xx at WARNING,
a client that left before the answer as 499, and the request id bound only while the request runs."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from common import request_id
from gateway.request_log import REQUEST_ID, request_middleware
from tests.log_capture import captured_lines


async def run(access_log: bool, handler, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    request = make_mocked_request("GET", "/v1/session", headers=headers or {})
    return request, await request_middleware(access_log=access_log)(request, handler)


async def test_off_it_writes_nothing_but_still_binds_the_id() -> None:
    seen = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request_id.current())
        return web.Response(status=200)

    with captured_lines() as lines:
        request, _ = await run(False, handler, {"X-Request-ID": "abc"})
    assert lines.of("gateway.request_log") == [] and seen == ["abc"] and request[REQUEST_ID] == "abc"
    assert request_id.current() == ""  # unbound once the request is over


async def test_a_server_error_is_a_warning() -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=503)

    with captured_lines() as lines:
        await run(True, handler)
    [line] = lines.of("gateway.request_log")
    assert (line["level"], line["status"]) == ("warning", 503)


async def test_a_client_that_left_is_499_at_info() -> None:
    async def handler(request: web.Request) -> web.Response:
        raise asyncio.CancelledError

    with captured_lines() as lines, pytest.raises(asyncio.CancelledError):
        await run(True, handler)
    [line] = lines.of("gateway.request_log")
    assert (line["level"], line["status"]) == ("info", 499)
