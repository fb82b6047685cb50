"""The caller's session events: ready, device changes and playback stops, then at most one
revocation, with keepalives between.

Each gRPC stream is read by its own task into one queue, so that waiting for a
keepalive tick never cancels a read (cancelling a grpc.aio read cancels the RPC).
The playback stop stream is best effort: if it breaks, the session's events go on.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from gateway.adapters.auth_client import SessionWatch
from gateway.adapters.parental_client import PlaybackStopWatch
from gateway.domain.model import Revocation
from gateway.domain.parental import PlaybackStop

FINAL = ("revoked", "ended")


@dataclass(frozen=True)
class SessionEvent:
    """One event for the client: "ready", "keepalive", "devices" (another session's revocation),
    "playback_stopped" (with its stop), "revoked" (with its revocation) or "ended"."""

    kind: str
    revocation: Revocation | None = None
    stop: PlaybackStop | None = None


ApplyFirst = Callable[[Revocation], Awaitable[object]]


async def _pump_session(watch: SessionWatch, queue: asyncio.Queue[SessionEvent],
                        apply_first: ApplyFirst | None) -> None:
    try:
        async for final, revocation in watch.revocations():
            if final:
                await queue.put(SessionEvent("revoked", revocation))
                return
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


async def _pump_stops(stops: PlaybackStopWatch, device_id: str, queue: asyncio.Queue[SessionEvent]) -> None:
    with contextlib.suppress(Exception):
        async for stop in stops.stops():
            if stop.device_id == device_id:
                await queue.put(SessionEvent("playback_stopped", stop=stop))


async def session_events(watch: SessionWatch, keepalive_seconds: float, stops: PlaybackStopWatch | None = None,
                         device_id: str = "", apply_first: ApplyFirst | None = None) -> AsyncIterator[SessionEvent]:
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
