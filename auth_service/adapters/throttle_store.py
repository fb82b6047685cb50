"""Where the password throttle's buckets live by default: in this process.

Per bucket, the one number of domain.throttle (the time it is full again),
dropped once that time has passed. With AUTH_THROTTLE_REDIS_URL set they live
in Redis instead (adapters.redis_throttle_store), which falls back to this one
while Redis does not answer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence

from auth_service.domain import throttle
from auth_service.domain.throttle import Bucket
from auth_service.service_layer.ports import ThrottleStore

MAX_BUCKETS = 100_000
"""At most this many buckets in memory (about 15 MB); past it, full ones go first, then the least recently used."""


class InMemoryThrottleStore(ThrottleStore):
    def __init__(self, max_buckets: int = MAX_BUCKETS) -> None:
        self.max_buckets = max_buckets
        self._full_at: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._full_at)

    async def take(self, buckets: Sequence[Bucket], now: float) -> float:
        with self._lock:
            wait, updated = throttle.take(self._full_at, buckets, now)
            self._store(updated, now)
        return wait

    async def give_back(self, buckets: Sequence[Bucket], now: float) -> None:
        with self._lock:
            self._store(throttle.give_back(self._full_at, buckets, now), now)

    async def forget(self, buckets: Sequence[Bucket]) -> None:
        with self._lock:
            for bucket in buckets:
                self._full_at.pop(bucket.name, None)

    async def close(self) -> None:
        pass

    def _store(self, full_at: Mapping[str, float], now: float) -> None:
        for name, at in full_at.items():
            if at <= now:
                self._full_at.pop(name, None)
            else:
                self._full_at[name] = at
                self._full_at.move_to_end(name)
        if len(self._full_at) > self.max_buckets:
            self._shrink(now)

    def _shrink(self, now: float) -> None:
        """Down to 90 % of the maximum (so that a flood of new buckets costs one sweep per many attempts):
        full buckets first, then the least recently used."""
        for name in [name for name, at in self._full_at.items() if at <= now]:
            del self._full_at[name]
        while len(self._full_at) > self.max_buckets * 9 // 10:
            self._full_at.popitem(last=False)
