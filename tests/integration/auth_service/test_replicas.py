"""Two auth_service replicas on one database: each write path holds when both run it at the same instant
(threads released by one barrier, tests.replicas), on PostgreSQL, and on SQLite where it also applies."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from sqlalchemy import text

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.adapters.migrations import HISTORY
from auth_service.adapters.unit_of_work import unit_of_work_factory
from auth_service.bootstrap import build
from auth_service.config import Config
from auth_service.service_layer import accounts, revocations
from auth_service.service_layer.sessions import TokenPair
from common.errors import NotFound, Unauthenticated
from common.revocation import Reason, Revocation, Scope
from tests.replicas import errors, race, race_async, replica_engines
from tests.unit.auth_service.bound import Auth
from tests.unit.auth_service.conftest import device
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY, FakeDeviceRegistry

PASSWORD = "correct horse battery"
postgres = pytest.mark.postgres


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=postgres)])
def engines(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'auth.db'}" if request.param == "sqlite" else None
    with replica_engines(url, HISTORY) as made:
        yield made


@pytest.fixture
def postgres_engines():
    with replica_engines(None, HISTORY) as made:
        yield made


def replicas_on(engines) -> list[Auth]:
    """One auth_service per engine: the same keys and settings, its own pool, index and throttle."""
    codec = AccessTokenCodec([SigningKey.generate()], ttl_seconds=900)
    config, registry = Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY), FakeDeviceRegistry()
    return [Auth(build(config, unit_of_work_factory(engine), codec, registry)) for engine in engines]


def count(engine, query: str, **params) -> int:
    with engine.connect() as db:
        return int(db.scalar(text(query), params))


def test_a_refresh_token_used_on_two_replicas_at_once_rotates_once_and_the_other_use_is_reuse(engines):
    a, b = replicas_on(engines)
    account = asyncio.run(a.create_account("ann@example.com", PASSWORD))
    for round_ in range(4):
        pair = asyncio.run(a.sign_in("ann@example.com", PASSWORD, device(round_), "203.0.113.9"))
        token = pair.refresh_token
        results = race_async(lambda token=token: a.refresh(token), lambda token=token: b.refresh(token))
        rotated = [result for result in results if isinstance(result, TokenPair)]
        (refused,) = errors(results)
        assert len(rotated) == 1, results
        assert isinstance(refused, Unauthenticated) and refused.reason == "token_reuse"
        with pytest.raises(Unauthenticated):  # reuse ended the session: its rotated token is dead too
            asyncio.run(b.refresh(rotated[0].refresh_token))
    sessions = "select count(*) from sessions where account_id = :account"
    assert count(engines[0], sessions, account=account.account_id) == 4  # one per sign-in, none per refresh
    assert count(engines[0], "select count(*) from refresh_tokens where used_at_us is null") == 4  # one each


def test_one_new_device_signing_in_on_two_replicas_at_once_is_remembered_once(engines):
    a, b = replicas_on(engines)
    account = asyncio.run(a.create_account("ann@example.com", PASSWORD))
    results = race_async(
        lambda: a.sign_in("ann@example.com", PASSWORD, device(7), "203.0.113.9"),
        lambda: b.sign_in("ann@example.com", PASSWORD, device(7), "203.0.113.9"),
    )
    assert not errors(results), results
    known = "select count(*) from known_devices where account_id = :account"
    assert count(engines[0], known, account=account.account_id) == 1


@postgres
def test_feed_sequences_follow_commit_order_with_writers_on_two_replicas(postgres_engines):
    """A follower reads the feed after its cursor: it must never see sequence n before n - 1 committed."""
    a, b = replicas_on(postgres_engines)
    stop, snapshots, gaps = threading.Event(), [0], []

    def follower() -> None:
        while not stop.is_set():
            with postgres_engines[0].connect() as db:
                seen = list(db.scalars(text("select sequence from revocations order by sequence")))
            snapshots[0] += 1
            if seen != list(range(1, len(seen) + 1)):
                gaps.append(seen)

    async def revoke_many(app: Auth, account: str) -> None:
        d = app.deps
        for _ in range(15):
            await revocations.revoke(d.uow(), d.index, d.events, d.clock, account, Scope.ALL, Reason.SIGN_OUT)

    reader = threading.Thread(target=follower, daemon=True)
    reader.start()
    results = race_async(*(lambda app=app, n=n: revoke_many(app, f"acc-{n}") for n, app in enumerate([a, b, a, b])))
    stop.set()
    reader.join(10)
    assert not errors(results), results
    assert not gaps, f"a follower saw a later sequence before an earlier one committed: {gaps[0]}"
    assert snapshots[0] > 10
    assert count(postgres_engines[0], "select max(sequence) from revocations") == 60


@postgres
def test_a_feed_writer_on_another_replica_waits_for_the_open_append_and_gets_the_next_sequence(postgres_engines):
    a, b = replicas_on(postgres_engines)
    appended, commits = threading.Event(), []

    def hold_an_append() -> int:
        with a.deps.uow() as uow:
            uow.revocations.lock()
            entry = uow.revocations.append(revocation("acc-a"))
            appended.set()
            time.sleep(0.3)  # the other writer is waiting by now, if the lock works
            uow.commit()
            commits.append("a")
        return entry.sequence

    def append_meanwhile() -> int:
        appended.wait(10)
        with b.deps.uow() as uow:
            uow.revocations.lock()
            entry = uow.revocations.append(revocation("acc-b"))
            uow.commit()
            commits.append("b")
        return entry.sequence

    assert race(hold_an_append, append_meanwhile) == [1, 2]
    assert commits == ["a", "b"]


def revocation(account_id: str) -> Revocation:
    return Revocation(0, account_id, Scope.ALL, Reason.SIGN_OUT, "", "", 1)


@postgres
def test_closing_an_account_waits_for_a_sign_in_that_holds_it_open(postgres_engines):
    a, b = replicas_on(postgres_engines)
    account = asyncio.run(a.create_account("ann@example.com", PASSWORD))
    holding, closed_at = threading.Event(), []

    def sign_in_holding_the_account() -> bool:
        with a.deps.uow() as uow:
            still_open = uow.accounts.hold_open(account.account_id)
            holding.set()
            time.sleep(0.3)
            uow.commit()
        return still_open

    def close_meanwhile() -> None:
        holding.wait(10)
        started = time.monotonic()
        with b.deps.uow() as uow:
            assert uow.accounts.close(account.account_id, 5)
            uow.commit()
        closed_at.append(time.monotonic() - started)

    assert race(sign_in_holding_the_account, close_meanwhile) == [True, None]
    assert closed_at[0] >= 0.2  # the close waited for the sign-in's transaction
    with a.deps.uow() as uow:
        assert not uow.accounts.hold_open(account.account_id)


def test_a_password_change_on_one_replica_never_reopens_an_account_closed_on_another(engines):
    a, b = replicas_on(engines)
    account = asyncio.run(a.create_account("ann@example.com", PASSWORD))
    pair = asyncio.run(a.sign_in("ann@example.com", PASSWORD, device(1), "203.0.113.9"))
    asyncio.run(b.close_account(account.account_id, PASSWORD))
    with pytest.raises(NotFound):  # the change read the account open, then found it closed
        accounts._set_password_hash(a.deps.uow(), account.account_id, "$argon2id$new")
    with a.deps.uow() as uow:
        stored = uow.accounts.get(account.account_id)
    assert stored is not None and stored.closed_at_us is not None
    assert stored.password_hash == account.password_hash
    assert pair.session.account_id == account.account_id


def test_one_account_closed_on_two_replicas_at_once_is_closed_and_signed_out_once(engines):
    a, b = replicas_on(engines)
    account = asyncio.run(a.create_account("ann@example.com", PASSWORD))
    results = race_async(
        lambda: a.close_account(account.account_id, PASSWORD), lambda: b.close_account(account.account_id, PASSWORD)
    )
    assert len(errors(results)) == 1 and isinstance(errors(results)[0], NotFound), results
    entries = "select count(*) from revocations where account_id = :account and reason = 'account_closed'"
    assert count(engines[0], entries, account=account.account_id) == 1


@postgres
def test_sign_out_of_all_other_devices_on_one_replica_is_refused_for_a_session_another_replica_revoked(
    postgres_engines,
):
    """The survivor of ALL_OTHERS must be valid: the replica that checks it may not have written (nor read)
    the revocation that ended it. Otherwise the new cutoff would spare a session the older one revoked."""
    a, b = replicas_on(postgres_engines)
    account = asyncio.run(a.create_account("ann@example.com", PASSWORD))
    survivor = asyncio.run(a.sign_in("ann@example.com", PASSWORD, device(1), "203.0.113.9")).session
    asyncio.run(b.get_session(account.account_id, survivor.session_id))  # b knows the session, not what follows
    d = a.deps
    asyncio.run(revocations.revoke(d.uow(), d.index, d.events, d.clock, account.account_id, Scope.ALL, Reason.SIGN_OUT))
    d = b.deps
    with pytest.raises(Unauthenticated):
        asyncio.run(
            revocations.revoke(
                d.uow(),
                d.index,
                d.events,
                d.clock,
                account.account_id,
                Scope.ALL_OTHERS,
                Reason.SIGN_OUT,
                survivor.session_id,
            )
        )
    assert b.deps.index.revoked_reason(
        account.account_id, survivor.session_id, survivor.device_id, survivor.created_at_us
    )


def test_a_refresh_on_one_replica_is_refused_for_a_session_another_replica_signed_out(engines):
    a, b = replicas_on(engines)
    account = asyncio.run(a.create_account("ann@example.com", PASSWORD))
    pair = asyncio.run(a.sign_in("ann@example.com", PASSWORD, device(1), "203.0.113.9"))
    d = a.deps
    asyncio.run(revocations.revoke(d.uow(), d.index, d.events, d.clock, account.account_id, Scope.ALL, Reason.SIGN_OUT))
    with pytest.raises(Unauthenticated):  # b's index had not seen the sign-out: the refresh reads the feed first
        asyncio.run(b.refresh(pair.refresh_token))
    assert b.deps.index.last_sequence == 1


def test_reading_a_session_on_one_replica_sees_a_sign_out_made_on_another(engines):
    a, b = replicas_on(engines)
    account = asyncio.run(a.create_account("ann@example.com", PASSWORD))
    pair = asyncio.run(a.sign_in("ann@example.com", PASSWORD, device(1), "203.0.113.9"))
    d = a.deps
    asyncio.run(revocations.revoke(d.uow(), d.index, d.events, d.clock, account.account_id, Scope.ALL, Reason.SIGN_OUT))
    _session, revoked = asyncio.run(b.get_session(account.account_id, pair.session.session_id))
    assert revoked  # GetSession, SetSessionProfile and ConfirmPassword read the feed first


def test_revocations_and_session_reads_on_two_replicas_at_once_never_wait_on_each_other(engines):
    """Both catch their index up on the feed: a writer under the feed's lock, a reader without it."""
    a, b = replicas_on(engines)
    account = asyncio.run(a.create_account("ann@example.com", PASSWORD))
    pair = asyncio.run(a.sign_in("ann@example.com", PASSWORD, device(1), "203.0.113.9"))

    async def revoke_often(app: Auth) -> None:
        d = app.deps
        for _ in range(10):
            await revocations.revoke(d.uow(), d.index, d.events, d.clock, "acc-other", Scope.ALL, Reason.SIGN_OUT)

    async def read_often(app: Auth) -> None:
        for _ in range(10):
            await app.get_session(account.account_id, pair.session.session_id)

    started = time.monotonic()
    results = race_async(
        lambda: revoke_often(a), lambda: revoke_often(b), lambda: read_often(a), lambda: read_often(b), timeout=20
    )
    assert not errors(results), results
    assert time.monotonic() - started < 10
    assert a.deps.index.last_sequence >= 10 and b.deps.index.last_sequence >= 10
