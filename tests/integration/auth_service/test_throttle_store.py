"""The throttle's two stores keep the same contract; the Redis one against the real Redis at 127.0.0.1:6379.

Each test uses its own random key prefix and deletes its keys. Without Redis these tests skip, and
fail under CI=true (tests.support.require_service).
"""

import asyncio
import logging
import os
import uuid

import pytest
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.adapters.redis_throttle_store import RedisThrottleStore
from auth_service.adapters.throttle_store import InMemoryThrottleStore
from auth_service.bootstrap import build, throttle_store
from auth_service.config import Config
from auth_service.domain.throttle import Bucket, Limit
from common.errors import ResourceExhausted, Unauthenticated
from tests.support import free_port, require_service
from tests.unit.auth_service.bound import Auth
from tests.unit.auth_service.conftest import device
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY, FakeDatabase, FakeDeviceRegistry

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
T0 = 1_800_000_000.0
FIVE = Limit(5, 60)


@pytest.fixture
async def redis_client():
    client = aioredis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        await client.ping()
    except (RedisError, OSError) as error:
        await client.aclose()
        require_service(f"Redis at {REDIS_URL} is not reachable: {error}")
    prefix = f"test:{uuid.uuid4().hex}:"
    yield client, prefix
    keys = [key async for key in client.scan_iter(match=prefix + "*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture(params=["memory", "redis"])
async def store(request):
    if request.param == "memory":
        yield InMemoryThrottleStore()
        return
    client = aioredis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        await client.ping()
    except (RedisError, OSError) as error:
        await client.aclose()
        require_service(f"Redis at {REDIS_URL} is not reachable: {error}")
    prefix = f"test:{uuid.uuid4().hex}:"
    yield RedisThrottleStore(client, prefix, fallback=FailingStore())
    keys = [key async for key in client.scan_iter(match=prefix + "*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


class FailingStore(InMemoryThrottleStore):
    """A fallback that fails the test when used: Redis itself must have answered."""

    async def take(self, buckets, now):
        raise AssertionError("the Redis store fell back to memory")

    async def give_back(self, buckets, now):
        raise AssertionError("the Redis store fell back to memory")

    async def forget(self, buckets):
        raise AssertionError("the Redis store fell back to memory")


async def test_a_bucket_gives_its_burst_then_one_token_per_refill(store):
    bucket = Bucket("b", FIVE)
    assert [await store.take([bucket], T0) for _ in range(5)] == [0] * 5
    assert await store.take([bucket], T0) == pytest.approx(60)
    assert await store.take([bucket], T0 + 45) == pytest.approx(15)  # it decays
    assert await store.take([bucket], T0 + 60) == 0
    assert await store.take([bucket], T0 + 60) == pytest.approx(60)


async def test_an_attempt_takes_from_every_bucket_or_from_none(store):
    one, five = Bucket("one", Limit(1, 30)), Bucket("five", FIVE)
    assert await store.take([one], T0) == 0
    assert await store.take([five, one], T0) == pytest.approx(30)
    assert [await store.take([five], T0) for _ in range(6)][-2:] == [0, pytest.approx(60)]  # five kept its 5


async def test_giving_back_and_forgetting(store):
    bucket = Bucket("b", FIVE)
    for _ in range(5):
        await store.take([bucket], T0)
    await store.give_back([bucket], T0)
    assert await store.take([bucket], T0) == 0
    assert await store.take([bucket], T0) == pytest.approx(60)
    await store.forget([bucket])
    assert [await store.take([bucket], T0) for _ in range(6)][-2:] == [0, pytest.approx(60)]
    await store.give_back([Bucket("never-taken", FIVE)], T0)  # nothing to give back: no error


async def test_concurrent_attempts_never_get_more_tokens_than_the_bucket_holds(store):
    bucket = Bucket("flood", FIVE)
    waits = await asyncio.gather(*(store.take([bucket, Bucket("other", Limit(100, 1))], T0) for _ in range(50)))
    assert waits.count(0) == 5


async def test_redis_keys_expire_when_the_bucket_is_full_again(redis_client):
    client, prefix = redis_client
    store = RedisThrottleStore(client, prefix)
    bucket = Bucket("b", FIVE)
    await store.take([bucket], T0)
    await store.take([bucket], T0)
    assert 119_000 <= await client.pttl(prefix + "b") <= 120_000
    await store.give_back([bucket], T0)
    await store.give_back([bucket], T0)
    assert await client.exists(prefix + "b") == 0


async def test_two_auth_service_instances_share_the_throttle_through_redis(redis_client):
    client, prefix = redis_client
    database, devices = FakeDatabase(), FakeDeviceRegistry()
    config = Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY)
    instances = [
        Auth(
            build(
                config,
                database.unit_of_work,
                AccessTokenCodec([SigningKey.generate()], 900),
                devices,
                throttle_store=RedisThrottleStore(client, prefix, fallback=FailingStore()),
            )
        )
        for _ in range(2)
    ]
    await instances[0].create_account("ann@example.com", "correct horse battery")
    for n in range(5):
        with pytest.raises(Unauthenticated):
            await instances[n % 2].sign_in("ann@example.com", "wrong password", device(9), "203.0.113.7")
    for instance in instances:
        with pytest.raises(ResourceExhausted) as throttled:
            await instance.sign_in("ann@example.com", "wrong password", device(9), "203.0.113.7")
        assert throttled.value.retry_after_seconds == 300
    keys = [key.decode() async for key in client.scan_iter(match=prefix + "*")]
    assert keys and not [key for key in keys if "ann" in key or "203.0.113" in key or "client-9" in key]


async def test_a_redis_that_does_not_answer_falls_back_to_memory_and_logs_no_url(caplog):
    url = f"redis://:hunter2@127.0.0.1:{free_port()}/0"  # nothing listens there
    store = throttle_store(Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY, throttle_redis_url=url))
    assert isinstance(store, RedisThrottleStore)
    bucket = Bucket("b", Limit(1, 60))
    with caplog.at_level(logging.WARNING):
        assert await store.take([bucket], T0) == 0
        assert await store.take([bucket], T0) == pytest.approx(60)  # still throttled, in memory
    await store.close()
    assert "throttling in memory" in caplog.text and "hunter2" not in caplog.text


def test_the_throttle_is_in_memory_unless_a_redis_url_is_set():
    assert isinstance(throttle_store(Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY)), InMemoryThrottleStore)
