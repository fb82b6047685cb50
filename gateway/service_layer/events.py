"""The caller's session events: ready, then at most one revocation, with keepalives between.

The gRPC stream is read by its own task into a queue, so that waiting for a
keepalive tick never cancels a read (cancelling a grpc.aio read cancels the RPC).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from gateway.adapters.auth_client import SessionWatch
from gateway.domain.model import Revocation


@dataclass(frozen=True)
class SessionEvent:
    """One event for the client: "ready", "keepalive", "revoked" (with its revocation) or "ended"."""

    kind: str
    revocation: Revocation | None = None


async def _pump(watch: SessionWatch, queue: asyncio.Queue[SessionEvent]) -> None:
    try:
        async for revocation in watch.revocations():
            await queue.put(SessionEvent("revoked", revocation))
            return
    except Exception:  # the stream broke: the client reconnects and is told again
        pass
    await queue.put(SessionEvent("ended"))


async def session_events(watch: SessionWatch, keepalive_seconds: float) -> AsyncIterator[SessionEvent]:
    """Events of an open, subscribed watch, until the revocation or the end of the stream.

    The watch is cancelled when the iteration stops for any reason, including the
    client going away.
    """
    queue: asyncio.Queue[SessionEvent] = asyncio.Queue()
    reader = asyncio.create_task(_pump(watch, queue))
    try:
        yield SessionEvent("ready")
        while True:
            try:
                event = await asyncio.wait_for(queue.get(), keepalive_seconds)
            except TimeoutError:
                yield SessionEvent("keepalive")
                continue
            yield event
            return
    finally:
        watch.cancel()
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader
