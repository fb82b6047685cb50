"""How the gateway's validator stays current: a RevocationLink follows the feed and holds the lease.

Embedded (no REVOCATION_REDIS_URL): `GrpcRevocationLink`, one SyncRevocations stream to
auth_service. At start the index is built from the durable feed (ListRevocations pages);
then the stream opens with the applied sequence; entries are applied in order (a gap:
re-read the feed, then reopen); the lease is renewed every ttl/4 and right after each
applied entry, so a revoker waits one round trip, not a renewal period; a clean shutdown
says `leaving`. A broken stream reconnects with back-off; meanwhile the lease runs out
and the gateway refuses tokens (fails closed) until it is current again.

Cluster (REVOCATION_REDIS_URL set): common.revocation_redis.RedisValidatorLink.

Either way `subscribe()` yields every entry as it is applied: the push path (one
subscription per gateway process) reads it.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol

import grpc
from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc

from common import revocation_proto
from common.revocation import Revocation
from common.validator import Validator
from gateway.revocation_source import FeedReader

log = logging.getLogger(__name__)

FIRST_BACKOFF_SECONDS = 0.1
MAX_BACKOFF_SECONDS = 2.0
LEAVING_SECONDS = 0.5


class RevocationLink(Protocol):
    async def run(self) -> None:
        """Follow the feed and renew the lease until cancelled."""
        ...

    def subscribe(self) -> AsyncIterator[Revocation]:
        """Every entry as it is applied, from now on."""
        ...


class Subscribers:
    """Hands every applied entry to each open `subscribe()` iterator."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[Revocation]] = set()

    def publish(self, revocation: Revocation) -> None:
        for queue in self._queues:
            queue.put_nowait(revocation)

    async def subscribe(self) -> AsyncIterator[Revocation]:
        queue: asyncio.Queue[Revocation] = asyncio.Queue()
        self._queues.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues.discard(queue)


class ValidatorFeed:
    """Applies the durable feed (gateway.revocation_source.FeedReader's pages) after the validator's applied
    sequence, handing each entry to the subscribers."""

    def __init__(self, validator: Validator, feed: FeedReader, subscribers: Subscribers) -> None:
        self.validator = validator
        self.feed = feed
        self.subscribers = subscribers

    async def page_after(self, sequence: int) -> list[Revocation]:
        """One page of the feed after `sequence` (the Redis link calls it until it is empty)."""
        entries, last_sequence = await self.feed.page(sequence)
        self.validator.note_head(last_sequence)
        return entries

    async def catch_up(self) -> int:
        """Read pages until the feed's end; the validator's applied sequence after."""
        while True:
            entries, last_sequence = await self.feed.page(self.validator.applied_sequence)
            self.validator.note_head(last_sequence)
            for entry in entries:
                self.validator.apply_from_feed(entry)  # the feed's own holes are rolled-back numbers, not gaps
                self.subscribers.publish(entry)
            if not entries or self.validator.applied_sequence >= last_sequence:
                return self.validator.applied_sequence


class _Gap(Exception):
    """The stream sent an entry past the next one: re-read the feed, then reopen."""


