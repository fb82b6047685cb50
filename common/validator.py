"""Validators and their leases: how a revocation is enforced everywhere before its answer.

A *validator* is a process that checks tokens itself (each auth_service replica, each gateway):
it holds a replica of the revocation index (`Validator`) and a *lease* in a `LeaseRegistry`,
renewed by reporting the highest feed sequence it has applied. A revoking call, once its entry is
committed, waits `LeaseRegistry.wait_for(sequence)`: until every validator with a live lease has
applied it, or that validator's lease has run out. A validator refuses every token while its own view
of its lease has run out or it knows of entries it has not applied (`Validator.check_current`), so
once the revoker stops waiting, no validator accepts a token the entry revoked.

Two clocks, one rule: the registry counts a lease from when it *received* the renewal; the validator
counts it from when it *sent* it, minus a margin. The validator's view therefore ends first: it stops
accepting tokens before anyone stops waiting for it.

Implementations of `LeaseRegistry`: `MemoryLeaseRegistry` below (embedded: it lives in auth_service,
gateways renew over the SyncRevocations gRPC stream) and `common.revocation_redis.RedisLeaseRegistry`
(cluster mode).

Metrics of a validator process (the gateway, auth_service): `remotesignout_validator_current`,
`remotesignout_validator_lag_sequences` (`export`) and `remotesignout_validator_refusals_total`. A validator's
id is its configured name (VALIDATOR_NAME: `gateway-1`) and a random suffix (`new_validator_id`), so a
restarted process is a new lease; `validator_name` gives the name back, for auth_service's per-validator
series (service_layer.acknowledgements).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from prometheus_client import Counter, Gauge

from common.errors import Unavailable
from common.metrics import BoundedLabel
from common.revocation import Revocation
from common.revocation_index import RevocationIndex

NOT_CURRENT = "revocations_not_current"
LEASE_EXPIRED = "lease_expired"
BEHIND = "behind"

VALIDATOR_REFUSALS = Counter(
    "remotesignout_validator_refusals",
    "Token checks this validator refused because it could not vouch for its revocation index, by cause "
    "(lease_expired: it could not renew its lease; behind: entries it knows of are not applied yet).",
    ["reason"],
)
VALIDATOR_CURRENT = Gauge(
    "remotesignout_validator_current",
    "1 while this validator may accept tokens (its lease is live and it has applied every revocation it knows "
    "of), 0 while it refuses them all.",
)
VALIDATOR_LAG = Gauge(
    "remotesignout_validator_lag_sequences",
    "Revocation feed entries this validator knows exist but has not applied (known head minus applied sequence).",
)
_SUFFIX = re.compile(r"-[0-9a-f]{12}$")
_NAMES = BoundedLabel()


def new_validator_id(name: str) -> str:
    """A lease's id: the validator's configured name and a random suffix (`gateway-1-3f9c0a7b21de`)."""
    return f"{name}-{uuid.uuid4().hex[:12]}"


def validator_name(validator_id: str) -> str:
    """The configured name in a validator id (`gateway-1`), as a bounded label value (common.metrics)."""
    return _NAMES(_SUFFIX.sub("", validator_id))


def export(validator: Validator) -> None:
    """Make this process's validator gauges read `validator` at each scrape (one validator per process)."""
    VALIDATOR_CURRENT.set_function(lambda: 1.0 if validator.current else 0.0)
    VALIDATOR_LAG.set_function(lambda: float(max(validator.head_sequence - validator.applied_sequence, 0)))


@dataclass(frozen=True)
class Receipt:
    """What a revoking call tells its caller: which validators applied `sequence` before it answered.

    `validators_acknowledged`: validators that reported `sequence` (or later) applied.
    `validators_expired`: validators that had not, and were not waited for because their lease for this
    sequence ran out (before or during the wait): each of them refuses every token until it catches up.
    `waited_ms`: how long the revoker waited for them.
    `acknowledged_after`: (validator id, seconds from the start of the wait until it was seen acknowledged)
    of each acknowledging validator the registry names; `expired_ids`: the ids of the expired ones.
    """

    sequence: int
    validators_acknowledged: int
    validators_expired: int
    waited_ms: float
    acknowledged_after: tuple[tuple[str, float], ...] = ()
    expired_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Grant:
    """A registry's answer to one renewal (the gRPC `LeaseGrant`)."""

    applied_sequence: int
    head_sequence: int
    ttl_seconds: float


