"""A validator: this process's replica of the revocation index, and whether it may be trusted right now.

Minimal version of the issue 14 design's interface, written on branch v-redis so that
common.revocation_redis can be built and tested; helper "auth" owns this module (its version wins at
merge). The names and signatures are the design's.

A validator may accept a token only while it is *current*: it holds a live lease (so revokers wait for
it) and has applied every entry it knows exists. Its view of the lease ends at `sent_at + ttl - margin`:
the registry counts the lease from when it received the renewal, which is after it was sent, so this
view expires first: it stops accepting tokens before any revoker stops waiting for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from common.errors import Unavailable
from common.revocation import Revocation
from common.revocation_index import RevocationIndex

NOT_CURRENT = "revocations_not_current"


@dataclass(frozen=True)
class Receipt:
    """What a revoking call answers with: who has applied `sequence` and how long that took."""

    sequence: int
    validators_acknowledged: int
    validators_expired: int
    waited_ms: float


class NotCurrent(Unavailable):
    """Raised by a validator that may not be trusted right now (no live lease, or behind)."""

    def __init__(self, message: str, reason: str = NOT_CURRENT) -> None:
        super().__init__(message, reason)


class LeaseRegistry(Protocol):
    """Where revokers wait for the validators."""

    async def wait_for(self, sequence: int, timeout_seconds: float) -> Receipt:
        """Return once every validator with a live lease has applied `sequence` or its lease expired."""
        ...


class Validator:
    """This process's replica of the revocation index, and whether it may be trusted right now."""

    def __init__(
        self,
        validator_id: str,
        index: RevocationIndex,
        *,
        lease_ttl_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        margin_seconds: float = 0.25,
    ) -> None:
        self.validator_id = validator_id
        self.index = index
        self.lease_ttl_seconds = lease_ttl_seconds
        self.clock = clock
        self.margin_seconds = margin_seconds
        self.applied_sequence = index.last_sequence
        self.head_sequence = index.last_sequence
        self._lease_until: float | None = None

    def apply(self, revocation: Revocation) -> bool:
        """Apply the next entry; True once it is applied (or was already), False (nothing applied) on a gap."""
        if revocation.sequence <= self.applied_sequence:
            return True
        if revocation.sequence != self.applied_sequence + 1:
            self.note_head(revocation.sequence)
            return False
        self.index.apply(revocation)
        self.applied_sequence = revocation.sequence
        self.note_head(revocation.sequence)
        return True

    def apply_from_feed(self, revocation: Revocation) -> None:
        """Apply an entry read from the durable feed right after `applied_sequence`, whatever the gap in
        sequence numbers: a number missing from the feed is a transaction that rolled back after taking it
        (PostgreSQL's sequences leave such holes), never an entry yet to come. Older entries are ignored.
        (Helper "auth"'s addition to the design's interface, copied with its semantics.)"""
        if revocation.sequence <= self.applied_sequence:
            return
        self.index.apply(revocation)
        self.applied_sequence = revocation.sequence
        self.note_head(revocation.sequence)

    def note_head(self, sequence: int) -> None:
        self.head_sequence = max(self.head_sequence, sequence)

    def renewal_sent(self) -> float:
        return self.clock()

    def lease_granted(self, sent_at: float, ttl_seconds: float) -> None:
        self._lease_until = sent_at + ttl_seconds - self.margin_seconds

    def lease_lost(self) -> None:
        self._lease_until = None

    def check_current(self) -> None:
        if self._lease_until is None or self.clock() >= self._lease_until:
            raise NotCurrent("This server cannot confirm it has every revocation; try again in a moment.")
        if self.applied_sequence < self.head_sequence:
            raise NotCurrent("This server is catching up on revocations; try again in a moment.")

    @property
    def current(self) -> bool:
        try:
            self.check_current()
        except NotCurrent:
            return False
        return True
