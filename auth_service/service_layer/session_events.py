"""Open WatchSession streams, told the moment their session is revoked."""

from __future__ import annotations

import asyncio
from collections import defaultdict

from auth_service.domain.model import Revocation
from auth_service.domain.revocation_index import RevocationIndex
from auth_service.domain.tokens import AccessClaims


class SessionEvents:
    def __init__(self, index: RevocationIndex) -> None:
        self.index = index
        self._watchers: dict[str, dict[asyncio.Queue[Revocation], AccessClaims]] = defaultdict(dict)

    def subscribe(self, claims: AccessClaims) -> asyncio.Queue[Revocation]:
        queue: asyncio.Queue[Revocation] = asyncio.Queue(maxsize=1)
        self._watchers[claims.account_id][queue] = claims
        return queue

    def unsubscribe(self, claims: AccessClaims, queue: asyncio.Queue[Revocation]) -> None:
        watchers = self._watchers.get(claims.account_id)
        if watchers is not None:
            watchers.pop(queue, None)
            if not watchers:
                del self._watchers[claims.account_id]

    def publish(self, revocation: Revocation) -> int:
        """Wake every watcher whose session this revocation covers; returns how many."""
        watchers = self._watchers.get(revocation.account_id, {})
        woken = [
            queue for queue, claims in watchers.items()
            if self.index.revoked_reason(
                claims.account_id, claims.session_id, claims.device_id, claims.session_created_at_us
            ) is not None
        ]
        for queue in woken:
            watchers.pop(queue)
            queue.put_nowait(revocation)
        return len(woken)

    def count(self) -> int:
        return sum(len(watchers) for watchers in self._watchers.values())
