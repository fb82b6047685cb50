"""Playback stops through the real Redis at 127.0.0.1:6379 (adapters.redis_stops): two hubs are two
parental_service replicas; a stop either one publishes reaches every watcher of its account on both,
once. Each test uses its own channel prefix. Without Redis these tests skip (fail under CI=true)."""

from __future__ import annotations

import asyncio
import logging
import os
import uuid

import pytest
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from common.migrations import upgrade
from common.unit_of_work import in_thread
from parental_service.adapters.migrations import HISTORY
from parental_service.adapters.redis_stops import RedisStopHub, decode, encode
from parental_service.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from parental_service.domain.decisions import DenyReason
from parental_service.domain.playback import ActivePlayback, PlaybackStop
from parental_service.service_layer import playback, profiles
from tests.support import free_port, require_service
from tests.unit.parental_service.conftest import CATALOGUE, PARENT, FakeClock

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def stop(account: str = "acc-1", device: str = "tv") -> PlaybackStop:
    return PlaybackStop(ActivePlayback(device, account, "kid", "t-18", 5), DenyReason.MATURITY, "Rated 18+.")


@pytest.fixture
async def hubs():
    """Two started hubs on one Redis channel: replica A and replica B."""
    probe = aioredis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        await probe.ping()
    except (RedisError, OSError) as error:
        require_service(f"Redis at {REDIS_URL} is not reachable: {error}")
    finally:
        await probe.aclose()
    prefix = f"test:{uuid.uuid4().hex}:"
    made = [RedisStopHub.from_url(REDIS_URL, prefix) for _ in range(2)]
    for hub in made:
        await hub.start()
    yield made
    for hub in made:
        await hub.close()


async def heard(queue: asyncio.Queue[PlaybackStop], timeout: float = 2.0) -> PlaybackStop:
    return await asyncio.wait_for(queue.get(), timeout)


async def nothing_more(*queues: asyncio.Queue[PlaybackStop]) -> None:
    await asyncio.sleep(0.2)
    assert all(queue.empty() for queue in queues)


def test_a_stop_travels_as_json_and_back():
    stops = [stop(), stop(device="phone")]
    assert decode(encode(stops)) == stops


async def test_a_stop_published_by_one_replica_reaches_the_watchers_of_both_once(hubs):
    a, b = hubs
    with a.subscribe("acc-1") as on_a, b.subscribe("acc-1") as on_b, b.subscribe("acc-2") as other_account:
        await in_thread(a.publish, [stop()])  # handlers publish from their worker thread
        assert await heard(on_b) == stop()
        assert await heard(on_a) == stop()
        await nothing_more(on_a, on_b, other_account)


async def test_stops_published_on_the_serving_loop_arrive_in_order(hubs):
    a, b = hubs
    with b.subscribe("acc-1") as on_b:
        a.publish([stop(device="tv")])
        a.publish([stop(device="phone"), stop(device="tablet")])
        devices = [(await heard(on_b)).playback.device_id for _ in range(3)]
    assert devices == ["tv", "phone", "tablet"]


async def test_a_profile_deleted_on_one_replica_stops_playback_seen_by_the_other(hubs, tmp_path):
    a, b = hubs
    engine, sessions = session_factory(f"sqlite:///{tmp_path / 'parental.db'}")
    upgrade(engine, HISTORY)
    clock = FakeClock()
    profiles.create_profile(SqlAlchemyUnitOfWork(sessions), clock, "acc-1", "Ana", None, None)
    teen = profiles.create_profile(SqlAlchemyUnitOfWork(sessions), clock, "acc-1", "Teen", None, None)
    playback.decide_playback(SqlAlchemyUnitOfWork(sessions), clock, CATALOGUE, "acc-1", teen.profile_id, "t-all", "tv")
    with b.subscribe("acc-1") as on_b:
        await in_thread(
            profiles.delete_profile, SqlAlchemyUnitOfWork(sessions), clock, a, "acc-1", teen.profile_id, PARENT
        )
        stopped = await heard(on_b)
    assert (stopped.playback.device_id, stopped.reason) == ("tv", DenyReason.PROFILE_DELETED)
    engine.dispose()


async def test_while_redis_is_down_a_replica_still_tells_its_own_watchers(caplog):
    hub = RedisStopHub.from_url(f"redis://127.0.0.1:{free_port()}/0", "test:down:")
    caplog.set_level(logging.WARNING)
    await hub.start()  # returns although nothing listens there; it keeps trying
    try:
        with hub.subscribe("acc-1") as queue:
            await in_thread(hub.publish, [stop()])
            assert await heard(queue) == stop()
            await nothing_more(queue)
    finally:
        await hub.close()
    assert "publishing 1 playback stops to Redis failed" in caplog.text
    assert "redis://" not in caplog.text
