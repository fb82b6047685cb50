"""Acknowledged revocation over the real Redis at 127.0.0.1:6379 (common.revocation_redis): validators
follow the stream and hold leases, a revoker publishes and waits for them. Each test uses its own key
prefix; the Redis-restart tests run a redis-server of their own. Without Redis these tests skip (fail
under CI=true)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid

import pytest

from common.errors import Unavailable
from common.revocation import Reason, Revocation, Scope
from common.revocation_index import RevocationIndex
from common.revocation_redis import (
    UNCONFIRMED,
    Keys,
    RedisLeaseRegistry,
    RedisRevocationBus,
    RedisValidatorLink,
    connect,
    decode,
    encode,
)
from common.validator import NotCurrent, Validator
from tests.redis_revocations import Cluster, Feed, own_redis, require_redis, until

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TTL = 1.0


@pytest.fixture
async def cluster():
    await require_redis(REDIS_URL)
    made = Cluster(REDIS_URL, ttl=TTL)
    yield made
    await made.close()


def test_an_entry_travels_as_json_and_back():
    entry = Revocation(7, "acc-1", Scope.ALL_OTHERS, Reason.REMOTE_SIGN_OUT, "s-1", "d-1", 123)
    assert decode(encode(entry)) == entry


def test_a_malformed_entry_is_refused():
    with pytest.raises((ValueError, KeyError, TypeError)):
        decode('{"sequence": 0}')


async def test_an_entry_reaches_both_validators_in_order_and_the_revoker_hears_both(cluster):
    a, b = cluster.validator(), cluster.validator()
    for member in (a, b):
        await member.listen()
    await cluster.all_current()
    receipts = []
    for _ in range(3):
        started = time.monotonic()
        entry, receipt = await cluster.revoke()
        receipts.append((receipt, time.monotonic() - started))
        assert receipt.sequence == entry.sequence
    assert cluster.registry.live_seen == 2  # auth_service's validators_live in cluster mode
    for receipt, took in receipts:
        assert (receipt.validators_acknowledged, receipt.validators_expired) == (2, 0)
        assert took < 0.25, took  # one round trip (the renewal right after applying), not a renewal period
        assert receipt.waited_ms < 250
    await until(lambda: len(a.heard) == 3 and len(b.heard) == 3)
    assert [entry.sequence for entry in a.heard] == [entry.sequence for entry in b.heard] == [1, 2, 3]
    for member in (a, b):
        assert member.validator.applied_sequence == 3
        assert member.validator.index.revoked_reason("acc-1", "s", "d", 0) is Reason.SIGN_OUT_ALL
        member.validator.check_current()


async def test_with_no_validator_the_revoker_waits_for_nobody(cluster):
    _, receipt = await cluster.revoke()
    assert (receipt.validators_acknowledged, receipt.validators_expired) == (0, 0)
    assert cluster.registry.live_seen == 0


async def test_a_validator_that_stops_renewing_is_counted_expired_within_one_lease(cluster):
    cluster.validator()
    frozen = cluster.frozen_member()  # its own thread: frozen, nothing of it runs, as under SIGSTOP
    try:
        await cluster.all_current()
        await until(lambda: frozen.validator.current)
        frozen.freeze()  # its lease stays in Redis: the revoker has to wait for it to end
        started = time.monotonic()
        _, receipt = await cluster.revoke()
        waited = time.monotonic() - started
        # Its own view of the lease ended first: it has refused tokens since before the revoker answered.
        assert not frozen.validator.current
        with pytest.raises(NotCurrent) as refused:
            frozen.validator.check_current()
        assert refused.value.reason == "revocations_not_current"
        assert (receipt.validators_acknowledged, receipt.validators_expired) == (1, 1)
        assert waited <= TTL + 0.2, waited
        # Once its lease has ended, the next revocation does not wait for it at all.
        _, receipt = await cluster.revoke()
        assert (receipt.validators_acknowledged, receipt.validators_expired) == (1, 0)
        frozen.thaw()  # it catches up before it accepts a token again
        await until(lambda: frozen.validator.current)
        assert frozen.validator.applied_sequence == 2
        _, receipt = await cluster.revoke()
        assert (receipt.validators_acknowledged, receipt.validators_expired) == (2, 0)
    finally:
        frozen.close()


async def test_a_validator_alive_but_unable_to_apply_delays_a_revoker_by_one_lease_at_most(cluster):
    """It keeps renewing, but its feed is down and an entry is missing: its lease is not extended past
    one TTL after the first entry it lacks was published, and the grant tells it it is behind."""
    stuck = cluster.validator()
    await cluster.all_current()
    failing = asyncio.Event()
    real_after = cluster.feed.after

    async def feed_down(sequence: int) -> list[Revocation]:
        if failing.is_set():
            raise ConnectionError("the feed is down")
        return await real_after(sequence)

    stuck.link.catch_up = feed_down
    failing.set()
    cluster.feed.append()  # committed, never published: the next entry shows a gap the feed cannot fill
    started = time.monotonic()
    _, receipt = await cluster.revoke()
    assert (receipt.validators_acknowledged, receipt.validators_expired) == (0, 1)
    assert time.monotonic() - started <= TTL + 0.2
    assert not stuck.validator.current
    failing.clear()
    await cluster.all_current(within=TTL * 4)
    assert stuck.validator.applied_sequence == 2


async def test_entries_published_while_a_validator_was_away_come_from_the_feed(cluster):
    away = cluster.validator(quiet=True)
    await away.listen()
    await cluster.all_current()
    await away.stop()
    await asyncio.sleep(TTL)
    for _ in range(7):  # more than a page of the feed
        await cluster.revoke()
    client = connect(REDIS_URL)
    try:
        await client.xtrim(Keys(cluster.prefix).stream, maxlen=0)  # and the stream lost them
    finally:
        await client.aclose()
    away.start()
    await cluster.all_current()
    assert away.validator.applied_sequence == 7
    await until(lambda: [entry.sequence for entry in away.heard] == list(range(1, 8)))
    _, receipt = await cluster.revoke()
    assert receipt.validators_acknowledged == 1


async def test_a_gap_in_the_stream_is_filled_from_the_feed_before_going_on(cluster):
    member = cluster.validator()
    await member.listen()
    await cluster.all_current()
    cluster.feed.append()  # entry 1: committed, its publisher failed
    cluster.feed.append()  # entry 2: likewise
    _, receipt = await cluster.revoke()  # entry 3 shows the gap
    assert receipt.validators_acknowledged == 1
    assert member.validator.applied_sequence == 3
    await until(lambda: [entry.sequence for entry in member.heard] == [1, 2, 3])


async def test_a_hole_in_the_feed_a_rolled_back_sequence_does_not_hold_a_validator_back(cluster):
    member = cluster.validator()
    await member.listen()
    await cluster.all_current()
    await cluster.revoke()
    entry = cluster.feed.append(rolled_back=1)  # sequence 3: sequence 2 rolled back after taking its number
    await cluster.bus.publish(entry)
    receipt = await cluster.registry.wait_for(entry.sequence, 3.0)
    assert receipt.validators_acknowledged == 1
    assert member.validator.applied_sequence == 3
    assert member.validator.current
    await until(lambda: [heard.sequence for heard in member.heard] == [1, 3])


async def test_entries_published_out_of_order_are_applied_in_order(cluster):
    member = cluster.validator()
    await member.listen()
    await cluster.all_current()
    first, second = cluster.feed.append(), cluster.feed.append()
    await cluster.bus.publish(second)  # two replicas committed 1 then 2, and published 2 first
    await cluster.bus.publish(first)
    receipt = await cluster.registry.wait_for(2, 3.0)
    assert receipt.validators_acknowledged == 1
    await until(lambda: [entry.sequence for entry in member.heard] == [1, 2])


async def test_an_entry_never_published_is_swept_in_from_the_feed():
    await require_redis(REDIS_URL)
    cluster = Cluster(REDIS_URL, ttl=TTL, sweep_seconds=0.5)
    try:
        member = cluster.validator()
        await cluster.all_current()
        cluster.feed.append()  # its publisher lost Redis; no later entry shows the gap
        await until(lambda: member.validator.applied_sequence == 1, within=2.0)
    finally:
        await cluster.close()


async def test_a_validator_with_every_entry_stays_current_while_its_feed_is_unreachable():
    await require_redis(REDIS_URL)
    cluster = Cluster(REDIS_URL, ttl=TTL, sweep_seconds=0.3)
    try:
        member = cluster.validator()
        await cluster.all_current()
        await cluster.revoke()

        async def feed_down(sequence: int) -> list[Revocation]:
            raise ConnectionError("auth_service is unreachable")

        member.link.catch_up = feed_down
        await asyncio.sleep(1.0)  # a few sweeps fail
        assert member.validator.current
        _, receipt = await cluster.revoke()  # the stream alone keeps it current
        assert receipt.validators_acknowledged == 1
        assert member.validator.current
    finally:
        await cluster.close()


async def test_a_validator_that_shuts_down_is_not_waited_for(cluster):
    leaving = cluster.validator()
    cluster.validator()
    await cluster.all_current()
    await leaving.stop()  # a clean shutdown ends the lease at once
    started = time.monotonic()
    _, receipt = await cluster.revoke()
    assert receipt.validators_acknowledged == 1
    assert time.monotonic() - started < 0.25


async def test_several_subscribers_each_hear_every_entry(cluster):
    member = cluster.validator()
    await cluster.all_current()
    first, second = member.link.subscribe(), member.link.subscribe()
    await cluster.revoke()
    await cluster.revoke()
    heard_first = [(await asyncio.wait_for(anext(first), 2)).sequence for _ in range(2)]
    heard_second = [(await asyncio.wait_for(anext(second), 2)).sequence for _ in range(2)]
    assert heard_first == heard_second == [1, 2]
    await first.aclose()  # type: ignore[attr-defined]
    await second.aclose()  # type: ignore[attr-defined]
    assert not member.link._subscribers


async def test_the_revoking_replica_is_not_waited_for_itself(cluster):
    own = cluster.validator(quiet=True)
    await cluster.all_current()
    await own.stop()
    cluster.registry.skip_validator_id = own.validator.validator_id
    started = time.monotonic()
    _, receipt = await cluster.revoke()
    assert (receipt.validators_acknowledged, receipt.validators_expired) == (0, 0)
    assert time.monotonic() - started < 0.25


async def test_redis_down_then_restarted_validators_fail_closed_and_recover(tmp_path):
    async with own_redis(tmp_path) as server:
        cluster = Cluster(server.url, ttl=TTL)
        try:
            a, b = cluster.validator(), cluster.validator()
            await cluster.all_current()
            await cluster.revoke()

            server.stop()
            down_at = time.monotonic()
            await until(lambda: not a.validator.current and not b.validator.current, within=TTL + 0.5)
            assert time.monotonic() - down_at <= TTL
            with pytest.raises(Unavailable) as refused:
                await cluster.revoke()  # committed to the feed: entry 2; Redis never heard of it
            assert refused.value.reason == UNCONFIRMED
            assert "redis://" not in refused.value.message
            with pytest.raises(Unavailable):
                await cluster.registry.wait_for(1, 1.0)  # nor can a revoker read the leases
            await asyncio.sleep(TTL)
            assert not a.validator.current and not b.validator.current

            await server.start()  # empty: nothing was saved
            await cluster.all_current(within=5.0)
            # Each caught up from the feed on reconnecting: entry 2 is applied though it was never published.
            assert a.validator.applied_sequence == b.validator.applied_sequence == 2
            _, receipt = await cluster.revoke()
            assert (receipt.sequence, receipt.validators_acknowledged, receipt.validators_expired) == (3, 2, 0)
        finally:
            await cluster.close()


async def test_a_validator_started_while_redis_is_down_refuses_until_it_is_up(tmp_path):
    async with own_redis(tmp_path) as server:
        server.stop()
        cluster = Cluster(server.url, ttl=TTL)
        try:
            member = cluster.validator()
            await asyncio.sleep(0.5)
            assert not member.validator.current
            await server.start()
            await cluster.all_current(within=5.0)
        finally:
            await cluster.close()


async def test_made_from_a_url_each_part_closes_its_own_client():
    await require_redis(REDIS_URL)
    prefix = f"test:{uuid.uuid4().hex}:"
    feed = Feed()
    registry = RedisLeaseRegistry.from_url(REDIS_URL, prefix, ttl_seconds=TTL)
    bus = RedisRevocationBus.from_url(REDIS_URL, prefix)
    validator = Validator("auth_service-0123456789ab", RevocationIndex(), lease_ttl_seconds=TTL)
    link = RedisValidatorLink(validator, feed.after, url=REDIS_URL, prefix=prefix)
    running = asyncio.create_task(link.run())
    try:
        await until(lambda: validator.current)
        entry = feed.append()
        await bus.publish(entry)
        receipt = await registry.wait_for(entry.sequence, 0.1)  # given one TTL and a half whatever it asks
        assert (receipt.validators_acknowledged, receipt.validators_expired) == (1, 0)
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        for part in (link, registry, bus):
            await part.close()
    with pytest.raises(ValueError):
        RedisValidatorLink(validator, feed.after)


def test_the_link_takes_the_designs_two_arguments_first():
    import inspect

    names = list(inspect.signature(RedisValidatorLink).parameters)
    assert names[:2] == ["validator", "catch_up"]
