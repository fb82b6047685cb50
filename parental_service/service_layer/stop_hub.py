"""Tells every watcher of an account, in this process, about the playbacks that were stopped.

A watcher of every account (`subscribe(None)`: the gateway's one push subscription per process,
WatchPlaybackStops with all_accounts) hears every stop.

Handlers publish from the worker thread they run in (common.unit_of_work.in_thread);
each watcher's queue is fed on its own event loop, in the order of publication,
before the handler's answer reaches the servicer. With several replicas, the
watchers of the others hear a stop through adapters.redis_stops, which hands
what it hears from Redis to this hub.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator

from parental_service.domain.playback import PlaybackStop

Watcher = tuple[asyncio.AbstractEventLoop, "asyncio.Queue[PlaybackStop]"]


def _on(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


class PlaybackStopHub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._watchers: dict[str | None, set[Watcher]] = defaultdict(set)

    def publish(self, stops: Iterable[PlaybackStop]) -> None:
        for stop in stops:
            with self._lock:
                watchers = [*self._watchers.get(stop.playback.account_id, ()), *self._watchers.get(None, ())]
            for loop, queue in watchers:
                if _on(loop):
                    queue.put_nowait(stop)
                else:
                    with contextlib.suppress(RuntimeError):  # that loop closed: its watcher is gone
                        loop.call_soon_threadsafe(queue.put_nowait, stop)

    async def start(self) -> None:
        """Nothing to start: every watcher is in this process."""

    async def close(self) -> None:
        """Nothing to close."""

    @contextlib.contextmanager
    def subscribe(self, account_id: str | None) -> Iterator[asyncio.Queue[PlaybackStop]]:
        """A queue of the account's stops (every account's for None), fed until the block ends; on the running
        event loop."""
        queue: asyncio.Queue[PlaybackStop] = asyncio.Queue()
        watcher = (asyncio.get_running_loop(), queue)
        with self._lock:
            self._watchers[account_id].add(watcher)
        try:
            yield queue
        finally:
            with self._lock:
                self._watchers[account_id].discard(watcher)
                if not self._watchers[account_id]:
                    del self._watchers[account_id]
