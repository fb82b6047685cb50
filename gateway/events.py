"""GET /v1/events: the caller's session events as Server-Sent Events.

`event: ready` once listening (after `retry:`, the milliseconds a client waits
before reconnecting); `event: devices` with a Revocation of other sessions of the
account (device statuses changed, this session lives on); `event:
playback_stopped` when this device's playback is stopped; `event: revoked` with
this session's Revocation, after which the stream ends; `: keepalive` between.
Every event has an `id:`. The stream also ends after `event: token_expired`
({"expired_at"}) when the access token it was opened with expires (refresh it and
reconnect), or `event: closed` ({"reason": "too_many_streams"}) when newer streams
of the session (SSE_MAX_STREAMS_PER_SESSION, 3) or of the account
(SSE_MAX_STREAMS_PER_ACCOUNT, 20) pushed it out (do not reconnect on your own).
Reconnecting with `Last-Event-ID` sends the session's events missed since, or
`event: resync` when the gateway no longer has them all (fetch what you show
afresh); gateway.streams keeps that bookkeeping.

The token is checked by opening auth_service's WatchSession stream and reading its
first message before any header is sent, so a bad token is a plain 401.
parental_service's playback stop stream of the account is opened too, best effort:
without it the session's events still flow. All the streams of one session share
one upstream: the first one's gRPC streams, read by one task (`_relay`); later ones
cancel their own. Each gRPC stream is read by its own task into one queue, so that
waiting for a keepalive tick never cancels a read (cancelling a grpc.aio read
cancels the RPC).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
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
from gateway.render import iso, render
from gateway.streams import CLOSED_STREAMS, Frame, Hub, Streams, Subscriber

log = logging.getLogger(__name__)

routes = Routes("events", "What happens to the caller's session, pushed as Server-Sent Events.")

FINAL = ("revoked", "ended")
SSE_HEADERS = {"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
RETRY_MILLISECONDS = 2000
TOKEN_EXPIRED = "token_expired"
STREAMS = web.AppKey("streams", Streams)


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


def data_of(event: SessionEvent) -> object:
    """The JSON data of a session event to relay; None for one that is not relayed."""
    if event.kind in ("revoked", "devices") and event.revocation is not None:
        return render(models.Revocation, revocation_proto.to_proto(event.revocation))
    if event.kind == "playback_stopped" and event.stop is not None:
        return render(models.PlaybackStopped, event.stop)
    return None


def encode(streams: Streams, subscriber: Subscriber, frame: Frame) -> bytes:
    """`frame` as SSE text, with the id of its event (or the stream's last one); `ready` starts with `retry:`."""
    if frame.number is not None:
        subscriber.position = frame.number
    retry = f"retry: {RETRY_MILLISECONDS}\n" if frame.event == "ready" else ""
    data = json.dumps(frame.data, separators=(",", ":"))
    return f"{retry}id: {streams.event_id(subscriber.position)}\nevent: {frame.event}\ndata: {data}\n\n".encode()


def install(app: web.Application) -> None:
    """The gateway's open streams, ended on shutdown."""
    streams = app[STREAMS] = Streams()

    async def end_streams(_app: web.Application) -> None:
        streams.close_all()

    app.on_shutdown.append(end_streams)


async def _relay(streams: Streams, hub: Hub, events: AsyncGenerator[SessionEvent, None]) -> None:
    """The session's events, from its upstream to its hub, until the revocation, a broken stream, or the hub is
    retired (this task cancelled, which cancels the gRPC streams)."""
    async with contextlib.aclosing(events):
        try:
            async for event in events:
                data = data_of(event)
                if data is not None:
                    streams.publish(hub, event.kind, data, final=event.kind == "revoked")
                if event.kind in FINAL:
                    break
        except Exception:
            log.warning("a session event stream failed", exc_info=True)
    if not hub.ended:
        streams.end(hub)


def _expiry(caller: auth_pb2.ValidateTokenResponse) -> float | None:
    """When the caller's access token expires (epoch seconds), if auth_service said."""
    return caller.expires_at.ToNanoseconds() / 1e9 if caller.HasField("expires_at") else None


@routes.get(
    "/v1/events",
    "watchEvents",
    "Server-Sent Events of the caller's session.",
    description=__doc__ or "",
    security=STREAM,
    media_type="text/event-stream",
    text_example="retry: 2000\nid: 5f0c2a9e1b7d4c36.41\nevent: ready\ndata: {}\n\n: keepalive\n\n"
    'id: 5f0c2a9e1b7d4c36.42\nevent: revoked\ndata: {"sequence":7,'
    '"scope":"device","reason":"remote_sign_out","session_id":null,"device_id":"5b6c7d8e-9f0a-'
    '4b1c-8d2e-3f4a5b6c7d8e","revoked_at":"2026-11-25T19:55:00.000000Z"}\n\n',
    response=models.ServerSentEvent,  # OpenAPI 3.1: the schema of an event stream describes each event
)
async def events(call: Call) -> Reply:
    backends = call.backends
    settings = backends.settings
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

    async def apply_first(revocation: Revocation) -> object:
        return await backends.device.ApplyRevocation(
            device_pb2.ApplyRevocationRequest(revocation=revocation_proto.to_proto(revocation)),
            timeout=backends.timeout,
        )

    streams = call.request.app[STREAMS]
    hub = streams.hub(caller.account_id, caller.session_id)
    if hub.upstream is None:
        upstream = session_events(watch, settings.keepalive_seconds, stops, caller.device_id, apply_first)
        hub.upstream = asyncio.create_task(_relay(streams, hub, upstream))
    else:  # the session's first stream watches for every stream of it
        watch.cancel()
        if stops is not None:
            stops.cancel()
    subscriber = streams.join(
        hub,
        call.request.headers.get("Last-Event-ID"),
        settings.sse_max_streams_per_session,
        settings.sse_max_streams_per_account,
    )
    linger = 0.0
    response = web.StreamResponse(headers=SSE_HEADERS)
    try:
        await response.prepare(call.request)
        if await _write_until_the_end(streams, subscriber, response, settings.keepalive_seconds, _expiry(caller)):
            CLOSED_STREAMS.labels(TOKEN_EXPIRED).inc()
            linger = settings.sse_resume_seconds
        await response.write_eof()
    except ConnectionError:  # the client went away; leaving the hub cancels the gRPC streams
        pass
    finally:
        streams.leave(subscriber, linger)
    return response


async def _write_until_the_end(
    streams: Streams, subscriber: Subscriber, response: web.StreamResponse, keepalive: float, expires_at: float | None
) -> bool:
    """Write the stream's frames, keepalives between, until a final one or the token's expiry (True then: the
    stream ended with `token_expired`)."""
    while True:
        if expires_at is not None and time.time() >= expires_at:
            expired = Frame(TOKEN_EXPIRED, {"expired_at": iso(_moment(expires_at))})
            await response.write(encode(streams, subscriber, expired))
            return True
        if subscriber.queue.empty():
            wait = keepalive if expires_at is None else max(0.0, min(keepalive, expires_at - time.time()))
            try:
                frame = await asyncio.wait_for(subscriber.queue.get(), wait)
            except TimeoutError:
                if expires_at is None or time.time() < expires_at:
                    await response.write(b": keepalive\n\n")
                continue
        else:
            frame = subscriber.queue.get_nowait()
        if frame.event:
            await response.write(encode(streams, subscriber, frame))
        if frame.final:
            return False


def _moment(epoch_seconds: float) -> datetime:
    return datetime.fromtimestamp(epoch_seconds, UTC)


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
