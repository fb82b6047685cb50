"""SyncRevocations: one validator's (a gateway's) feed and lease over one bidi stream (embedded mode).

Two tasks per stream share one outgoing queue, so a grant and the entries are sent in the order they
were decided:

- the reader takes each report: the first names the validator and where its feed starts; each one renews
  its lease in this process's `MemoryLeaseRegistry` and is answered with a LeaseGrant; `leaving` ends the
  lease at once (answered with a zero TTL). The end of the requests ends the stream and leaves the lease
  to run out: a validator that merely lost its connection is still waited for until then;
- the sender sends every entry after the first report's applied_sequence from the durable feed, then the
  entries committed since (service_layer.acknowledgements), in sequence order: when a committed entry is
  not the next one (commits of concurrent revocations reach the event loop in either order, a slow stream
  overflowed), it reads the feed after the last entry sent first. A grant whose head is ahead of what was
  sent also makes it read the feed, so a validator never stays behind for an entry nobody announced.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from remotesignout.auth.v1 import auth_pb2 as pb

from auth_service.entrypoints import convert
from auth_service.service_layer.acknowledgements import Follower
from auth_service.service_layer.dependencies import Dependencies
from auth_service.service_layer.revocations import FEED_PAGE_MAX, read_feed
from common.errors import FailedPrecondition, InvalidArgument
from common.revocation import Revocation
from common.validator import Grant, MemoryLeaseRegistry

VALIDATOR_ID_MAX = 100
_END = object()


class _Stream:
    def __init__(self, deps: Dependencies, registry: MemoryLeaseRegistry, follower: Follower) -> None:
        self.deps = deps
        self.registry = registry
        self.follower = follower
        self.out: asyncio.Queue[pb.SyncRevocationsResponse | object] = asyncio.Queue()
        self.validator_id = ""
        self.sent = 0
        self.sender: asyncio.Task[None] | None = None

    async def read(self, requests: AsyncIterator[pb.SyncRevocationsRequest]) -> None:
        try:
            async for request in requests:
                self._report(request)
        finally:
            self.out.put_nowait(_END)

    def _report(self, request: pb.SyncRevocationsRequest) -> None:
        if not request.validator_id or len(request.validator_id) > VALIDATOR_ID_MAX:
            raise InvalidArgument("validator_id is required (at most 100 characters).")
        if request.applied_sequence < 0:
            raise InvalidArgument("applied_sequence cannot be negative.")
        if not self.validator_id:
            self.validator_id = request.validator_id
            self.sent = request.applied_sequence
            self.sender = asyncio.create_task(self._send_feed())
        elif request.validator_id != self.validator_id:
            raise InvalidArgument("One stream carries one validator's reports.")
        if request.leaving:
            self.registry.leave(self.validator_id)
            grant = Grant(request.applied_sequence, self.registry.head_sequence, 0.0)
        else:
            grant = self.registry.renew(self.validator_id, request.applied_sequence)
            if grant.head_sequence > self.sent:
                self.follower.offer(None)
        self.out.put_nowait(convert.lease_grant(grant))

    async def _send_feed(self) -> None:
        await self._read_feed()
        while True:
            revocation = await self.follower.queue.get()
            if revocation is None or revocation.sequence > self.sent + 1:
                await self._read_feed()
            if revocation is not None and revocation.sequence == self.sent + 1:
                self._send(revocation)

    async def _read_feed(self) -> None:
        while True:
            page, _ = await read_feed(self.deps.uow(), self.sent, FEED_PAGE_MAX)
            for revocation in page:
                self._send(revocation)
            if len(page) < FEED_PAGE_MAX:
                return

    def _send(self, revocation: Revocation) -> None:
        if revocation.sequence > self.sent:
            self.sent = revocation.sequence
            self.out.put_nowait(pb.SyncRevocationsResponse(revocation=convert.revocation(revocation)))


async def sync_revocations(
    deps: Dependencies, requests: AsyncIterator[pb.SyncRevocationsRequest]
) -> AsyncIterator[pb.SyncRevocationsResponse]:
    """The responses of one SyncRevocations stream, until the validator stops reporting."""
    acknowledgements = deps.events.acknowledgements
    registry = acknowledgements.registry
    if not isinstance(registry, MemoryLeaseRegistry):
        raise FailedPrecondition(
            "This deployment carries revocations in Redis (REVOCATION_REDIS_URL): validators follow them there."
        )
    with acknowledgements.subscribe() as follower:
        stream = _Stream(deps, registry, follower)
        reader = asyncio.create_task(stream.read(requests))
        try:
            while True:
                response = await _next(stream.out, reader, stream.sender)
                if response is _END:
                    break
                assert isinstance(response, pb.SyncRevocationsResponse)
                yield response
            await reader  # a bad report raises its error here
        finally:
            for task in (reader, stream.sender):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task


async def _next(
    out: asyncio.Queue[pb.SyncRevocationsResponse | object],
    reader: asyncio.Task[None],
    sender: asyncio.Task[None] | None,
) -> object:
    """The next response; a failed sender (the database went away) ends the stream with its error."""
    if not out.empty():
        return out.get_nowait()
    getting = asyncio.ensure_future(out.get())
    watched: list[asyncio.Future[object] | asyncio.Task[None]] = [getting]
    if sender is not None:
        watched.append(sender)
    done, _ = await asyncio.wait(watched, return_when=asyncio.FIRST_COMPLETED)
    if getting in done:
        return getting.result()
    getting.cancel()
    assert sender is not None
    sender.result()  # raises the sender's error
    return _END
