"""One push path per gateway process: every revocation and every playback stop, handed to the sessions they concern.

A `Dispatcher`, started once with the app, follows two subscriptions and nothing
per stream: (a) the revocation feed, as an async iterator of entries (the
validator link's `subscribe()`; gateway.revocation_source polls the feed until it
is wired), and (b) ONE parental_service WatchPlaybackStops(all_accounts=true)
stream. It hands each event to the hubs of gateway.streams:

- a revocation: `revoked` (final) to every hub whose session it covers
  (common.revocation's rule on the hub's account, session, device and `sat`),
  and `devices` to the account's other hubs, once device_service has applied it
  (ApplyRevocation, idempotent: the client's next GET /v1/devices already shows
  the device signed out; one call per revocation, not per stream);
- a playback stop: `playback_stopped` to the hubs of that account and device.

Nothing is lost when a subscription breaks: it is re-opened with back-off, the
revocations missed meanwhile are re-read from the durable feed after the last
sequence handled (and any gap in the subscription is filled the same way), and
then every hub gets `resync` (its client refetches what it shows: playback stops
have no feed to re-read). The last `RECENT` entries are kept so that a stream
whose token was checked just before a revocation arrived, but whose hub did not
exist yet, is refused rather than left open (`revoked_since`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol

from grpc import aio
from remotesignout.parental.v1 import parental_pb2

from common import revocation_proto
from common.revocation import Revocation
from gateway import models
from gateway.render import render
from gateway.streams import Hub, Streams

log = logging.getLogger(__name__)

RECENT = 1024
BACKOFF_FIRST_SECONDS = 0.1
BACKOFF_MAX_SECONDS = 5.0
RESYNC = {"reason": "events_missed"}

Revocations = Callable[[], AsyncIterator[Revocation]]
ApplyFirst = Callable[[Revocation], Awaitable[object]]


class Feed(Protocol):
    """The durable revocation feed (gateway.revocation_source.FeedReader)."""

    async def head(self) -> int: ...

    def entries_after(self, sequence: int) -> AsyncIterator[Revocation]: ...


class StopStream(Protocol):
    """An open WatchPlaybackStops call (grpc.aio's UnaryStreamCall), as read here."""

    async def read(self) -> Any: ...

    def cancel(self) -> bool: ...


class Broken(Exception):
    """A subscription ended or failed."""


def revocation_data(revocation: Revocation) -> object:
    return render(models.Revocation, revocation_proto.to_proto(revocation))


def covers(revocation: Revocation, hub: Hub) -> bool:
    return revocation.covers_session(hub.account_id, hub.session_id, hub.device_id, hub.created_at_us)


class Dispatcher:
    def __init__(
        self,
        streams: Streams,
        revocations: Revocations,
        open_stops: Callable[[], StopStream] | None = None,
        *,
        feed: Feed | None = None,
        apply_first: ApplyFirst | None = None,
        recent: int = RECENT,
        backoff_max_seconds: float = BACKOFF_MAX_SECONDS,
    ) -> None:
        self.streams = streams
        self._revocations = revocations
        self._open_stops = open_stops
        self._feed = feed
        self._apply_first = apply_first
        self._backoff_max = backoff_max_seconds
        self.sequence: int | None = None
        """Every entry up to it has been handed out (None until the first subscription is open)."""
        self.recent: deque[Revocation] = deque(maxlen=recent)
        self.ready = asyncio.Event()
        """Set once the revocation subscription is open: a stream opened before would not know where it starts."""
        self.connected = {"revocations": False, "stops": False}
        self.resyncs = 0
        self._tasks: list[asyncio.Task[None]] = []
        self._chains: dict[str, asyncio.Task[None]] = {}

    def start(self) -> None:
        self._tasks.append(asyncio.create_task(self._keep_following("revocations", self._follow_revocations)))
        if self._open_stops is not None:
            self._tasks.append(asyncio.create_task(self._keep_following("stops", self._follow_stops)))

    async def close(self) -> None:
        tasks = [*self._tasks, *self._chains.values()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        self._chains.clear()

    def revoked_since(self, mark: int | None, hub: Hub) -> Revocation | None:
        """The entry handed out after `mark` (the `sequence` read before the hub's token was checked) that covers
        `hub`'s session, if any. Raises LookupError when those entries are no longer all kept."""
        if mark is None or self.sequence is None:
            raise LookupError("the dispatcher was not following the feed")
        if mark >= self.sequence:
            return None
        if self.sequence - mark > len(self.recent):
            raise LookupError("more entries than kept since the mark")
        return next((r for r in self.recent if r.sequence > mark and covers(r, hub)), None)

    async def _keep_following(self, name: str, follow: Callable[[], Awaitable[None]]) -> None:
        """`follow` again after each break, with exponential back-off; every hub gets resync once it is back."""
        delay = BACKOFF_FIRST_SECONDS
        while True:
            try:
                await follow()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # any failure is a break: reconnect
                log.warning("the %s subscription broke (%s); reconnecting", name, type(error).__name__)
            if self.connected[name]:
                delay = BACKOFF_FIRST_SECONDS
            self.connected[name] = False
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._backoff_max)

    def _back(self, name: str, after_break: bool) -> None:
        self.connected[name] = True
        if after_break:
            self.resync_all()

    def resync_all(self) -> None:
        """Every hub's streams are told to refetch: something may have been missed."""
        self.resyncs += 1
        for hub in list(self.streams.hubs.values()):
            self.streams.publish(hub, "resync", RESYNC)

    async def _follow_revocations(self) -> None:
        after_break = self.sequence is not None
        queue: asyncio.Queue[Revocation | BaseException | None] = asyncio.Queue()
        reader = asyncio.create_task(_read_into(self._revocations(), queue))
        try:
            await asyncio.sleep(0)  # the reader subscribes first: nothing falls between it and the catch-up
            pending: Revocation | None = None
            if self._feed is None:
                if self.sequence is None:  # no feed to say where it starts: at the first entry
                    first = await queue.get()
                    if not isinstance(first, Revocation):
                        raise Broken("the revocation subscription ended") from first
                    self.sequence, pending = first.sequence - 1, first
            elif self.sequence is None:
                self.sequence = await self._feed.head()
            else:
                await self._catch_up()
            self._back("revocations", after_break)
            self.ready.set()
            if pending is not None:
                await self._take(pending)
            while True:
                item = await queue.get()
                if not isinstance(item, Revocation):
                    raise Broken("the revocation subscription ended") from item
                await self._take(item)
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader

    async def _catch_up(self) -> None:
        assert self._feed is not None and self.sequence is not None
        async for entry in self._feed.entries_after(self.sequence):
            self._handle(entry)

    async def _take(self, revocation: Revocation) -> None:
        """One entry of the subscription: skipped if already handled, the gap before it filled from the feed."""
        assert self.sequence is not None
        if revocation.sequence <= self.sequence:
            return
        if revocation.sequence > self.sequence + 1 and self._feed is not None:
            async for entry in self._feed.entries_after(self.sequence):
                if entry.sequence >= revocation.sequence:
                    break
                self._handle(entry)
        self._handle(revocation)

    def _handle(self, revocation: Revocation) -> None:
        """Hand one entry out: `revoked` now to the sessions it covers, `devices` to the account's others once
        device_service applied it (in order per account)."""
        if self.sequence is not None and revocation.sequence <= self.sequence:
            return
        self.sequence = revocation.sequence
        self.recent.append(revocation)
        others = []
        for hub in self.streams.hubs_of(revocation.account_id):
            if covers(revocation, hub):
                self.streams.publish(hub, "revoked", revocation_data(revocation), final=True)
            else:
                others.append(hub)
        if others:
            previous = self._chains.get(revocation.account_id)
            chain = asyncio.create_task(self._devices(revocation, previous))
            self._chains[revocation.account_id] = chain
            chain.add_done_callback(lambda done: self._chain_done(revocation.account_id, done))

    def _chain_done(self, account_id: str, task: asyncio.Task[None]) -> None:
        if self._chains.get(account_id) is task:
            del self._chains[account_id]

    async def _devices(self, revocation: Revocation, previous: asyncio.Task[None] | None) -> None:
        if previous is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await previous
        if self._apply_first is not None:
            with contextlib.suppress(Exception):  # device_service down: the event still goes out
                await self._apply_first(revocation)
        data = revocation_data(revocation)
        for hub in self.streams.hubs_of(revocation.account_id):
            if not covers(revocation, hub):
                self.streams.publish(hub, "devices", data)

    async def _follow_stops(self) -> None:
        assert self._open_stops is not None
        after_break = self.connected["stops"] is False and self._stops_seen
        call = self._open_stops()
        try:
            first = await call.read()
            if first is aio.EOF or first.WhichOneof("event") != "subscribed":
                raise Broken("the playback stop stream closed before it started")
            self._stops_seen = True
            self._back("stops", after_break)
            while (message := await call.read()) is not aio.EOF:
                if message.WhichOneof("event") == "stop":
                    self.stop(message.stop)
            raise Broken("the playback stop stream ended")
        finally:
            call.cancel()

    _stops_seen = False

    def stop(self, stop: parental_pb2.PlaybackStop) -> None:
        data = render(models.PlaybackStopped, stop)
        for hub in self.streams.hubs_of(stop.account_id):
            if hub.device_id == stop.device_id:
                self.streams.publish(hub, "playback_stopped", data)


async def _read_into(
    entries: AsyncIterator[Revocation], queue: asyncio.Queue[Revocation | BaseException | None]
) -> None:
    """Each entry of a subscription into `queue`, then None when it ends or the error it raised: a task of its own,
    so that nothing waiting on the queue ever cancels a read."""
    try:
        async for entry in entries:
            queue.put_nowait(entry)
        queue.put_nowait(None)
    except asyncio.CancelledError:
        raise
    except Exception as error:  # handed over: the subscription broke
        queue.put_nowait(error)
    finally:
        close = getattr(entries, "aclose", None)
        if close is not None:
            with contextlib.suppress(Exception):
                await close()