class NotCurrent(Unavailable):
    """Raised for every token a validator checks while it cannot vouch for its revocation index:
    its lease ran out (or it has none yet), or it knows of entries it has not applied yet.

    `cause` ("lease_expired" or "behind") labels the refusal metric; the reason the caller sees is always
    "revocations_not_current" (gRPC UNAVAILABLE, HTTP 503): try again shortly, or elsewhere.
    """

    def __init__(self, cause: str) -> None:
        super().__init__(
            "Token checks are paused until this server has caught up on sign-outs; try again.", NOT_CURRENT
        )
        self.cause = cause


class Validator:
    """This process's replica of the revocation index, and whether it may be trusted right now.

    Entries are applied in feed order (`apply` refuses a gap: the caller fills it from the durable feed
    first, with `apply_from_feed`). `head_sequence` is the highest sequence this validator knows exists
    (from a lease grant or a notification); while `applied_sequence` is below it, the validator is behind
    and refuses tokens. Runs on one event loop (the link that feeds it and the checks that read it).
    """

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
        self.margin_seconds = margin_seconds
        self._clock = clock
        self.applied_sequence = index.last_sequence
        self.head_sequence = index.last_sequence
        self._lease_until: float | None = None

    def apply(self, revocation: Revocation) -> bool:
        """Apply the next entry; True if it is applied (or was already), False on a gap (nothing applied)."""
        if revocation.sequence <= self.applied_sequence:
            return True
        if revocation.sequence != self.applied_sequence + 1:
            self.note_head(revocation.sequence)
            return False
        self.index.apply(revocation)
        self.applied_sequence = revocation.sequence
        self.head_sequence = max(self.head_sequence, revocation.sequence)
        return True

    def apply_from_feed(self, revocation: Revocation) -> None:
        """Apply an entry read from the durable feed right after `applied_sequence` (ListRevocations, the
        database), whatever the gap in sequence numbers: the feed is appended under a table lock, so a reader
        sees a prefix of it, and a number missing from it is a transaction that rolled back after taking it
        (PostgreSQL's sequences leave such holes), never an entry yet to come. Older entries are ignored."""
        if revocation.sequence <= self.applied_sequence:
            return
        self.index.apply(revocation)
        self.applied_sequence = revocation.sequence
        self.head_sequence = max(self.head_sequence, revocation.sequence)

    def note_head(self, sequence: int) -> None:
        """A newer sequence exists: behind (refusing tokens) until it is applied."""
        self.head_sequence = max(self.head_sequence, sequence)

    def renewal_sent(self) -> float:
        """The clock when a renewal is sent; pass it to `lease_granted` with its answer."""
        return self._clock()

    def lease_granted(self, sent_at: float, ttl_seconds: float) -> None:
        """A renewal sent at `sent_at` was granted: valid until `sent_at + ttl - margin` (or longer if an
        earlier-sent renewal's grant already says so)."""
        until = sent_at + ttl_seconds - self.margin_seconds
        if self._lease_until is None or until > self._lease_until:
            self._lease_until = until

    def lease_lost(self) -> None:
        """The link is gone (stream closed, Redis unreachable): refuse tokens until a new grant."""
        self._lease_until = None

    def not_current_cause(self) -> str:
        """ "" while current, else why not ("lease_expired" or "behind")."""
        if self._lease_until is None or self._clock() >= self._lease_until:
            return LEASE_EXPIRED
        if self.applied_sequence < self.head_sequence:
            return BEHIND
        return ""

    def check_current(self) -> None:
        """Raise NotCurrent unless this validator's lease is live and it has applied every entry it knows of."""
        cause = self.not_current_cause()
        if cause:
            VALIDATOR_REFUSALS.labels(cause).inc()
            raise NotCurrent(cause)

    @property
    def current(self) -> bool:
        return not self.not_current_cause()


class AlwaysCurrent(Validator):
    """The validator of an embedded auth_service: its index is the source (every entry is applied in the
    revoking transaction), so it holds no lease and is always current."""

    def __init__(self, validator_id: str, index: RevocationIndex) -> None:
        super().__init__(validator_id, index, lease_ttl_seconds=float("inf"))

    def not_current_cause(self) -> str:
        return ""


class LeaseRegistry(Protocol):
    """Where revokers wait for validators."""

    async def wait_for(self, sequence: int, timeout_seconds: float) -> Receipt:
        """Return when every validator with a live lease has applied >= sequence, or its lease expired."""
        ...


@dataclass
class _Lease:
    applied: int
    expires_at: float
    grants: list[tuple[int, float]] = field(default_factory=list)
    """(head sequence granted, expiry) of the recent grants, oldest first; a grant's expiry is never before
    the previous one's, so only unexpired grants are kept (and always the last one)."""

    def deadline(self, sequence: int) -> float:
        """Until when a revoker of `sequence` waits for this validator: the expiry of its last grant that
        did not yet tell it of `sequence`. Once told (a grant with head >= sequence), it refuses every token
        until it has applied it, unless that grant is lost; then its previous grant bounds its lease."""
        deadline = float("-inf")
        for head, expires_at in self.grants:
            if head < sequence:
                deadline = expires_at
        return deadline


