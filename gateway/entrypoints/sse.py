"""GET /v1/events: the caller's session events as Server-Sent Events.

The token is checked by opening auth_service's WatchSession stream and reading
its first message before any header is sent, so a bad token is a plain 401.
"""

from __future__ import annotations

import contextlib
import json

from aiohttp import web

from gateway.domain.json_shapes import revocation_json
from gateway.entrypoints.auth import backends
from gateway.service_layer.events import session_events
from gateway.service_layer.session import bearer_token


def _frame(event: str, data: object) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


async def events(request: web.Request) -> web.StreamResponse:
    gateway = backends(request)
    token = bearer_token(request.headers.get("Authorization"))
    watch = await gateway.auth.watch_session(token)
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )
    try:
        await response.prepare(request)
    except BaseException:
        watch.cancel()
        raise
    stream = session_events(watch, gateway.settings.keepalive_seconds)
    async with contextlib.aclosing(stream):
        try:
            async for event in stream:
                if event.kind == "ready":
                    await response.write(_frame("ready", {}))
                elif event.kind == "keepalive":
                    await response.write(b": keepalive\n\n")
                elif event.kind == "revoked" and event.revocation is not None:
                    await response.write(_frame("revoked", revocation_json(event.revocation)))
                else:
                    break
        except ConnectionError:  # the client went away; aclosing cancels the gRPC stream
            return response
    with contextlib.suppress(ConnectionError):
        await response.write_eof()
    return response
