"""Committed revocations on their way to the validators, and the revoker's wait for them.

A revoking call commits its entry (service_layer.revocations), then waits `LeaseRegistry.wait_for`:
until every validator with a live lease (gateways; other auth_service replicas in cluster mode) has
applied it, or that validator's lease ran out (common.validator). The entry reaches validators by one
of two transports:

- embedded: the SyncRevocations streams of this process (`subscribe`), fed by `committed`, which the
  revoking worker thread calls through the event loop once its transaction has committed; validators
  renew their leases in this process's `MemoryLeaseRegistry`;
- cluster: a `RevocationBus` (Redis) that the revoker publishes to before waiting, and a shared registry.

The wait is the span "revocation.acknowledgement" of the revoking call's trace (common.tracing, when it is
on), with the sequence and the receipt's counts.

Entries are handed over only after their commit: a validator never applies an entry that could still
roll back (its sequence would be given to the next one). Commits of concurrent revocations may reach the
event loop out of order; a stream fills any gap from the durable feed (entrypoints.sync_revocations).

Metrics (auth_service only): the whole wait (`revocation_ack_wait_seconds`), and per validator, by its
configured name (common.validator.validator_name), how long after the commit it acknowledged
(`validator_ack_seconds`) and each answer that went out without it because its lease ran out
(`validator_lease_expirations_total`); `validators_live` is set by the bootstrap from the registry.
"""

from __future__ import annotations

import asyncio
import time
from types import TracebackType
from typing import Protocol

from prometheus_client import Counter, Gauge, Histogram

from common import tracing
from common.errors import Unavailable
from common.metrics import LATENCY_BUCKETS
from common.revocation import Revocation
from common.validator import LeaseRegistry, MemoryLeaseRegistry, Receipt, validator_name

QUEUE_SIZE = 1000

REVOCATION_ACK_WAIT = Histogram(
    "remotesignout_revocation_ack_wait_seconds",
    "auth_service: how long a committed revocation waited for validators to acknowledge it (or for their "
    "leases to run out) before its answer.",
    buckets=LATENCY_BUCKETS,
)
VALIDATOR_ACK = Histogram(
    "remotesignout_validator_ack_seconds",
    "auth_service: time from a revocation's commit until this validator (its configured name) was seen to "
    "have applied it.",
    ["validator"],
    buckets=LATENCY_BUCKETS,
)
LEASE_EXPIRATIONS = Counter(
    "remotesignout_validator_lease_expirations",
    "auth_service: revocations answered without this validator's acknowledgement because its lease ran out "
    "(it refuses every token until it has caught up).",
    ["validator"],
)
VALIDATORS_LIVE = Gauge(
    "remotesignout_validators_live",
    "auth_service: validators (gateways, other replicas) holding a live lease: in this process's registry "
    "(embedded), or in Redis at this replica's last revocation (cluster).",
)


class RevocationBus(Protocol):
    """Carries committed entries to every validator (cluster mode: common.revocation_redis)."""

    async def publish(self, revocation: Revocation) -> None: ...


class Follower:
    """One SyncRevocations stream's view of committed entries: a queue of entries, or `None` meaning
    "something was missed (the queue overflowed): read the feed"."""

    def __init__(self, acknowledgements: Acknowledgements) -> None:
        self._acknowledgements = acknowledgements
        self.queue: asyncio.Queue[Revocation | None] = asyncio.Queue(maxsize=QUEUE_SIZE)

    def offer(self, revocation: Revocation | None) -> None:
        if self.queue.full():
            while not self.queue.empty():
                self.queue.get_nowait()
            revocation = None  # too slow a reader: it reads the feed instead
        self.queue.put_nowait(revocation)

    def __enter__(self) -> Follower:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._acknowledgements.followers.pop(self, None)


class Acknowledgements:
    def __init__(self, registry: LeaseRegistry, lease_ttl_seconds: float, *, bus: RevocationBus | None = None) -> None:
        self.registry = registry
        self.lease_ttl_seconds = lease_ttl_seconds
        self.bus = bus
        self.followers: dict[Follower, None] = {}

    def subscribe(self) -> Follower:
        """Entries committed from now on (`with acknowledgements.subscribe() as follower:`)."""
        follower = Follower(self)
        self.followers[follower] = None
        return follower

    def committed(self, revocation: Revocation) -> None:
        """On the event loop, once `revocation` is committed: it is the head; streams send it."""
        if isinstance(self.registry, MemoryLeaseRegistry):
            self.registry.note_head(revocation.sequence)
        for follower in list(self.followers):
            follower.offer(revocation)

    async def wait(self, revocation: Revocation) -> Receipt:
        """Publish a committed entry (cluster mode) and wait for the validators to apply it."""
        started = time.perf_counter()
        with tracing.span("revocation.acknowledgement", sequence=revocation.sequence):
            if self.bus is not None:
                try:
                    await self.bus.publish(revocation)
                except Exception as error:  # the entry is committed and the feed carries it; the answer claims nothing
                    raise Unavailable(
                        "The sign-out is saved but could not be confirmed everywhere; try again."
                    ) from error
            waiting = time.perf_counter()
            receipt = await self.registry.wait_for(revocation.sequence, self.lease_ttl_seconds)
            tracing.annotate(
                validators_acknowledged=receipt.validators_acknowledged, validators_expired=receipt.validators_expired
            )
        REVOCATION_ACK_WAIT.observe(time.perf_counter() - started)
        record_validators(receipt, waiting - started)
        return receipt


def record_validators(receipt: Receipt, publish_seconds: float) -> None:
    """Each validator's acknowledgement delay (from the commit: the publishing before the wait included), and
    each expired lease, by validator name."""
    for validator_id, seconds in receipt.acknowledged_after:
        VALIDATOR_ACK.labels(validator_name(validator_id)).observe(publish_seconds + seconds)
    for validator_id in receipt.expired_ids:
        LEASE_EXPIRATIONS.labels(validator_name(validator_id)).inc()
