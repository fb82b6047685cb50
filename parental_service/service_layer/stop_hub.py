"""Tells every watcher of an account about the playbacks that were stopped."""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import Iterable, Iterator

from parental_service.domain.playback import PlaybackStop


class PlaybackStopHub:
    def __init__(self) -> None:
        self._watchers: dict[str, set[asyncio.Queue[PlaybackStop]]] = defaultdict(set)

    def publish(self, stops: Iterable[PlaybackStop]) -> None:
        for stop in stops:
            for queue in self._watchers.get(stop.playback.account_id, ()):
                queue.put_nowait(stop)

    @contextlib.contextmanager
    def subscribe(self, account_id: str) -> Iterator[asyncio.Queue[PlaybackStop]]:
        queue: asyncio.Queue[PlaybackStop] = asyncio.Queue()
        self._watchers[account_id].add(queue)
        try:
            yield queue
        finally:
            self._watchers[account_id].discard(queue)
            if not self._watchers[account_id]:
                del self._watchers[account_id]
