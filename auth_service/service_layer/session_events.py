"""Open WatchSession streams, told the moment their session is revoked."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass

from auth_service.domain.model import Revocation
from auth_service.domain.revocation_index import RevocationIndex
from auth_service.domain.tokens import AccessClaims


@dataclass(frozen=True)
class SessionEvent:
    """A revocation as one watcher sees it: `final` when it ends the watcher's session."""

    revocation: Revocation
    final: bool


class SessionEvents:
    def __init__(self, index: RevocationIndex) -> None:
        self.index = index
        self._watchers: dict[str, dict[asyncio.Queue[SessionEvent], AccessClaims]] = defaultdict(dict)

    def subscribe(self, claims: AccessClaims) -> asyncio.Queue[SessionEvent]:
        queue: asyncio.Queue[SessionEvent] = asyncio.Queue(maxsize=100)
        self._watchers[claims.account_id][queue] = claims
        return queue

    def unsubscribe(self, claims: AccessClaims, queue: asyncio.Queue[SessionEvent]) -> None:
        watchers = self._watchers.get(claims.account_id)
        if watchers is not None:
            watchers.pop(queue, None)
            if not watchers:
                del self._watchers[claims.account_id]

    def publish(self, revocation: Revocation) -> int:
        """Tell every watcher of the account; returns how many sessions it ended."""
        watchers = self._watchers.get(revocation.account_id, {})
        ended = 0
        for queue, claims in list(watchers.items()):
            final = self.index.revoked_reason(
                claims.account_id, claims.session_id, claims.device_id, claims.session_created_at_us
            ) is not None
            if final:
                watchers.pop(queue)
                ended += 1
            if queue.full():
                if not final:
                    continue  # a slow reader misses a device change, never its own end
                queue.get_nowait()
            queue.put_nowait(SessionEvent(revocation, final))
        return ended

    def count(self) -> int:
        return sum(len(watchers) for watchers in self._watchers.values())
