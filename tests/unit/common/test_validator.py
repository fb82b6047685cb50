"""Validators and the in-memory lease registry, on a manual clock."""

from __future__ import annotations

import asyncio

import pytest

from common.revocation import Reason, Revocation, Scope
from common.revocation_index import RevocationIndex
from common.validator import AlwaysCurrent, MemoryLeaseRegistry, NotCurrent, Validator

TTL = 2.0


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def entry(sequence: int, session_id: str = "s1") -> Revocation:
    return Revocation(sequence, "a1", Scope.SESSION, Reason.SIGN_OUT, session_id, "", 5)


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def registry(clock: ManualClock) -> MemoryLeaseRegistry:
    return MemoryLeaseRegistry(ttl_seconds=TTL, clock=clock)


def advance(clock: ManualClock, registry: MemoryLeaseRegistry, seconds: float) -> None:
    clock.now += seconds
    registry.tick()


# Validator


def test_a_validator_without_a_lease_is_not_current(clock: ManualClock) -> None:
    validator = Validator("gateway-1", RevocationIndex(), lease_ttl_seconds=TTL, clock=clock)
    with pytest.raises(NotCurrent) as refused:
        validator.check_current()
    assert refused.value.reason == "revocations_not_current"
    assert refused.value.cause == "lease_expired"


def test_the_lease_ends_before_the_registrys(clock: ManualClock) -> None:
    validator = Validator("gateway-1", RevocationIndex(), lease_ttl_seconds=TTL, clock=clock, margin_seconds=0.25)
    sent_at = validator.renewal_sent()
    clock.now += 0.1  # the registry receives it later, and counts its TTL from then
    registry_expiry = clock.now + TTL
    validator.lease_granted(sent_at, TTL)
    clock.now = sent_at + TTL - 0.25 - 0.001
    assert validator.current
    clock.now = sent_at + TTL - 0.25
    assert not validator.current
    assert clock.now < registry_expiry


def test_a_late_grant_of_an_older_renewal_does_not_shorten_the_lease(clock: ManualClock) -> None:
    validator = Validator("gateway-1", RevocationIndex(), lease_ttl_seconds=TTL, clock=clock)
    first = validator.renewal_sent()
    clock.now += 0.5
    second = validator.renewal_sent()
    validator.lease_granted(second, TTL)
    validator.lease_granted(first, TTL)
    clock.now = second + TTL - 0.3
    assert validator.current


def test_a_validator_that_fell_behind_is_not_current_until_it_caught_up(clock: ManualClock) -> None:
    validator = Validator("gateway-1", RevocationIndex(), lease_ttl_seconds=TTL, clock=clock)
    validator.lease_granted(validator.renewal_sent(), TTL)
    assert validator.apply(entry(1))
    validator.note_head(3)
    with pytest.raises(NotCurrent) as refused:
        validator.check_current()
    assert refused.value.cause == "behind"
    assert validator.apply(entry(2, "s2"))
    assert not validator.current
    assert validator.apply(entry(3, "s3"))
    assert validator.current
    assert validator.index.revoked_reason("a1", "s3", "", 1) is Reason.SIGN_OUT


def test_a_gap_applies_nothing_and_marks_the_validator_behind(clock: ManualClock) -> None:
    validator = Validator("gateway-1", RevocationIndex(), lease_ttl_seconds=TTL, clock=clock)
    validator.lease_granted(validator.renewal_sent(), TTL)
    assert not validator.apply(entry(2, "s2"))
    assert validator.applied_sequence == 0
    assert validator.index.revoked_reason("a1", "s2", "", 1) is None
    assert not validator.current
    assert validator.apply(entry(1))
    assert validator.apply(entry(1))  # a duplicate is harmless
    assert validator.apply(entry(2, "s2"))
    assert validator.current


def test_a_hole_in_the_feed_is_passed_by_what_the_feed_says_follows(clock: ManualClock) -> None:
    validator = Validator("gateway-1", RevocationIndex(), lease_ttl_seconds=TTL, clock=clock)
    validator.lease_granted(validator.renewal_sent(), TTL)
    assert validator.apply(entry(1))
    assert not validator.apply(entry(3, "s3"))  # 2 rolled back: the stream cannot tell
    validator.apply_from_feed(entry(3, "s3"))  # the feed after 1 starts at 3
    validator.apply_from_feed(entry(1))
    assert validator.applied_sequence == 3
    assert validator.current
    assert validator.index.revoked_reason("a1", "s3", "", 1) is Reason.SIGN_OUT


def test_a_lost_lease_refuses_at_once(clock: ManualClock) -> None:
    validator = Validator("gateway-1", RevocationIndex(), lease_ttl_seconds=TTL, clock=clock)
    validator.lease_granted(validator.renewal_sent(), TTL)
    validator.lease_lost()
    assert not validator.current


def test_the_embedded_source_is_always_current() -> None:
    AlwaysCurrent("auth-1", RevocationIndex()).check_current()


# MemoryLeaseRegistry


async def test_nobody_registered_means_no_wait(registry: MemoryLeaseRegistry) -> None:
    registry.note_head(1)
    receipt = await registry.wait_for(1, TTL)
    assert (receipt.sequence, receipt.validators_acknowledged, receipt.validators_expired) == (1, 0, 0)
    assert receipt.waited_ms == 0