class GrpcRevocationLink:
    """The embedded transport: SyncRevocations to auth_service."""

    def __init__(self, validator: Validator, auth: auth_pb2_grpc.AuthServiceAsyncStub, *, timeout: float) -> None:
        self.validator = validator
        self.auth = auth
        self.subscribers = Subscribers()
        self.feed = ValidatorFeed(validator, FeedReader(auth, timeout), self.subscribers)
        self.renew_every = validator.lease_ttl_seconds / 4
        self._requests: asyncio.Queue[auth_pb2.SyncRevocationsRequest | None] | None = None
        self._sent: collections.deque[float] = collections.deque()
        self.connected = asyncio.Event()
        self._drained = asyncio.Event()

    def subscribe(self) -> AsyncIterator[Revocation]:
        return self.subscribers.subscribe()

    async def run(self) -> None:
        backoff = FIRST_BACKOFF_SECONDS
        while True:
            try:
                await self.feed.catch_up()
                await self._follow()
                backoff = FIRST_BACKOFF_SECONDS
            except _Gap:
                continue
            except (grpc.aio.AioRpcError, RuntimeError) as error:
                reason = error.code().name if isinstance(error, grpc.aio.AioRpcError) else str(error)
                log.warning("the revocation link broke (%s); reconnecting in %.1f s", reason, backoff)
            self.connected.clear()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    def renew(self) -> None:
        """Report the applied sequence now; the grant that answers it extends the lease."""
        if self._requests is None:
            return
        self._sent.append(self.validator.renewal_sent())
        self._requests.put_nowait(
            auth_pb2.SyncRevocationsRequest(
                validator_id=self.validator.validator_id, applied_sequence=self.validator.applied_sequence
            )
        )

    async def leave(self) -> None:
        """A clean shutdown: tell auth_service the lease ends now, so no revoker waits for us."""
        if self._requests is None or not self.connected.is_set():
            return
        self._requests.put_nowait(
            auth_pb2.SyncRevocationsRequest(
                validator_id=self.validator.validator_id, applied_sequence=self.validator.applied_sequence, leaving=True
            )
        )
        self._requests.put_nowait(None)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._drained.wait(), LEAVING_SECONDS)

    async def _follow(self) -> None:
        requests: asyncio.Queue[auth_pb2.SyncRevocationsRequest | None] = asyncio.Queue()
        self._requests, self._sent = requests, collections.deque()
        self._drained = asyncio.Event()
        call: Any = self.auth.SyncRevocations()
        writer = asyncio.create_task(self._write(call, requests))
        self.renew()
        renewer = asyncio.create_task(self._renew_periodically())
        try:
            while (response := await call.read()) is not grpc.aio.EOF:
                self._handle(response)
        finally:
            self._requests = None
            renewer.cancel()
            writer.cancel()
            call.cancel()

    async def _write(self, call: Any, requests: asyncio.Queue[auth_pb2.SyncRevocationsRequest | None]) -> None:
        """Send the reports in order; after `leave`'s None, close our side of the stream."""
        with contextlib.suppress(grpc.aio.AioRpcError, asyncio.InvalidStateError):
            while (request := await requests.get()) is not None:
                await call.write(request)
            await call.done_writing()
        self._drained.set()

    def _handle(self, response: auth_pb2.SyncRevocationsResponse) -> None:
        if response.HasField("lease"):
            grant = response.lease
            sent_at = self._sent.popleft() if self._sent else self.validator.renewal_sent()
            self.validator.note_head(grant.head_sequence)
            self.validator.lease_granted(sent_at, grant.ttl.ToNanoseconds() / 1e9)
            self.connected.set()
        elif response.HasField("revocation"):
            entry = revocation_proto.from_proto(response.revocation)
            if entry.sequence <= self.validator.applied_sequence:
                return
            if not self.validator.apply(entry):
                raise _Gap()
            self.subscribers.publish(entry)
            self.renew()

    async def _renew_periodically(self) -> None:
        while True:
            await asyncio.sleep(self.renew_every)
            self.renew()


CatchUp = Callable[[], Awaitable[int]]


def make_link(
    validator: Validator,
    auth: auth_pb2_grpc.AuthServiceAsyncStub,
    *,
    timeout: float,
    redis_url: str = "",
    redis_prefix: str = "",
) -> RevocationLink:
    """gRPC SyncRevocations without REVOCATION_REDIS_URL; common.revocation_redis's link with it."""
    if not redis_url:
        return GrpcRevocationLink(validator, auth, timeout=timeout)
    from common import revocation_redis  # redis-py's asyncio client, only in cluster mode

    feed = ValidatorFeed(validator, FeedReader(auth, timeout), Subscribers())
    link: RevocationLink = revocation_redis.RedisValidatorLink(
        validator, feed.page_after, url=redis_url, prefix=redis_prefix
    )
    return link
