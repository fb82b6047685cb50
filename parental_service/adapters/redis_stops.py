"""Playback stops heard by every parental_service replica, through Redis pub/sub (PARENTAL_REDIS_URL).

A WatchPlaybackStops stream is held by one replica; the rule change or revocation that stops a
playback may run on another. So a replica does not hand its stops to its own watchers: it publishes
them, once, as one message on one channel (`<prefix>playback_stops`), and every replica, itself
included, listens there and hands each message to its own watchers (service_layer.stop_hub). Each
watcher, wherever it is, hears each stop once.

Redis pub/sub delivers at most once: a replica whose connection to Redis is down misses what is
published meanwhile (it reconnects with back-off and logs it). While publishing fails, a replica's
stops reach its own watchers only, as without Redis, and a warning is logged (the error's class only:
its text may hold the URL). Imported only when PARENTAL_REDIS_URL is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from parental_service.domain.decisions import DenyReason
from parental_service.domain.playback import ActivePlayback, PlaybackStop
from parental_service.service_layer.stop_hub import PlaybackStopHub

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 2.0
PUBLISH_TIMEOUT_SECONDS = 1.0
"""How long a handler's thread waits for Redis to take its stops before handing them to this replica's
watchers alone."""
LISTEN_POLL_SECONDS = 1.0
MAX_RECONNECT_SECONDS = 30.0


def encode(stops: Iterable[PlaybackStop]) -> str:
    return json.dumps([{**vars(stop.playback), "reason": stop.reason.value, "message": stop.message} for stop in stops])


def decode(data: bytes | str) -> list[PlaybackStop]:
    stops = []
    for item in json.loads(data):
        playback = ActivePlayback(
            str(item["device_id"]),
            str(item["account_id"]),
            str(item["profile_id"]),
            str(item["title_id"]),
            int(item["started_at"]),
        )
        stops.append(PlaybackStop(playback, DenyReason(item["reason"]), str(item["message"])))
    return stops


class RedisStopHub:
    """service_layer.ports.PlaybackStops across replicas: publishes to Redis, feeds `local` from it."""

    def __init__(self, client: aioredis.Redis, channel: str, local: PlaybackStopHub | None = None) -> None:
        self.client = client
        self.channel = channel
        self.local = local or PlaybackStopHub()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listener: asyncio.Task[None] | None = None
        self._in_order: asyncio.Lock | None = None

    @classmethod
    def from_url(cls, url: str, prefix: str = "remotesignout:parental:") -> RedisStopHub:
        """A hub on the Redis at `url` (it connects when started). No read timeout: the listening
        connection is idle between stops; a health check every few seconds finds a dead one."""
        client = aioredis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS, health_check_interval=5)
        return cls(client, prefix + "playback_stops")

    async def start(self) -> None:
        """Listen on the channel, on the running loop; returns once listening (or once Redis failed: the
        listener keeps trying meanwhile, and this replica's stops reach its own watchers)."""
        self._loop = asyncio.get_running_loop()
        self._in_order = asyncio.Lock()
        ready = asyncio.Event()
        self._listener = asyncio.create_task(self._listen(ready))
        await ready.wait()

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self.client.aclose()

    @contextlib.contextmanager
    def subscribe(self, account_id: str | None) -> Iterator[asyncio.Queue[PlaybackStop]]:
        with self.local.subscribe(account_id) as queue:
            yield queue

    def publish(self, stops: Iterable[PlaybackStop]) -> None:
        """Publish `stops` as one message; from any thread (a handler's worker thread waits until Redis
        took it). Not started, or Redis failing: this replica's watchers hear them directly."""
        stops = list(stops)
        loop = self._loop
        if not stops:
            return
        if loop is None or loop.is_closed():
            self.local.publish(stops)
            return
        sent: Future[Any] = asyncio.run_coroutine_threadsafe(self._publish(encode(stops)), loop)
        if _on(loop):  # on the serving loop itself: it cannot wait here, so it checks the outcome later
            sent.add_done_callback(lambda done: self._check_sent(stops, done))
            return
        try:
            sent.result(timeout=PUBLISH_TIMEOUT_SECONDS + 0.5)
        except Exception as error:  # whatever failed, the stops must not be lost here
            sent.cancel()
            self._fell_back(stops, error)

    def _check_sent(self, stops: list[PlaybackStop], sent: Future[Any]) -> None:
        error = None if sent.cancelled() else sent.exception()
        if sent.cancelled() or error is not None:
            self._fell_back(stops, error)

    async def _publish(self, message: str) -> None:
        """One PUBLISH at a time, in the order `publish` was called (the lock queues them first come, first
        served), so watchers hear stops in the order they were made."""
        assert self._in_order is not None  # started
        async with self._in_order:
            await asyncio.wait_for(self.client.publish(self.channel, message), PUBLISH_TIMEOUT_SECONDS)

    def _fell_back(self, stops: list[PlaybackStop], error: BaseException | None) -> None:
        log.warning(
            "publishing %d playback stops to Redis failed (%s): only this replica's watchers hear them",
            len(stops),
            type(error).__name__,
        )
        self.local.publish(stops)

    async def _listen(self, ready: asyncio.Event) -> None:
        failures = 0
        while True:
            pubsub = self.client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                if failures:
                    log.info("listening to Redis for playback stops again")
                failures = 0
                ready.set()
                while True:
                    message = await pubsub.get_message(timeout=LISTEN_POLL_SECONDS)
                    if message is not None and message.get("type") == "message":
                        self._deliver(message["data"])
            except (RedisError, OSError) as error:
                failures += 1
                log.warning(
                    "listening to Redis for playback stops failed (%s): other replicas' stops are missed until it "
                    "answers",
                    type(error).__name__,
                )
                ready.set()
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py leaves it unannotated
            await asyncio.sleep(min(MAX_RECONNECT_SECONDS, 0.1 * 2**failures))

    def _deliver(self, data: bytes | str) -> None:
        try:
            stops = decode(data)
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed message on the playback stops channel")
            return
        self.local.publish(stops)


def _on(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
