"""Reading auth_service's revocation feed: following it, so a service that was down
catches up, and looking up one entry, to check a revocation someone else delivered.

The gateway's fan-out applies a revocation the moment it happens; the follower
is the safety net. It reads the feed after a cursor that it stores in the
service's own database, applies each entry (applying is idempotent, by
sequence), and only then moves the cursor: nothing is lost, nothing applied
twice. `FeedEntryReader` is what common.revocation_delivery checks an
ApplyRevocation from a caller other than auth_service against. Both hand out
entries as the shared contract, common.revocation.Revocation
(common.revocation_proto converts them).

`remotesignout_revocation_pending_seconds` (device_service, parental_service) is the
age of the oldest revocation this service knows exists in auth_service's feed but
has not applied, 0 when there is none (`Pending`). It knows of an entry only from the
feed, auth_service's word: an entry listed in a page it read (its age counts from the
entry's `revoked_at`, auth_service's clock), or a sequence the feed said is its last
(counted from when this service read that, its own clock). An entry counts as applied
once the follower has applied it and moved its cursor past it. So the gauge stays 0
while the follower applies what it reads, and grows when the service sees entries it
cannot apply (its database failing, an entry it chokes on), the "fan-out left pending"
case: the gateway's fan-out failed and the safety net cannot finish the job either.
It cannot see entries it never heard of: while auth_service's feed is unreadable the
gauge says nothing new, and the client series
(`remotesignout_grpc_client_handled_total{grpc_method="ListRevocations"}`) show that.
Ages compare two hosts' clocks (clamped at 0): skew between them shows up in it.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Protocol

from grpc import aio
from prometheus_client import Gauge
from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc
from sqlalchemy import BigInteger, Column, Engine, MetaData, String, Table, select

from common.db import insert_missing
from common.errors import Unavailable
from common.grpc_server import Server, serve
from common.revocation import Revocation
from common.revocation_proto import from_proto

log = logging.getLogger(__name__)

feed_cursor = Table(
    "feed_cursor",
    MetaData(),
    Column("name", String(64), primary_key=True),
    Column("sequence", BigInteger, nullable=False),
)

REVOCATION_PENDING = Gauge(
    "remotesignout_revocation_pending_seconds",
    "Age of the oldest revocation this service knows exists in auth_service's feed but has not applied, 0 when "
    "caught up (common.revocation_feed explains how it knows).",
)


class Pending:
    """The revocations known to exist but not applied here, with since when each is known (seconds on the wall
    clock): `saw` a feed page, `applied_through` the cursor; `seconds()` is the gauge's value."""

    def __init__(self, clock: Callable[[], float] = time.time, limit: int = 10_000) -> None:
        self.applied = 0
        self.limit = limit
        self._clock = clock
        self._since: dict[int, float] = {}

    def saw(self, last_sequence: int, entries: Iterable[tuple[int, float]]) -> None:
        """A feed page: its entries as (sequence, revoked at), and the feed's last sequence (known from now)."""
        for sequence, revoked_at in entries:
            if sequence > self.applied:
                self._since[sequence] = min(self._since.get(sequence, revoked_at), revoked_at)
        if last_sequence > self.applied:
            self._since.setdefault(last_sequence, self._clock())
        if len(self._since) > self.limit:  # keep the oldest: only they set the age
            for sequence in sorted(self._since)[self.limit :]:
                del self._since[sequence]

    def applied_through(self, sequence: int) -> None:
        """Every entry up to `sequence` is applied."""
        if sequence > self.applied:
            self.applied = sequence
            for known in [known for known in self._since if known <= sequence]:
                del self._since[known]

    def seconds(self) -> float:
        if not self._since:
            return 0.0
        return max(0.0, self._clock() - min(self._since.values()))


Apply = Callable[[Revocation], object]
"""Applies one entry; may return an awaitable, which is awaited before the cursor moves."""


class _Feed(Protocol):
    """The part of auth_service's stub read here."""

    def ListRevocations(
        self, request: auth_pb2.ListRevocationsRequest, *, timeout: float
    ) -> Awaitable[auth_pb2.ListRevocationsResponse]: ...


# The generated _pb2_grpc module has no annotations; this is the type its stub class has, as far as used here.
_feed_stub: Callable[[aio.Channel], _Feed] = auth_pb2_grpc.AuthServiceStub


class CursorStore:
    """The last feed sequence this service has applied, in its own database.

    The table is `feed_cursor` above; each service that follows the feed copies it into its own
    metadata (`feed_cursor.to_metadata(Base.metadata)`), so that service's migrations make it.

    Every replica of the service follows the feed and saves the cursor: `save` only ever moves it
    forward (a replica that fell behind cannot take it back) and creates the row in the same statement
    (two first saves at once do not clash on its key).
    """

    def __init__(self, engine: Engine, name: str = "revocations") -> None:
        self.engine = engine
        self.name = name

    def load(self) -> int:
        with self.engine.connect() as db:
            return int(db.scalar(select(feed_cursor.c.sequence).where(feed_cursor.c.name == self.name)) or 0)

    def save(self, sequence: int) -> None:
        """Move the cursor to `sequence`, unless it is there or further already."""
        with self.engine.begin() as db:
            if not insert_missing(db, feed_cursor, {"name": self.name, "sequence": sequence}):
                db.execute(
                    feed_cursor.update()
                    .where(feed_cursor.c.name == self.name, feed_cursor.c.sequence < sequence)
                    .values(sequence=sequence)
                )


