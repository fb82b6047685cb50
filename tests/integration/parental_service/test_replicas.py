"""Two parental_service replicas on one database: PIN guesses, rule changes, playback decisions and
revocations that race keep every rule (tests.replicas), on SQLite and PostgreSQL.

No lock in a process orders PIN guesses: the database counts each guess before it is verified
(service_layer.pins), so guesses sent to both replicas at once never get more verifications than the
lock-out allows.
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from sqlalchemy import text

from common.db import make_session_factory
from common.errors import ResourceExhausted, Unauthenticated
from common.revocation import Reason, Revocation, Scope
from parental_service.adapters.migrations import HISTORY
from parental_service.adapters.unit_of_work import SqlAlchemyUnitOfWork
from parental_service.domain.profiles import MaturityLevel
from parental_service.service_layer import pins, playback, profiles, revocations, rules
from tests.replicas import errors, race, race_async, replica_engines, stalling
from tests.unit.parental_service.conftest import CATALOGUE, PARENT, FakeClock
from tests.unit.parental_service.fakes import FakePinHasher

ACCOUNT = "acc-1"
PIN = "0427"


class SlowCountingHasher(FakePinHasher):
    """Verifies as slowly as argon2id does (so guesses overlap), and counts what it verified."""

    def __init__(self) -> None:
        super().__init__()
        self.verified = 0
        self._lock = threading.Lock()

    async def verify(self, stored_hash: str, pin: str) -> bool:
        with self._lock:
            self.verified += 1
        time.sleep(0.05)  # blocks this replica's loop, like argon2 in its thread would hold a core
        return await super().verify(stored_hash, pin)


class Published:
    """A StopPublisher that keeps what it was given, from any thread."""

    def __init__(self) -> None:
        self.stops: list = []

    def publish(self, stops) -> None:
        self.stops.extend(stops)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def replicas(request, tmp_path):
    """Each replica's session factory, on one database."""
    url = f"sqlite:///{tmp_path / 'parental.db'}" if request.param == "sqlite" else None
    with replica_engines(url, HISTORY) as engines:
        yield [make_session_factory(engine) for engine in engines]


@pytest.fixture
def clock():
    return FakeClock()


def uow(sessions) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(sessions)


@pytest.fixture
def kid(replicas, clock):
    """A kids profile locked with PIN 0427, created through the first replica."""
    sessions = replicas[0]
    profiles.create_profile(uow(sessions), clock, ACCOUNT, "Ana", None, None)
    created = profiles.create_profile(uow(sessions), clock, ACCOUNT, "Kid", None, MaturityLevel.SEVEN_PLUS)
    asyncio.run(
        pins.set_profile_pin(
            uow(sessions), clock, CATALOGUE, Published(), FakePinHasher(), ACCOUNT, created.profile_id, PIN, PARENT
        )
    )
    return created


def guesses(replicas, clock, hasher, profile_id: str, count: int, pin: str = "9999"):
    """`count` guesses of `pin`, sent to the two replicas in turn, all at one instant."""
    calls = [
        lambda sessions=replicas[n % 2], device=f"tv-{n}": pins.select_profile(
            uow(sessions), clock, hasher, ACCOUNT, profile_id, pin, device
        )
        for n in range(count)
    ]
    return race_async(*calls)


def profile(sessions, profile_id: str):
    return rules.get_profile_rules(uow(sessions), ACCOUNT, profile_id).profile


def test_guesses_on_two_replicas_at_once_are_never_verified_beyond_the_lock_out(replicas, clock, kid):
    hasher = SlowCountingHasher()
    results = guesses(replicas, clock, hasher, kid.profile_id, 12)
    assert hasher.verified == 5  # the five free tries, however many ran at once
    refused = errors(results)
    assert len(refused) == 12
    assert sum(isinstance(error, Unauthenticated) and error.reason == "wrong_pin" for error in refused) == 4
    assert sum(isinstance(error, ResourceExhausted) and error.reason == "pin_locked" for error in refused) == 8
    locked = profile(replicas[1], kid.profile_id)
    assert locked.failed_pin_attempts == 5 and locked.locked_until == clock.now + 60_000_000
    events = rules_audit(replicas[0], kid.profile_id)
    assert events.count("pin_lock") == 1

    clock.advance(60)  # the lock ended: one more guess may be tried, then it locks for 2 minutes
    hasher.verified = 0
    results = guesses(replicas, clock, hasher, kid.profile_id, 6)
    assert hasher.verified == 1
    assert all(isinstance(error, ResourceExhausted) for error in errors(results)) and len(errors(results)) == 6
    assert profile(replicas[0], kid.profile_id).locked_until == clock.now + 120_000_000


