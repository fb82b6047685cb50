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

The token is checked (and the session's sign-in time read) before any header is
sent, so a bad token is a plain 401. Nothing upstream is opened per stream: the
process's one gateway.dispatch.Dispatcher hands every revocation and playback stop
to the session's hub. A revocation that reached the Dispatcher while the token was
being checked, before the hub existed, still refuses the stream (401).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import web
from remotesignout.device.v1 import device_pb2
from remotesignout.parental.v1 import parental_pb2

from common import revocation_proto
from common.errors import Unauthenticated, Unavailable
from common.revocation import Revocation
from gateway import models
from gateway.api import STREAM, Call, Reply, Routes
from gateway.auth import authenticate, authenticate_claims, bearer_token
from gateway.bootstrap import Backends
from gateway.dispatch import Dispatcher, Revocations, StopStream
from gateway.render import iso
from gateway.revocation_source import FeedReader
from gateway.streams import CLOSED_STREAMS, Frame, Streams, Subscriber

log = logging.getLogger(__name__)

routes = Routes("events", "What happens to the caller's session, pushed as Server-Sent Events.")

SSE_HEADERS = {"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
RETRY_MILLISECONDS = 2000
TOKEN_EXPIRED = "token_expired"
STREAMS = web.AppKey("streams", Streams)
DISPATCHER = web.AppKey("dispatcher", Dispatcher)
NOT_READY = "The event stream is starting. Please try again."
SIGNED_OUT = "Your session has ended. Sign in again."


@dataclass(frozen=True)
class Watcher:
    """The session an event stream is for, as its token says: what a revocation is checked against."""

    account_id: str
    session_id: str
    device_id: str
    created_at_us: int
    expires_at: float | None
    """When the access token expires (epoch seconds), if known."""


def encode(streams: Streams, subscriber: Subscriber, frame: Frame) -> bytes:
    """`frame` as SSE text, with the id of its event (or the stream's last one); `ready` starts with `retry:`."""
    if frame.number is not None:
        subscriber.position = frame.number
    retry = f"retry: {RETRY_MILLISECONDS}\n" if frame.event == "ready" else ""
    data = json.dumps(frame.data, separators=(",", ":"))
    return f"{retry}id: {streams.event_id(subscriber.position)}\nevent: {frame.event}\ndata: {data}\n\n".encode()


def install(app: web.Application, backends: Backends, revocations: Revocations | None = None) -> None:
    """The gateway's open streams and its one Dispatcher: started with the app, stopped on cleanup (before the
    channels close); every stream ends on shutdown. `revocations` is the validator link's `subscribe` unless a
    test gives another; the feed (gateway.revocation_source) fills any gap."""
    streams = app[STREAMS] = Streams()
    feed = FeedReader(backends.auth, backends.timeout)

    def open_stops() -> StopStream:
        request = parental_pb2.WatchPlaybackStopsRequest(all_accounts=True)
        stream: StopStream = backends.parental.WatchPlaybackStops(request)
        return stream

    async def apply_first(revocation: Revocation) -> object:
        return await backends.device.ApplyRevocation(
            device_pb2.ApplyRevocationRequest(revocation=revocation_proto.to_proto(revocation)),
            timeout=backends.timeout,
        )

    dispatcher = app[DISPATCHER] = Dispatcher(
        streams, revocations or backends.link.subscribe, open_stops, feed=feed, apply_first=apply_first
    )

    async def start(_app: web.Application) -> None:
        dispatcher.start()

    async def end_streams(_app: web.Application) -> None:
        streams.close_all()

    async def stop(_app: web.Application) -> None:
        await dispatcher.close()

    app.on_startup.append(start)
    app.on_shutdown.append(end_streams)
    app.on_cleanup.append(stop)


async def _watcher(backends: Backends, authorization: str | None) -> Watcher:
    """The caller's session, from its token's verified claims (no backend call)."""
    claims = await authenticate_claims(backends, authorization)
    return Watcher(
        claims.account_id, claims.session_id, claims.device_id, claims.session_created_at_us, float(claims.expires_at)
    )


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
    authorization = call.request.headers.get("Authorization")
    bearer_token(authorization)  # a malformed header is refused before anything waits
    streams, dispatcher = call.request.app[STREAMS], call.request.app[DISPATCHER]
    try:
        await asyncio.wait_for(dispatcher.ready.wait(), backends.timeout)
    except TimeoutError:
        raise Unavailable(NOT_READY) from None
    mark = dispatcher.sequence
    watcher = await _watcher(backends, authorization)
    hub = streams.hub(watcher.account_id, watcher.session_id, watcher.device_id, watcher.created_at_us)
    try:
        revoked = dispatcher.revoked_since(mark, hub)
        check_again = False
    except LookupError:  # the Dispatcher cannot tell (it broke, or too much happened): ask once the hub is watched
        revoked, check_again = None, True
    if revoked is not None:
        streams.discard(hub)
        raise Unauthenticated(SIGNED_OUT, reason="session_revoked")
    subscriber = streams.join(
        hub,
        call.request.headers.get("Last-Event-ID"),
        settings.sse_max_streams_per_session,
        settings.sse_max_streams_per_account,
    )
    if check_again:
        try:
            await authenticate(backends, authorization)
        except BaseException:
            streams.leave(subscriber)
            raise
    linger = 0.0
    response = web.StreamResponse(headers=SSE_HEADERS)
    try:
        await response.prepare(call.request)
        if await _write_until_the_end(streams, subscriber, response, settings.keepalive_seconds, watcher.expires_at):
            CLOSED_STREAMS.labels(TOKEN_EXPIRED).inc()
            linger = settings.sse_resume_seconds
        await response.write_eof()
    except ConnectionError:  # the client went away
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
                frame = await subscriber.queue.get(wait)
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
