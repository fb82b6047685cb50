"""A hypothesis state machine over acknowledged revocation in Redis (common.revocation_redis): revocations
published or lost, validators frozen and thawed (each on its own thread and event loop: frozen, nothing of
it runs, as under SIGSTOP), their feed failing and healing, time passing, in any order. After every step,
and at the instant each revoker answers: no validator that calls itself current lacks an entry a revoker
got a receipt for (that would be a stale accept). Once everything is healed, every validator is current
again with every entry of the feed. Bounded examples: each step is real time on the real Redis at
127.0.0.1:6379 (skipped without it, failed under CI=true)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine
from typing import Any

import redis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from common.revocation import Revocation
from tests.redis_revocations import Cluster, until
from tests.support import require_service

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TTL = 0.5
VALIDATORS = 3


class Revocations(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()  # the revoker's
        self.cluster = Cluster(REDIS_URL, ttl=TTL, sweep_seconds=1.0)
        self.failing: set[int] = set()
        self.members = [self.cluster.frozen_member(self._feed_for(number)) for number in range(VALIDATORS)]
        self.answered = 0  # the highest sequence a revoker got a receipt for
        self._run(until(lambda: all(member.validator.current for member in self.members)))

    def _run(self, job: Coroutine[Any, Any, Any]) -> Any:
        return self.loop.run_until_complete(job)

    def _feed_for(self, number: int):  # type: ignore[no-untyped-def]
        async def after(sequence: int) -> list[Revocation]:
            if number in self.failing:
                raise ConnectionError("this validator's feed is down")
            return await self.cluster.feed.after(sequence)

        return after

    @rule(publish=st.booleans())
    def revoke(self, publish: bool) -> None:
        entry = self.cluster.feed.append()
        if not publish:
            return  # committed; its publisher lost Redis: no receipt, nothing claimed

        async def revoke_and_check() -> None:
            await self.cluster.bus.publish(entry)
            receipt = await self.cluster.registry.wait_for(entry.sequence, TTL * 4)
            self.answered = max(self.answered, entry.sequence)
            self._no_stale_accept()  # at the instant the revoker answers
            assert receipt.sequence == entry.sequence
            assert receipt.validators_acknowledged + receipt.validators_expired <= VALIDATORS
            assert receipt.waited_ms <= (TTL + 0.3) * 1000

        self._run(revoke_and_check())

    @rule(number=st.integers(0, VALIDATORS - 1))
    def freeze(self, number: int) -> None:
        if not self.members[number].frozen:
            self.members[number].freeze()

    @rule(number=st.integers(0, VALIDATORS - 1))
    def thaw(self, number: int) -> None:
        self.members[number].thaw()

    @rule(number=st.integers(0, VALIDATORS - 1))
    def break_feed(self, number: int) -> None:
        self.failing.add(number)

    @rule(number=st.integers(0, VALIDATORS - 1))
    def heal_feed(self, number: int) -> None:
        self.failing.discard(number)

    @rule(seconds=st.sampled_from([0.05, 0.3, TTL + 0.1]))
    def let_time_pass(self, seconds: float) -> None:
        self._run(asyncio.sleep(seconds))

    @invariant()
    def no_stale_accept(self) -> None:
        self._no_stale_accept()

    def _no_stale_accept(self) -> None:
        for member in self.members:
            if member.validator.current:
                assert member.validator.applied_sequence >= self.answered, (
                    f"{member.validator.validator_id} accepts tokens without entry {self.answered}"
                )

    def teardown(self) -> None:
        try:
            self.failing.clear()
            for member in self.members:
                member.thaw()
            head = len(self.cluster.feed.entries)

            def settled() -> bool:
                return all(m.validator.current and m.validator.applied_sequence == head for m in self.members)

            self._run(until(settled, within=5.0))
        finally:
            for member in self.members:
                member.close()
            self._run(self.cluster.close())
            self.loop.close()


def test_no_validator_accepts_what_a_revoker_was_told_it_applied() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
    except (redis.RedisError, OSError) as error:
        require_service(f"Redis at {REDIS_URL} is not reachable: {error}")
    run_state_machine_as_test(
        Revocations,
        settings=settings(
            max_examples=8,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            database=None,
        ),
    )
