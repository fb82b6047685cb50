"""What parental_service's handlers need besides the unit of work."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import Protocol

from parental_service.domain.playback import PlaybackStop

Clock = Callable[[], int]
"""Microseconds since the epoch (common.clock.now_us)."""


class PinHasher(Protocol):
    """Hashes PINs with a pepper held outside the database (adapters.pin_hasher)."""

    async def hash(self, pin: str) -> str: ...

    async def verify(self, stored_hash: str, pin: str) -> bool: ...

    def needs_rehash(self, stored_hash: str) -> bool:
        """True if a right PIN should be stored again in today's form (such as a hash without the pepper)."""
        ...


class StopPublisher(Protocol):
    """Tells the watchers of each playback's account that it stopped (service_layer.stop_hub)."""

    def publish(self, stops: Iterable[PlaybackStop]) -> None:
        """Callable from any thread; handlers call it after their commit."""
        ...


class PlaybackStops(StopPublisher, Protocol):
    """Where stops are published and WatchPlaybackStops streams hear their account's: this process only
    (service_layer.stop_hub.PlaybackStopHub), or every replica's watchers, through Redis
    (adapters.redis_stops.RedisStopHub, when PARENTAL_REDIS_URL is set)."""

    def subscribe(self, account_id: str | None) -> AbstractContextManager[asyncio.Queue[PlaybackStop]]:
        """A queue of the account's stops (every account's for None), fed until the block ends; on the running
        event loop."""
        ...

    async def start(self) -> None:
        """Begin hearing other replicas' stops; on the event loop that serves, before it serves."""
        ...

    async def close(self) -> None: ...
