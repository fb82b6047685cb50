"""Readiness: a service's grpc.health.v1 status says whether it can answer, not only that it runs.

Every HEALTH_CHECK_INTERVAL_SECONDS (2 s) `Readiness.run` probes what the service cannot answer
without, each with a short deadline (`PROBE_TIMEOUT_SECONDS`): its database (`DatabaseProbe`, a
`SELECT 1` through the service's own engine) and, in cluster mode, each Redis it uses (`RedisProbe`,
a PING). It sets the status of "" and of every service name: SERVING while every probe answers,
NOT_SERVING while one does not, so a Watch sees each change and a Check (common.health_probe, the
gateway's /healthz, the supervisor) reads the current one. Once the server is stopping the status
stays NOT_SERVING (common.grpc_server.Server.stop), whatever the probes say.

A database probe runs on a thread (SQLAlchemy is synchronous here). One that has not answered by
its deadline counts as a failure, and no second one starts until it returns: a hung database holds
one thread, not one more per round. A failing dependency is logged by its name and the error's class
only (an error's text may hold a URL, and a URL a password).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Protocol

import redis.asyncio as aioredis
from grpc_health.v1 import health, health_pb2
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from sqlalchemy import Engine, text

from common.grpc_server import Server

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_SECONDS = 2.0
PROBE_TIMEOUT_SECONDS = 1.0
"""How long a probe may take before its dependency counts as unreachable."""


class Dependency(Protocol):
    """Something a service cannot answer without; `check` raises (or takes too long) when it is away."""

    name: str

    async def check(self) -> None: ...

    async def close(self) -> None: ...


class DatabaseProbe:
    """`SELECT 1` through `engine`, on a thread; at most one at a time (see the module docstring)."""

    def __init__(self, engine: Engine, name: str = "database") -> None:
        self.engine = engine
        self.name = name
        self._running: asyncio.Task[None] | None = None

    def _select_one(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    async def check(self) -> None:
        if self._running is None or self._running.done():
            self._running = asyncio.create_task(asyncio.to_thread(self._select_one))
            # a probe abandoned at its deadline still ends; its error must not be reported as unretrieved
            self._running.add_done_callback(lambda task: task.cancelled() or task.exception())
        await asyncio.shield(self._running)

    async def close(self) -> None:
        """The engine belongs to the service, which disposes of it."""


class RedisProbe:
    """PING the Redis at `url`, on a client of its own (the service's clients keep their state)."""

    def __init__(self, url: str, name: str) -> None:
        self.name = name
        # No socket timeout (redis-py's asyncio.wait_for can swallow a cancellation on Python 3.11, see
        # common.revocation_redis.connect): Readiness gives every check its deadline.
        self.client = aioredis.Redis.from_url(
            url, socket_connect_timeout=PROBE_TIMEOUT_SECONDS, socket_timeout=None, retry=Retry(NoBackoff(), 0)
        )

    async def check(self) -> None:
        await self.client.ping()

    async def close(self) -> None:
        await self.client.aclose()


class Readiness:
    """Sets the health status of `names` on `health` from `dependencies`' probes (module docstring)."""

    def __init__(
        self,
        health_servicer: health.aio.HealthServicer,
        names: Sequence[str],
        dependencies: Sequence[Dependency],
        *,
        interval_seconds: float = DEFAULT_INTERVAL_SECONDS,
        timeout_seconds: float = PROBE_TIMEOUT_SECONDS,
    ) -> None:
        self.health = health_servicer
        self.names = list(names)
        self.dependencies = list(dependencies)
        self.interval_seconds = interval_seconds
        self.timeout_seconds = timeout_seconds
        self.failing: list[str] = []

    async def _answers(self, dependency: Dependency) -> bool:
        try:
            async with asyncio.timeout(self.timeout_seconds):
                await dependency.check()
        except Exception as error:  # any failure of any client library means "not reachable now"
            if dependency.name not in self.failing:
                log.warning("%s is unreachable (%s): health NOT_SERVING", dependency.name, type(error).__name__)
            return False
        return True

    async def check(self) -> bool:
        """Probe every dependency once and set the status; True if every one answered."""
        answers = await asyncio.gather(*(self._answers(dependency) for dependency in self.dependencies))
        failing = [dependency.name for dependency, ok in zip(self.dependencies, answers, strict=True) if not ok]
        if self.failing and not failing:
            log.info("%s reachable again: health SERVING", ", ".join(self.failing))
        self.failing = failing
        status = health_pb2.HealthCheckResponse.NOT_SERVING if failing else health_pb2.HealthCheckResponse.SERVING
        for name in self.names:
            await self.health.set(name, status)  # ignored once the server is stopping
        return not failing

    async def run(self) -> None:
        """Check every `interval_seconds` until cancelled, then close the probes' clients."""
        try:
            while True:
                await self.check()
                await asyncio.sleep(self.interval_seconds)
        finally:
            for dependency in self.dependencies:
                await dependency.close()


def watch_dependencies(server: Server, dependencies: Sequence[Dependency], interval_seconds: float) -> Readiness:
    """Make `server`'s health follow `dependencies` from when it starts until it stops."""
    readiness = Readiness(server.health, ["", *server.service_names], dependencies, interval_seconds=interval_seconds)
    server.run_beside(readiness.run)
    return readiness
