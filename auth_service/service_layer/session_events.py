"""Open WatchSession streams, told the moment their session is revoked.

Everything here runs on the event loop: a revoking worker thread hands its
entry over with `loop.call_soon_threadsafe(events.publish, revocation)`.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from types import TracebackType

from common.revocation_index import RevocationIndex
from auth_service.domain.tokens import AccessClaims
from common.revocation import Revocation

QUEUE_SIZE = 100


@dataclass(frozen=True)
class SessionEvent:
    """A revocation as one watcher sees it: `final` when it ends the watcher's session."""

    revocation: Revocation
    final: bool


class Subscription:
    """One watcher, registered from the moment it is made: its events, up to the one that ends its session.

    `with events.subscribe(claims) as subscription:` unregisters it on the way out.
    """

    def __init__(self, events: SessionEvents, claims: AccessClaims) -> None:
        self.events = events
        self.claims = claims
        self.queue: asyncio.Queue[SessionEvent] = asyncio.Queue(maxsize=QUEUE_SIZE)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.events.unsubscribe(self)

    def __aiter__(self) -> AsyncIterator[SessionEvent]:
        return self._until_final()

    async def _until_final(self) -> AsyncIterator[SessionEvent]:
        while True:
            event = await self.queue.get()
            yield event
            if event.final:
                return


class SessionEvents:
    def __init__(self, index: RevocationIndex) -> None:
        self.index = index
        self._watchers: dict[str, dict[Subscription, None]] = defaultdict(dict)

    def subscribe(self, claims: AccessClaims) -> Subscription:
        subscription = Subscription(self, claims)
        self._watchers[claims.account_id][subscription] = None
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        watchers = self._watchers.get(subscription.claims.account_id)
        if watchers is not None:
            watchers.pop(subscription, None)
            if not watchers:
                del self._watchers[subscription.claims.account_id]

    def publish(self, revocation: Revocation) -> int:
        """Tell every watcher of the account; returns how many sessions it ended."""
        watchers = self._watchers.get(revocation.account_id, {})
        ended = 0
        for subscription in list(watchers):
            claims, queue = subscription.claims, subscription.queue
            final = (
                self.index.revoked_reason(
                    claims.account_id, claims.session_id, claims.device_id, claims.session_created_at_us
                )
                is not None
            )
            if final:
                watchers.pop(subscription)
                ended += 1
            if queue.full():
                if not final:
                    continue  # a slow reader misses a device change, never its own end
                queue.get_nowait()
            queue.put_nowait(SessionEvent(revocation, final))
        return ended

    def count(self) -> int:
        return sum(len(watchers) for watchers in self._watchers.values())