def test_the_right_pin_among_wrong_guesses_on_two_replicas_enters_and_starts_the_count_again(replicas, clock, kid):
    hasher = SlowCountingHasher()
    calls = [
        lambda: pins.select_profile(uow(replicas[0]), clock, hasher, ACCOUNT, kid.profile_id, PIN, "tv"),
        lambda: pins.select_profile(uow(replicas[1]), clock, hasher, ACCOUNT, kid.profile_id, "1111", "phone"),
        lambda: pins.select_profile(uow(replicas[1]), clock, hasher, ACCOUNT, kid.profile_id, "2222", "tablet"),
    ]
    entered, *wrong = race_async(*calls)
    assert entered.profile_id == kid.profile_id
    assert all(isinstance(error, Unauthenticated) for error in wrong)
    assert hasher.verified == 3
    assert profile(replicas[0], kid.profile_id).failed_pin_attempts <= 2  # never more than the wrong ones


def rules_audit(sessions, profile_id: str) -> list[str]:
    with sessions() as session:
        return list(session.scalars(text("select change from audit_events where profile_id = :p"), {"p": profile_id}))


def test_a_rule_change_on_one_replica_stops_a_playback_another_replica_was_deciding_meanwhile(replicas, clock):
    a, b = replicas
    profiles.create_profile(uow(a), clock, ACCOUNT, "Ana", None, None)
    teen = profiles.create_profile(uow(a), clock, ACCOUNT, "Teen", None, MaturityLevel.SIXTEEN_PLUS)
    read = threading.Event()
    published = Published()

    def slow_decision():
        deciding = stalling(SqlAlchemyUnitOfWork, a, after="profiles.get", reached=read)
        decision, _title = playback.decide_playback(deciding, clock, CATALOGUE, ACCOUNT, teen.profile_id, "t-16", "tv")
        return decision

    def lower_the_level_meanwhile():
        read.wait(10)
        return rules.set_maturity_level(
            uow(b), clock, CATALOGUE, published, ACCOUNT, teen.profile_id, MaturityLevel.THIRTEEN_PLUS, PARENT
        )

    decision, change = race(slow_decision, lower_the_level_meanwhile)
    assert decision.allowed  # decided first, under the 16+ level it read
    assert [stop.playback.device_id for stop in change.stops] == ["tv"]  # and stopped by the change after it
    with uow(a) as fresh:
        assert fresh.playbacks.list_for_account(ACCOUNT) == []


def test_one_revocation_applied_on_two_replicas_at_once_stops_each_playback_once(replicas, clock):
    a, b = replicas
    profiles.create_profile(uow(a), clock, ACCOUNT, "Ana", None, None)
    owner = profiles.list_profiles(uow(a), ACCOUNT)[0]
    published = Published()
    for sequence in range(1, 5):
        device = f"tv-{sequence}"
        playback.decide_playback(uow(a), clock, CATALOGUE, ACCOUNT, owner.profile_id, "t-all", device)
        revocation = Revocation(sequence, ACCOUNT, Scope.DEVICE, Reason.REMOTE_SIGN_OUT, "", device, clock.now + 1)
        results = race(
            lambda r=revocation: revocations.apply_revocation(uow(a), clock, published, r),
            lambda r=revocation: revocations.apply_revocation(uow(b), clock, published, r),
        )
        assert not errors(results), results
        assert sorted(result.already_applied for result in results) == [False, True]
    assert [stop.playback.device_id for stop in published.stops] == ["tv-1", "tv-2", "tv-3", "tv-4"]


def test_one_device_deciding_on_two_replicas_at_once_has_one_active_playback(replicas, clock):
    a, b = replicas
    profiles.create_profile(uow(a), clock, ACCOUNT, "Ana", None, None)
    teen = profiles.create_profile(uow(a), clock, ACCOUNT, "Teen", None, MaturityLevel.SIXTEEN_PLUS)
    owner = profiles.list_profiles(uow(a), ACCOUNT)[0]
    for round_ in range(8):
        results = race(
            lambda: playback.decide_playback(uow(a), clock, CATALOGUE, ACCOUNT, owner.profile_id, "t-18", "tv"),
            lambda: playback.decide_playback(uow(b), clock, CATALOGUE, ACCOUNT, teen.profile_id, "t-all", "tv"),
        )
        assert not errors(results), (round_, results)
    with uow(a) as fresh:
        assert [p.device_id for p in fresh.playbacks.list_for_account(ACCOUNT)] == ["tv"]
