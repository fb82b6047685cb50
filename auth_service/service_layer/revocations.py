"""Every revocation goes through `Revoker.revoke`: one session, one device, all
devices, all other devices, password change, device removal, token reuse,
account closure.

The order is what makes revocation instant and safe: append to the feed (the
sequence is assigned), apply to the in-memory index that validation reads and
wake the open streams, all without an `await`; then wait for the commit to be
durable (the fsync runs in a worker thread, so this event loop keeps serving
validations, which touch no database, and delivering the push meanwhile), and
only then answer.
Enforcing before the commit is durable errs on the safe side: if the commit
failed, tokens would be refused that the database still calls valid, never
the reverse.
"""

from __future__ import annotations

import asyncio
import time

from auth_service.domain.model import Reason, Revocation, Scope
from auth_service.domain.revocation_index import RevocationIndex
from auth_service.service_layer.ports import Store
from auth_service.service_layer.session_events import SessionEvents
from common.clock import now_us
from common.errors import InvalidArgument, NotFound, Unauthenticated
from common.metrics import REVOCATION_LATENCY

SESSION_GONE = "This session is already signed out. Sign in again."


class Revoker:
    def __init__(self, store: Store, index: RevocationIndex, events: SessionEvents) -> None:
        self.store = store
        self.index = index
        self.events = events

    def load(self) -> None:
        """Rebuild the index from the feed at start-up."""
        for revocation in self.store.all_revocations():
            self.index.apply(revocation)

    async def revoke(self, account_id: str, scope: Scope, reason: Reason, session_id: str = "",
                     device_id: str = "") -> Revocation:
        started = time.perf_counter()
        if not account_id:
            raise InvalidArgument("account_id is required.")
        async with self.store.committing_off_loop() as repo:
            if scope in (Scope.SESSION, Scope.ALL_OTHERS):
                session = repo.get_session(session_id) if session_id else None
                if session is None or session.account_id != account_id:
                    raise NotFound("No such session on this account.")
                device_id = session.device_id
                if scope is Scope.ALL_OTHERS and self.index.revoked_reason(
                    account_id, session.session_id, session.device_id, session.created_at_us
                ) is not None:
                    raise Unauthenticated(SESSION_GONE)
            elif scope is Scope.DEVICE:
                if not device_id:
                    raise InvalidArgument("device_id is required to sign out a device.")
                session_id = ""
            else:
                session_id, device_id = "", ""
            revoked_at = now_us()
            revocation = repo.add_revocation(
                Revocation(0, account_id, scope, reason, session_id, device_id, revoked_at)
            )
            if scope is Scope.SESSION:
                repo.mark_session_revoked(session_id, revoked_at)
            self.index.apply(revocation)
            self.events.publish(revocation)
        REVOCATION_LATENCY.labels(scope.value).observe(time.perf_counter() - started)
        return revocation

    async def feed(self, after_sequence: int, page_size: int) -> tuple[list[Revocation], int]:
        """A page of the feed, read in a worker thread: followers poll it every second, and
        waiting on the database (a revocation commit holds it) must not stall validations."""
        if after_sequence < 0:
            raise InvalidArgument("after_sequence cannot be negative.")
        if not 0 <= page_size <= 1000:
            raise InvalidArgument("page_size is between 1 and 1000 (0 means 100).")
        return await asyncio.to_thread(self._read_feed, after_sequence, page_size or 100)

    def _read_feed(self, after_sequence: int, page_size: int) -> tuple[list[Revocation], int]:
        with self.store.transaction() as repo:
            return repo.list_revocations(after_sequence, page_size), repo.last_sequence()