async def test_a_revoker_waits_until_the_validator_acknowledges(
    registry: MemoryLeaseRegistry, clock: ManualClock
) -> None:
    registry.renew("gateway-1", 0)
    registry.note_head(1)
    waiting = asyncio.create_task(registry.wait_for(1, TTL))
    await settle()
    assert not waiting.done()
    clock.now += 0.01
    grant = registry.renew("gateway-1", 1)
    assert (grant.applied_sequence, grant.head_sequence, grant.ttl_seconds) == (1, 1, TTL)
    receipt = await asyncio.wait_for(waiting, 1)
    assert (receipt.validators_acknowledged, receipt.validators_expired) == (1, 0)
    assert receipt.waited_ms == pytest.approx(10)


async def test_a_silent_validator_is_waited_for_until_its_lease_runs_out(
    registry: MemoryLeaseRegistry, clock: ManualClock
) -> None:
    registry.renew("gateway-1", 0)
    registry.renew("gateway-2", 0)
    clock.now += 0.5
    registry.note_head(1)
    waiting = asyncio.create_task(registry.wait_for(1, TTL))
    await settle()
    registry.renew("gateway-2", 1)
    await settle()
    advance(clock, registry, 1.4)
    await settle()
    assert not waiting.done()
    advance(clock, registry, 0.1)  # gateway-1's lease (renewed 2.0 s ago) runs out
    receipt = await asyncio.wait_for(waiting, 1)
    assert (receipt.validators_acknowledged, receipt.validators_expired) == (1, 1)
    assert receipt.waited_ms == pytest.approx(1500)


async def test_a_stuck_validator_that_keeps_renewing_delays_by_at_most_one_ttl(
    registry: MemoryLeaseRegistry, clock: ManualClock
) -> None:
    registry.renew("gateway-1", 0)
    registry.note_head(1)
    waiting = asyncio.create_task(registry.wait_for(1, 10 * TTL))
    await settle()
    for _ in range(3):  # renews every 0.5 s but never applies 1: each grant tells it 1 exists
        advance(clock, registry, 0.5)
        assert registry.renew("gateway-1", 0).head_sequence == 1
        await settle()
        assert not waiting.done()
    advance(clock, registry, 0.5)  # TTL after the last grant that did not yet tell it of 1
    receipt = await asyncio.wait_for(waiting, 1)
    assert (receipt.validators_acknowledged, receipt.validators_expired) == (0, 1)
    assert receipt.waited_ms == pytest.approx(TTL * 1000)


async def test_an_already_expired_validator_is_not_waited_for(
    registry: MemoryLeaseRegistry, clock: ManualClock
) -> None:
    registry.renew("gateway-1", 0)
    clock.now += TTL + 1
    registry.note_head(1)
    receipt = await registry.wait_for(1, TTL)
    assert (receipt.validators_acknowledged, receipt.validators_expired, receipt.waited_ms) == (0, 1, 0)
    assert registry.live() == 0


async def test_leaving_ends_the_wait_at_once(registry: MemoryLeaseRegistry) -> None:
    registry.renew("gateway-1", 0)
    registry.note_head(1)
    waiting = asyncio.create_task(registry.wait_for(1, TTL))
    await settle()
    registry.leave("gateway-1")
    receipt = await asyncio.wait_for(waiting, 1)
    assert (receipt.validators_acknowledged, receipt.validators_expired, receipt.waited_ms) == (0, 0, 0)


async def test_the_timeout_bounds_the_wait(registry: MemoryLeaseRegistry, clock: ManualClock) -> None:
    registry.renew("gateway-1", 0)
    registry.note_head(1)
    waiting = asyncio.create_task(registry.wait_for(1, 0.5))
    await settle()
    advance(clock, registry, 0.5)
    receipt = await asyncio.wait_for(waiting, 1)
    assert (receipt.validators_acknowledged, receipt.validators_expired) == (0, 1)


async def test_long_expired_leases_are_forgotten(clock: ManualClock) -> None:
    registry = MemoryLeaseRegistry(ttl_seconds=TTL, clock=clock, forget_after_seconds=10)
    registry.renew("gateway-1", 0)
    clock.now += TTL + 11
    registry.renew("gateway-2", 0)
    registry.note_head(1)
    registry.renew("gateway-2", 1)
    receipt = await registry.wait_for(1, TTL)
    assert (receipt.validators_acknowledged, receipt.validators_expired) == (1, 0)


async def test_real_clock_wait_ends_near_the_ttl() -> None:
    registry = MemoryLeaseRegistry(ttl_seconds=0.2)
    registry.renew("gateway-1", 0)
    registry.note_head(1)
    receipt = await registry.wait_for(1, 5)
    assert receipt.validators_expired == 1
    assert 150 <= receipt.waited_ms <= 400


async def test_a_receipt_names_who_acknowledged_when_and_whose_lease_ran_out(
    registry: MemoryLeaseRegistry, clock: ManualClock
) -> None:
    registry.renew("gateway-1-0123456789ab", 0)
    registry.renew("gateway-2-0123456789ab", 0)
    registry.note_head(1)
    waiting = asyncio.create_task(registry.wait_for(1, TTL))
    await settle()
    clock.now += 0.25
    registry.renew("gateway-2-0123456789ab", 1)
    await settle()
    advance(clock, registry, TTL)  # gateway-1 never acknowledges: its lease runs out
    receipt = await asyncio.wait_for(waiting, 1)
    assert receipt.acknowledged_after == (("gateway-2-0123456789ab", pytest.approx(0.25)),)
    assert receipt.expired_ids == ("gateway-1-0123456789ab",)
