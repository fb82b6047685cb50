"""A validator: this process's replica of the revocation index, and whether it may be trusted right now.

Every auth_service replica and every gateway is one. A validator holds a lease it renews
(every ttl/4, and right after applying an entry); a revoking call waits until every
validator with a live lease has applied its entry, or that lease ran out. A validator
whose lease has lapsed, or that knows of entries it has not applied, refuses every token
(NotCurrent: gRPC UNAVAILABLE, HTTP 503 with reason `revocations_not_current`).

Our view of the lease ends at `sent_at + ttl - margin`: the registry counts the lease
from when it received the renewal, which is after we sent it, so our view expires first:
we stop accepting tokens before anyone stops waiting for us.

(Written by the "edge" branch to the issue-14 interface; the "auth" branch's version, with
MemoryLeaseRegistry, replaces it at merge.)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from prometheus_client import Counter

from common.errors import Unavailable
from common.revocation import Revocation
from common.revocation_index import RevocationIndex

NOT_CURRENT = "revocations_not_current"
NOT_CURRENT_MESSAGE = "This server is catching up on sign-outs. Try again in a moment."

REFUSALS = Counter(
    "remotesignout_validator_refusals",
    "Tokens a validator refused because its revocation replica was not current, by why.",
    ["reason"],
)


@dataclass(frozen=True)
class Receipt:
    sequence: int
    validators_acknowledged: int
    validators_expired: int
    waited_ms: float


class NotCurrent(Unavailable):
    """This validator may not vouch for any token now: its lease lapsed, or it is behind the feed."""

    def __init__(self, why: str) -> None:
        super().__init__(NOT_CURRENT_MESSAGE, reason=NOT_CURRENT)
        self.why = why


class LeaseRegistry(Protocol):
    async def wait_for(self, sequence: int, timeout_seconds: float) -> Receipt:
        """Return when every validator with a live lease has applied >= sequence, or its lease expired."""
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
        self.applied_sequence = 0
        self.head_sequence = 0
        self._lease_until: float | None = None

    def apply(self, revocation: Revocation) -> bool:
        """Apply the next entry, in order; False (and nothing applied) on a gap. An entry seen before is a no-op."""
        if revocation.sequence <= self.applied_sequence:
            return True
        if revocation.sequence != self.applied_sequence + 1:
            self.note_head(revocation.sequence)
            return False
        self.index.apply(revocation)
        self.applied_sequence = revocation.sequence
        self.head_sequence = max(self.head_sequence, revocation.sequence)
        return True

    def note_head(self, sequence: int) -> None:
        """A newer sequence exists: behind until it is applied."""
        self.head_sequence = max(self.head_sequence, sequence)

    def renewal_sent(self) -> float:
        return self.clock()

    def lease_granted(self, sent_at: float, ttl_seconds: float) -> None:
        self._lease_until = sent_at + ttl_seconds - self.margin_seconds

    def lease_lost(self) -> None:
        self._lease_until = None

    def _why_not_current(self) -> str | None:
        if self._lease_until is None:
            return "no_lease"
        if self.clock() >= self._lease_until:
            return "lease_expired"
        if self.applied_sequence < self.head_sequence:
            return "behind"
        return None

    def check_current(self) -> None:
        why = self._why_not_current()
        if why is not None:
            REFUSALS.labels(why).inc()
            raise NotCurrent(why)

    @property
    def current(self) -> bool:
        return self._why_not_current() is None
