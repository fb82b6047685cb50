"""GET /v1/events: the caller's session events as Server-Sent Events.

`event: ready` once listening; `event: devices` with a Revocation of other sessions
of the account (device statuses changed, this session lives on); `event:
playback_stopped` when this device's playback is stopped; finally `event: revoked`
with this session's Revocation, after which the stream ends; `: keepalive` between.

The token is checked by opening auth_service's WatchSession stream and reading its
first message before any header is sent, so a bad token is a plain 401.
parental_service's playback stop stream of the account is opened too, best effort:
without it the session's events still flow. Each gRPC stream is read by its own task
into one queue, so that waiting for a keepalive tick never cancels a read
(cancelling a grpc.aio read cancels the RPC).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

import grpc
from aiohttp import web
from grpc import aio
from remotesignout.auth.v1 import auth_pb2
from remotesignout.device.v1 import device_pb2
from remotesignout.parental.v1 import parental_pb2

from common import revocation_proto
from common.errors import DomainError, Unavailable
from common.revocation import Revocation
from gateway import models
from gateway.api import STREAM, Call, Reply, Routes
from gateway.auth import bearer_token
from gateway.render import render

log = logging.getLogger(__name__)

routes = Routes("events", "What happens to the caller's session, pushed as Server-Sent Events.")

FINAL = ("revoked", "ended")
SSE_HEADERS = {"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


class Stream(Protocol):
    """An open gRPC server stream (grpc.aio's UnaryStreamCall), as read here."""

    async def read(self) -> Any: ...

    def cancel(self) -> bool: ...


@dataclass(frozen=True)
class SessionEvent:
    """One event for the client: "ready", "keepalive", "devices" (another session's revocation),
    "playback_stopped" (with its stop), "revoked" (with its revocation) or "ended"."""

    kind: str
    revocation: Revocation | None = None
    stop: parental_pb2.PlaybackStop | None = None


ApplyFirst = Callable[[Revocation], Awaitable[object]]


async def subscribed(call: Stream, timeout: float, closed_message: str) -> Stream:
    """`call`, once its first message said `subscribed` (within `timeout`); cancelled on any failure.

    Raises the stream's AioRpcError (such as UNAUTHENTICATED) as it comes, and
    Unavailable when the stream ends or says something else first.
    """
    try:
        first = await asyncio.wait_for(call.read(), timeout)
    except BaseException:
        call.cancel()
        raise
    if first is aio.EOF or first.WhichOneof("event") != "subscribed":
        call.cancel()
        raise Unavailable(closed_message)
    return call


async def _pump_session(watch: Stream, queue: asyncio.Queue[SessionEvent], apply_first: ApplyFirst | None) -> None:
    try:
        while (message := await watch.read()) is not aio.EOF:
            kind = message.WhichOneof("event")
            if kind == "revocation":
                await queue.put(SessionEvent("revoked", revocation_proto.from_proto(message.revocation)))
                return
            if kind != "account_revocation":
                continue
            revocation = revocation_proto.from_proto(message.account_revocation)
            if apply_first is not None:
                # auth_service announces a revocation before the sign-out's fan-out reaches
                # device_service; applying it here first (idempotent) means the client's
                # next GET /v1/devices already shows the device signed out.
                with contextlib.suppress(Exception):
                    await apply_first(revocation)
            await queue.put(SessionEvent("devices", revocation))
    except Exception:  # the stream broke: the client reconnects and is told again
        pass
    await queue.put(SessionEvent("ended"))


async def _pump_stops(stops: Stream, device_id: str, queue: asyncio.Queue[SessionEvent]) -> None:
    with contextlib.suppress(Exception):
        while (message := await stops.read()) is not aio.EOF:
            if message.WhichOneof("event") == "stop" and message.stop.device_id == device_id:
                await queue.put(SessionEvent("playback_stopped", stop=message.stop))


async def session_events(
    watch: Stream,
    keepalive_seconds: float,
    stops: Stream | None = None,
    device_id: str = "",
    apply_first: ApplyFirst | None = None,
) -> AsyncGenerator[SessionEvent, None]:
    """Events of an open, subscribed watch, until the revocation or the end of the stream.

    `stops`, when open, adds the account's playback stops for `device_id` only.
    `apply_first` is awaited with each other session's revocation before its
    "devices" event is yielded (device_service's ApplyRevocation).
    Every stream is cancelled when the iteration stops for any reason, including
    the client going away.
    """
    queue: asyncio.Queue[SessionEvent] = asyncio.Queue()
    readers = [asyncio.create_task(_pump_session(watch, queue, apply_first))]
    if stops is not None:
        readers.append(asyncio.create_task(_pump_stops(stops, device_id, queue)))
    try:
        yield SessionEvent("ready")
        while True:
            try:
                event = await asyncio.wait_for(queue.get(), keepalive_seconds)
            except TimeoutError:
                yield SessionEvent("keepalive")
                continue
            yield event
            if event.kind in FINAL:
                return
    finally:
        watch.cancel()
        if stops is not None:
            stops.cancel()
        for reader in readers:
            reader.cancel()
        for reader in readers:
            with contextlib.suppress(asyncio.CancelledError):
                await reader


def _frame(event: str, data: object) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def frame_of(event: SessionEvent) -> bytes | None:
    if event.kind == "ready":
        return _frame("ready", {})
    if event.kind == "keepalive":
        return b": keepalive\n\n"
    if event.kind in ("revoked", "devices") and event.revocation is not None:
        return _frame(event.kind, render(models.Revocation, revocation_proto.to_proto(event.revocation)))
    if event.kind == "playback_stopped" and event.stop is not None:
        return _frame("playback_stopped", render(models.PlaybackStopped, event.stop))
    return None


@routes.get(
    "/v1/events",
    "watchEvents",
    "Server-Sent Events of the caller's session.",
    description=__doc__ or "",
    security=STREAM,
    media_type="text/event-stream",
    response=models.ServerSentEvent,  # OpenAPI 3.1: the schema of an event stream describes each event
)
async def events(call: Call) -> Reply:
    backends = call.backends
    token = bearer_token(call.request.headers.get("Authorization"))
    watch = await subscribed(
        backends.auth.WatchSession(auth_pb2.WatchSessionRequest(access_token=token)),
        backends.timeout,
        "The session event stream closed before it started. Please try again.",
    )
    try:
        caller: auth_pb2.ValidateTokenResponse = await backends.auth.ValidateToken(
            auth_pb2.ValidateTokenRequest(access_token=token), timeout=backends.timeout
        )
        stops = await _playback_stops(call, caller.account_id)
    except BaseException:
        watch.cancel()
        raise
    response = web.StreamResponse(headers=SSE_HEADERS)
    try:
        await response.prepare(call.request)
    except BaseException:
        watch.cancel()
        if stops is not None:
            stops.cancel()
        raise

    async def apply_first(revocation: Revocation) -> object:
        return await backends.device.ApplyRevocation(
            device_pb2.ApplyRevocationRequest(revocation=revocation_proto.to_proto(revocation)),
            timeout=backends.timeout,
        )

    stream = session_events(watch, backends.settings.keepalive_seconds, stops, caller.device_id, apply_first)
    async with contextlib.aclosing(stream):
        try:
            async for event in stream:
                frame = frame_of(event)
                if frame is None:
                    break
                await response.write(frame)
        except ConnectionError:  # the client went away; aclosing cancels the gRPC stream
            return response
    with contextlib.suppress(ConnectionError):
        await response.write_eof()
    return response


async def _playback_stops(call: Call, account_id: str) -> Stream | None:
    try:
        return await subscribed(
            call.backends.parental.WatchPlaybackStops(parental_pb2.WatchPlaybackStopsRequest(account_id=account_id)),
            call.timeout,
            "The playback stop stream closed before it started.",
        )
    except (grpc.RpcError, DomainError, TimeoutError) as error:
        log.warning("no playback stop stream for this event stream: %s", type(error).__name__)
        return None