class FeedFollower:
    """Applies auth_service's feed after the stored cursor, every `poll_seconds`; its `pending` feeds this
    process's remotesignout_revocation_pending_seconds (one follower per process)."""

    def __init__(
        self,
        channel: aio.Channel,
        apply: Apply,
        cursor: CursorStore,
        *,
        timeout_seconds: float,
        poll_seconds: float = 1.0,
        page_size: int = 500,
    ) -> None:
        self.stub = _feed_stub(channel)
        self.apply = apply
        self.cursor = cursor
        self.timeout = timeout_seconds
        self.poll_seconds = poll_seconds
        self.page_size = page_size
        self.pending = Pending()
        REVOCATION_PENDING.set_function(self.pending.seconds)

    async def catch_up(self) -> int:
        """Apply every entry after the cursor; returns how many were read."""
        after, read = self.cursor.load(), 0
        self.pending.applied_through(after)
        while True:
            page = await self.stub.ListRevocations(
                auth_pb2.ListRevocationsRequest(after_sequence=after, page_size=self.page_size), timeout=self.timeout
            )
            entries = [from_proto(entry) for entry in page.revocations]
            self.pending.saw(
                page.last_sequence, ((entry.sequence, entry.revoked_at_us / 1_000_000) for entry in entries)
            )
            for revocation in entries:
                applied = self.apply(revocation)
                if inspect.isawaitable(applied):
                    await applied
                after = revocation.sequence
                self.cursor.save(after)
                self.pending.applied_through(after)
            read += len(page.revocations)
            if len(page.revocations) < self.page_size:
                return read

    async def run(self) -> None:
        """Catch up now, then every poll interval, for as long as the service runs.

        No failure ends the loop: auth_service being down, a locked database or
        a bad entry is logged and retried (with back-off up to a minute), since
        a follower that stopped would lose every later revocation.
        """
        failures = 0
        while True:
            try:
                read = await self.catch_up()
                failures = 0
                if read:
                    log.info("applied %d revocations from the feed", read)
            except aio.AioRpcError as error:
                failures += 1
                log.warning("revocation feed unavailable: %s", error.code().name)
            except Exception:
                failures += 1
                log.exception("applying the revocation feed failed; retrying from the stored cursor")
            await asyncio.sleep(min(60.0, self.poll_seconds * 2 ** min(failures, 6)) if failures else self.poll_seconds)


class FeedEntryReader:
    """Looks up the entry with one sequence in auth_service's feed (common.revocation_delivery.FeedEntries).

    auth_service pushes a revocation to open session streams (and so to the
    gateway's event streams, which deliver it here) a moment before its commit
    is durable and readable. So when the feed has not reached the sequence yet
    (`last_sequence` below it), the entry is asked for again, briefly, for up to
    `settle_seconds`; once the feed is past the sequence without it (feed writers
    commit in sequence order), the answer is None at once.
    """

    def __init__(self, channel: aio.Channel, *, timeout_seconds: float, settle_seconds: float = 1.0) -> None:
        self.stub = _feed_stub(channel)
        self.timeout = timeout_seconds
        self.settle_seconds = settle_seconds

    async def entry(self, sequence: int) -> Revocation | None:
        """The entry with exactly `sequence`, None when the feed has none; Unavailable when unreadable."""
        if sequence <= 0:
            return None
        loop = asyncio.get_running_loop()
        started = loop.time()
        pause = 0.005
        while True:
            request = auth_pb2.ListRevocationsRequest(after_sequence=sequence - 1, page_size=1)
            try:
                page = await self.stub.ListRevocations(request, timeout=self.timeout)
            except aio.AioRpcError as error:
                raise Unavailable(
                    f"auth_service's revocation feed could not be read ({error.code().name}); nothing was applied, "
                    "the revocation feed follower will apply it."
                ) from error
            if page.revocations and page.revocations[0].sequence == sequence:
                return from_proto(page.revocations[0])
            if page.last_sequence >= sequence or loop.time() - started + pause > self.settle_seconds:
                return None
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.1)


async def serve_following(
    server: Server,
    grace_seconds: float,
    follower: FeedFollower,
    auth_channel: aio.Channel,
    closers: Sequence[Callable[[], Awaitable[None]]] = (),
) -> None:
    """Serve `server` until SIGTERM while `follower` applies the feed; then stop following and close the
    channel to auth_service, then `closers` (device_service and parental_service run this way)."""
    following = asyncio.create_task(follower.run())

    async def on_stop() -> None:
        following.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await following
        await auth_channel.close()
        for close in closers:
            await close()

    await serve(server, grace_seconds, on_stop)
