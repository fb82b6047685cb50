"""Every revocation goes through `revoke`: one session, one device, all devices,
all other devices, password change, device removal, token reuse, account closure.

The order is what makes revocation instant and safe. One worker thread
(`in_thread`) runs the whole transaction:

1. take the feed's write lock (revocation writers take turns) and check the
   request against the stored session and the revocation index;
2. append the entry to the feed (its sequence is assigned);
3. apply it to the in-memory `RevocationIndex` that validation reads: from
   this instant every validation, on the event loop or in any thread, refuses
   the revoked tokens; and hand it to the event loop to wake the open
   WatchSession streams;
4. commit and wait until it is durable (SQLite `synchronous=FULL`, PostgreSQL's
   commit), then hand the committed entry to the validators' transport
   (service_layer.acknowledgements);

and when that thread returns, the revoking call waits until every validator with
a live lease (gateways, other replicas) has applied the entry, or its lease ran
out (common.validator), and answers with that `Receipt`. Meanwhile the
event loop keeps serving validations, which touch no database, and delivering
the push. Enforcing before the commit is durable errs on the safe side: if the
commit failed, tokens would be refused that the database still calls valid,
never the reverse. Holding one thread for the whole transaction also means a
revocation never waits for a second worker thread while it holds the lock, and
a cancelled call still finishes (or rolls back) its transaction in that thread.

Because every revocation reaches the index before its transaction releases the
write lock, the next writer sees it there: an ALL_OTHERS is refused for a
survivor that an earlier entry already revoked (see common.revocation_index).
With several replicas, the earlier entry may have been written by another one:
so a writer, once it holds the lock, first applies to its own index every entry
committed since its index's last sequence (`catch_up`), in feed order. A refresh
does the same before it rotates a token (service_layer.sessions).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from prometheus_client import Histogram

from auth_service.service_layer.ports import Clock
from auth_service.service_layer.session_events import SessionEvents
from auth_service.service_layer.unit_of_work import AuthUnitOfWork
from common.errors import InvalidArgument, NotFound, Unauthenticated
from common.metrics import LATENCY_BUCKETS
from common.revocation import Reason, Revocation, Scope
from common.revocation_index import RevocationIndex
from common.unit_of_work import in_thread
from common.validator import Receipt

SESSION_GONE = "This session is already signed out. Sign in again."
FEED_PAGE_DEFAULT = 100
FEED_PAGE_MAX = 1000
LOAD_BATCH = 5000

REVOCATION_COMMIT = Histogram(
    "remotesignout_revocation_commit_seconds",
    "auth_service: a revoking call's arrival until its entry is durably committed, enforced here and applied "
    "by every validator with a live lease (or that lease ran out), by scope (the gateway measures the whole "
    "sign-out, fan-out included).",
    ["scope"],
    buckets=LATENCY_BUCKETS,
)


@dataclass(frozen=True)
class Revoked:
    """A committed revocation and which validators applied it before the answer."""

    revocation: Revocation
    receipt: Receipt


async def revoke(
    uow: AuthUnitOfWork,
    index: RevocationIndex,
    events: SessionEvents,
    clock: Clock,
    account_id: str,
    scope: Scope,
    reason: Reason,
    session_id: str = "",
    device_id: str = "",
) -> Revoked:
    """Record, enforce and make durable one revocation, then wait for the validators; returns the stored
    entry and the receipt."""
    started = time.perf_counter()
    if not account_id:
        raise InvalidArgument("account_id is required.")
    if scope is Scope.DEVICE and not device_id:
        raise InvalidArgument("device_id is required to sign out a device.")
    loop = asyncio.get_running_loop()

    def push(revocation: Revocation) -> None:
        loop.call_soon_threadsafe(events.publish, revocation)

    def committed(revocation: Revocation) -> None:
        loop.call_soon_threadsafe(events.acknowledgements.committed, revocation)

    revocation = await in_thread(
        _record, uow, index, push, committed, clock, account_id, scope, reason, session_id, device_id
    )
    receipt = await events.acknowledgements.wait(revocation)
    REVOCATION_COMMIT.labels(scope.value).observe(time.perf_counter() - started)
    return Revoked(revocation, receipt)


def _record(
    uow: AuthUnitOfWork,
    index: RevocationIndex,
    push: Callable[[Revocation], None],
    committed: Callable[[Revocation], None],
    clock: Clock,
    account_id: str,
    scope: Scope,
    reason: Reason,
    session_id: str,
    device_id: str,
) -> Revocation:
    """Steps 1 to 4 of the module docstring, in a worker thread."""
    with uow:
        uow.revocations.lock()
        with index.following:  # this replica's readers of the feed wait until its own entry is in the index
            for caught_up in catch_up(uow, index):
                push(caught_up)  # another replica's revocation: this replica's streams hear it now
            revoked_at = clock()
            if scope in (Scope.SESSION, Scope.ALL_OTHERS):
                session = uow.account_sessions.get(session_id) if session_id else None
                if session is None or session.account_id != account_id:
                    raise NotFound("No such session on this account.")
                device_id = session.device_id
                if (
                    scope is Scope.ALL_OTHERS
                    and index.revoked_reason(account_id, session.session_id, session.device_id, session.created_at_us)
                    is not None
                ):
                    raise Unauthenticated(SESSION_GONE)
                if scope is Scope.SESSION:
                    # The entry covers sessions signed in before it (common.revocation): even if the clock
                    # stepped back, it must cover the session it names.
                    revoked_at = max(revoked_at, session.created_at_us + 1)
                    uow.account_sessions.mark_revoked(session_id, revoked_at)
            elif scope is Scope.DEVICE:
                session_id = ""
            else:
                session_id, device_id = "", ""
            revocation = uow.revocations.append(
                Revocation(0, account_id, scope, reason, session_id, device_id, revoked_at)
            )
            index.apply(revocation)
        push(revocation)
        uow.commit()
    committed(revocation)
    return revocation


def catch_up(uow: AuthUnitOfWork, index: RevocationIndex) -> list[Revocation]:
    """Apply to `index`, in feed order, the entries other replicas committed after its last sequence; the
    caller holds `index.following`, so entries are applied once and in order whoever else catches up.

    Take `index.following` only once `uow`'s transaction has begun (it has run a statement): on SQLite a
    transaction takes the database's write lock when it begins, and a revocation writer holds that lock
    and then waits for `following`; the other order would wait for each other.
    """
    caught_up: list[Revocation] = []
    while True:
        page = uow.revocations.list(index.last_sequence, LOAD_BATCH)
        for revocation in page:
            index.apply(revocation)
        caught_up += page
        if len(page) < LOAD_BATCH:
            return caught_up


async def read_feed(uow: AuthUnitOfWork, after_sequence: int, page_size: int) -> tuple[list[Revocation], int]:
    """A page of the feed and its last sequence, read in a worker thread: followers poll it every second,
    and waiting on the database (a revocation commit holds it) must not stall validations."""
    if after_sequence < 0:
        raise InvalidArgument("after_sequence cannot be negative.")
    if not 0 <= page_size <= FEED_PAGE_MAX:
        raise InvalidArgument("page_size is between 1 and 1000 (0 means 100).")
    return await in_thread(_read_feed, uow, after_sequence, page_size or FEED_PAGE_DEFAULT)


def _read_feed(uow: AuthUnitOfWork, after_sequence: int, page_size: int) -> tuple[list[Revocation], int]:
    with uow:
        return uow.revocations.list(after_sequence, page_size), uow.revocations.last_sequence()


async def load_index(uow: AuthUnitOfWork, index: RevocationIndex) -> int:
    """Rebuild the index from the whole feed at start-up; returns how many entries it applied."""
    return await in_thread(_load_index, uow, index)


def _load_index(uow: AuthUnitOfWork, index: RevocationIndex) -> int:
    applied, after = 0, 0
    while True:
        with uow:
            page = uow.revocations.list(after, LOAD_BATCH)
        for revocation in page:
            index.apply(revocation)
        applied += len(page)
        if len(page) < LOAD_BATCH:
            return applied
        after = page[-1].sequence