class MemoryLeaseRegistry:
    """Leases held in this process (embedded mode: auth_service hosts it; gateways renew over gRPC).

    Each validator id has one lease: the sequence it last reported applied, and an expiry on this
    registry's monotonic clock (`ttl_seconds` after the renewal was received). A revoker of sequence S
    (`wait_for`) classifies every registered validator:

    - acknowledged: it reported applied >= S;
    - waited for: not acknowledged, and the last grant it got *before* learning of S (head < S) has not
      expired. A validator that keeps renewing but never applies S is therefore waited for at most one
      TTL after S became the head: later grants tell it S exists, so it refuses tokens until it applies S;
    - expired: neither: its lease for S ran out, before or during the wait (or it registered after S and
      has not applied it: it knows it is behind). A validator still waited for when `timeout_seconds`
      runs out (only if the timeout is shorter than a TTL) counts as expired too.

    `leave` ends a lease at once (it is no longer counted at all); a lease expired for longer than
    `forget_after_seconds` is dropped. Runs on one event loop; `renew`/`leave`/`note_head` wake waiters.
    """

    def __init__(
        self,
        *,
        ttl_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        head_sequence: int = 0,
        forget_after_seconds: float = 60.0,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.head_sequence = head_sequence
        self.forget_after_seconds = forget_after_seconds
        self._clock = clock
        self._leases: dict[str, _Lease] = {}
        self._changed = asyncio.Event()

    def note_head(self, sequence: int) -> None:
        """A revocation was committed: grants from now on tell validators it exists."""
        if sequence > self.head_sequence:
            self.head_sequence = sequence
            self._wake()

    def renew(self, validator_id: str, applied_sequence: int) -> Grant:
        """Record a validator's report (creating its lease on the first) and grant it one more TTL."""
        now = self._clock()
        expires_at = now + self.ttl_seconds
        lease = self._leases.get(validator_id)
        if lease is None:
            lease = self._leases[validator_id] = _Lease(applied_sequence, expires_at)
        lease.applied = max(lease.applied, applied_sequence)
        lease.expires_at = expires_at
        lease.grants = [grant for grant in lease.grants if grant[1] > now]
        lease.grants.append((self.head_sequence, expires_at))
        self._forget_old(now)
        self._wake()
        return Grant(applied_sequence, self.head_sequence, self.ttl_seconds)

    def leave(self, validator_id: str) -> None:
        """A clean shutdown: the lease ends now and nobody waits for this validator."""
        if self._leases.pop(validator_id, None) is not None:
            self._wake()

    def live(self) -> int:
        """How many validators hold a live lease."""
        now = self._clock()
        return sum(1 for lease in self._leases.values() if lease.expires_at > now)

    def tick(self) -> None:
        """Make waiters read the clock again (needed only by a manual clock in tests)."""
        self._wake()

    async def wait_for(self, sequence: int, timeout_seconds: float) -> Receipt:
        started = self._clock()
        end = started + timeout_seconds
        seen: dict[str, float] = {}
        while True:
            changed = self._changed
            now = self._clock()
            acknowledged, expired, deadlines = self._classify(sequence, now)
            for validator_id in acknowledged:
                seen.setdefault(validator_id, now - started)
            if not deadlines or now >= end:
                waited_ms = (now - started) * 1000
                return Receipt(
                    sequence,
                    len(acknowledged),
                    len(expired) + len(deadlines),
                    waited_ms,
                    tuple((validator_id, seen[validator_id]) for validator_id in acknowledged),
                    tuple(expired + list(deadlines)),
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), min(min(deadlines.values()), end) - now)

    def _classify(self, sequence: int, now: float) -> tuple[list[str], list[str], dict[str, float]]:
        """The ids that acknowledged `sequence`, the ids whose lease for it ran out, and the deadline of each
        one still waited for (`end` above caps it)."""
        acknowledged: list[str] = []
        expired: list[str] = []
        deadlines: dict[str, float] = {}
        for validator_id, lease in self._leases.items():
            if lease.applied >= sequence:
                acknowledged.append(validator_id)
                continue
            deadline = lease.deadline(sequence)
            if deadline > now:
                deadlines[validator_id] = deadline
            else:
                expired.append(validator_id)
        return acknowledged, expired, deadlines

    def _forget_old(self, now: float) -> None:
        old = [key for key, lease in self._leases.items() if lease.expires_at + self.forget_after_seconds < now]
        for key in old:
            del self._leases[key]

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()
