"""GET /v1/events: the caller's session events as Server-Sent Events.

The token is checked by opening auth_service's WatchSession stream and reading
its first message before any header is sent, so a bad token is a plain 401.
parental_service's playback stop stream of the account is opened too, best
effort: without it the session's events still flow.
"""

from __future__ import annotations

import contextlib
import json
import logging

import grpc
from aiohttp import web

from common.errors import DomainError
from gateway.adapters.parental_client import PlaybackStopWatch
from gateway.bootstrap import Backends
from gateway.domain.json_parental import stop_json
from gateway.domain.json_shapes import revocation_json
from gateway.domain.model import Caller
from gateway.entrypoints.auth import backends
from gateway.service_layer.events import SessionEvent, session_events
from gateway.service_layer.session import bearer_token

log = logging.getLogger(__name__)


def _frame(event: str, data: object) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def _frame_of(event: SessionEvent) -> bytes | None:
    if event.kind == "ready":
        return _frame("ready", {})
    if event.kind == "keepalive":
        return b": keepalive\n\n"
    if event.kind in ("revoked", "devices") and event.revocation is not None:
        return _frame(event.kind, revocation_json(event.revocation))
    if event.kind == "playback_stopped" and event.stop is not None:
        return _frame("playback_stopped", stop_json(event.stop))
    return None


async def _playback_stops(gateway: Backends, caller: Caller) -> PlaybackStopWatch | None:
    try:
        return await gateway.parental.watch_playback_stops(caller.account_id)
    except (grpc.RpcError, DomainError, TimeoutError) as error:
        log.warning("no playback stop stream for this event stream: %s", type(error).__name__)
        return None


async def events(request: web.Request) -> web.StreamResponse:
    gateway = backends(request)
    token = bearer_token(request.headers.get("Authorization"))
    watch = await gateway.auth.watch_session(token)
    try:
        caller = await gateway.auth.validate_token(token)
        stops = await _playback_stops(gateway, caller)
    except BaseException:
        watch.cancel()
        raise
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )
    try:
        await response.prepare(request)
    except BaseException:
        watch.cancel()
        if stops is not None:
            stops.cancel()
        raise
    stream = session_events(watch, gateway.settings.keepalive_seconds, stops, caller.device_id,
                            apply_first=gateway.device.apply_revocation)
    async with contextlib.aclosing(stream):
        try:
            async for event in stream:
                frame = _frame_of(event)
                if frame is None:
                    break
                await response.write(frame)
        except ConnectionError:  # the client went away; aclosing cancels the gRPC stream
            return response
    with contextlib.suppress(ConnectionError):
        await response.write_eof()
    return response
