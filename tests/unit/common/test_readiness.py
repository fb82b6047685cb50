"""Readiness rules (common.readiness) on a bare health servicer: a probe past its deadline is a failure, a
hung database holds one thread, a stopping server stays NOT_SERVING, no error text reaches the log."""

from __future__ import annotations

import asyncio
import logging
import threading

from grpc_health.v1 import health, health_pb2
from sqlalchemy import create_engine

from common.readiness import DatabaseProbe, Readiness

NAMES = ["", "remotesignout.test.v1.Test"]


class Dependency:
    def __init__(self, name: str = "the thing") -> None:
        self.name = name
        self.error: Exception | None = None
        self.hang = False
        self.closed = False

    async def check(self) -> None:
        if self.hang:
            await asyncio.Event().wait()
        if self.error is not None:
            raise self.error

    async def close(self) -> None:
        self.closed = True


async def statuses(servicer: health.aio.HealthServicer) -> set[str]:
    replies = [await servicer.Check(health_pb2.HealthCheckRequest(service=name), None) for name in NAMES]
    return {health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status) for reply in replies}


async def test_every_name_follows_the_dependencies_and_a_probe_past_its_deadline_fails():
    servicer, dependency = health.aio.HealthServicer(), Dependency()
    readiness = Readiness(servicer, NAMES, [dependency, Dependency("another")], timeout_seconds=0.2)
    assert await readiness.check() and await statuses(servicer) == {"SERVING"}
    dependency.hang = True
    assert not await readiness.check()
    assert await statuses(servicer) == {"NOT_SERVING"} and readiness.failing == ["the thing"]
    dependency.hang = False
    assert await readiness.check() and await statuses(servicer) == {"SERVING"}


async def test_once_the_server_is_stopping_a_probe_cannot_make_it_serving():
    servicer = health.aio.HealthServicer()
    readiness = Readiness(servicer, NAMES, [Dependency()])
    await readiness.check()
    await servicer.enter_graceful_shutdown()
    assert await readiness.check()  # every dependency answers...
    assert await statuses(servicer) == {"NOT_SERVING"}  # ...and the stopping server says so


async def test_a_failure_is_logged_once_by_name_and_class_never_its_text(caplog):
    caplog.set_level(logging.INFO, logger="common.readiness")
    dependency = Dependency("the revocations' Redis")
    dependency.error = ConnectionError("Error connecting to redis://:hunter2@10.0.0.7:6379")
    readiness = Readiness(health.aio.HealthServicer(), NAMES, [dependency])
    await readiness.check()
    await readiness.check()
    dependency.error = None
    await readiness.check()
    assert [record.getMessage() for record in caplog.records] == [
        "the revocations' Redis is unreachable (ConnectionError): health NOT_SERVING",
        "the revocations' Redis reachable again: health SERVING",
    ]


async def test_run_probes_until_cancelled_then_closes_the_probes():
    servicer, dependency = health.aio.HealthServicer(), Dependency()
    dependency.error = OSError("refused")
    running = asyncio.create_task(Readiness(servicer, NAMES, [dependency], interval_seconds=0.01).run())
    await asyncio.sleep(0.05)
    running.cancel()
    await asyncio.gather(running, return_exceptions=True)
    assert dependency.closed and await statuses(servicer) == {"NOT_SERVING"}


class BlockingDatabase(DatabaseProbe):
    """A database whose SELECT 1 waits until released, counting the threads that ran it."""

    def __init__(self) -> None:
        super().__init__(create_engine("sqlite://"))
        self.release = threading.Event()
        self.started = 0

    def _select_one(self) -> None:
        self.started += 1
        self.release.wait(10)
        super()._select_one()


async def test_a_hung_database_holds_one_thread_whatever_the_number_of_rounds():
    database = BlockingDatabase()
    readiness = Readiness(health.aio.HealthServicer(), NAMES, [database], timeout_seconds=0.05)
    for _ in range(3):
        assert not await readiness.check()
    assert database.started == 1
    database.release.set()
    readiness.timeout_seconds = 10  # a loaded machine may take more than 50 ms to open SQLite
    assert await readiness.check()
    database.engine.dispose()
