"""Bounded label values (validator names) and the revocation-pending age a feed consumer exports."""

from __future__ import annotations

from common.metrics import OTHER, BoundedLabel
from common.revocation_feed import Pending
from common.validator import new_validator_id, validator_name


def test_a_validator_id_gives_back_its_configured_name() -> None:
    assert validator_name(new_validator_id("gateway-1")) == "gateway-1"
    assert validator_name(new_validator_id("auth_service")) == "auth_service"
    assert new_validator_id("gateway-1") != new_validator_id("gateway-1")  # a restart is a new lease


def test_label_values_stay_bounded_whatever_is_sent() -> None:
    label = BoundedLabel(limit=2)
    assert [label("a"), label("b"), label("c"), label("a")] == ["a", "b", OTHER, "a"]
    assert BoundedLabel()("ann@example.com x") == OTHER
    assert BoundedLabel()("x" * 65) == OTHER
    assert BoundedLabel()('gateway"} 1\nfake 2') == OTHER


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_pending_is_zero_when_every_known_entry_is_applied() -> None:
    clock = Clock()
    pending = Pending(clock)
    pending.saw(3, [(1, 990.0), (2, 995.0), (3, 999.0)])
    assert pending.seconds() == 10.0  # the oldest known and not applied: entry 1, revoked 10 s ago
    pending.applied_through(1)
    assert pending.seconds() == 5.0
    pending.applied_through(3)
    assert pending.seconds() == 0.0


def test_pending_counts_a_head_known_without_its_entry_from_when_it_was_learnt() -> None:
    clock = Clock()
    pending = Pending(clock)
    pending.saw(7, [])  # the feed said its last sequence is 7; this page had none of it
    clock.now += 4
    assert pending.seconds() == 4.0
    pending.saw(7, [(7, 990.0)])  # the entry itself: older than when its number was learnt
    assert pending.seconds() == 14.0
    pending.applied_through(7)
    assert pending.seconds() == 0.0


def test_pending_ignores_what_is_already_applied_and_never_goes_negative() -> None:
    clock = Clock()
    pending = Pending(clock)
    pending.applied_through(5)
    pending.saw(5, [(4, 900.0), (5, 901.0)])
    assert pending.seconds() == 0.0
    pending.saw(6, [(6, 1_010.0)])  # another host's clock ahead of ours
    assert pending.seconds() == 0.0


def test_pending_keeps_the_oldest_entries_when_it_must_forget() -> None:
    clock = Clock()
    pending = Pending(clock, limit=3)
    pending.saw(10, [(n, 900.0 + n) for n in range(1, 11)])
    assert pending.seconds() == 99.0  # entry 1 is kept


class FakeCursor:
    def __init__(self) -> None:
        self.sequence = 0

    def load(self) -> int:
        return self.sequence

    def save(self, sequence: int) -> None:
        self.sequence = max(self.sequence, sequence)


class FakeFeed:
    def __init__(self, entries: list[object]) -> None:
        self.entries = entries

    async def ListRevocations(self, request, *, timeout):  # type: ignore[no-untyped-def]
        from remotesignout.auth.v1 import auth_pb2

        after = [entry for entry in self.entries if entry.sequence > request.after_sequence]  # type: ignore[attr-defined]
        return auth_pb2.ListRevocationsResponse(revocations=after[: request.page_size], last_sequence=len(self.entries))


async def test_the_follower_exports_the_age_of_an_entry_it_cannot_apply() -> None:
    import time

    import pytest
    from prometheus_client import REGISTRY

    from common.revocation import Reason, Revocation, Scope
    from common.revocation_feed import FeedFollower
    from common.revocation_proto import to_proto

    revoked_at_us = int((time.time() - 30) * 1_000_000)
    entries = [to_proto(Revocation(n, "a1", Scope.ALL, Reason.SIGN_OUT, "", "", revoked_at_us)) for n in (1, 2)]
    applied: list[int] = []

    def apply(revocation: Revocation) -> None:
        if revocation.sequence == 2:
            raise RuntimeError("the database is down")
        applied.append(revocation.sequence)

    from unittest.mock import MagicMock

    follower = FeedFollower(MagicMock(), apply, FakeCursor(), timeout_seconds=1)
    follower.stub = FakeFeed(entries)  # type: ignore[assignment]
    with pytest.raises(RuntimeError):
        await follower.catch_up()
    assert applied == [1]
    pending = REGISTRY.get_sample_value("remotesignout_revocation_pending_seconds") or 0.0
    assert 29 < pending < 60  # entry 2, revoked 30 s ago, is known and not applied
    follower.apply = applied.append  # type: ignore[assignment]  # the database is back
    await follower.catch_up()
    assert REGISTRY.get_sample_value("remotesignout_revocation_pending_seconds") == 0.0
