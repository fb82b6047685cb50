"""Handlers run concurrently in worker threads (common.unit_of_work.in_thread): the rules over all
of an account's profiles still hold, on SQLite (writers serialised at BEGIN) and PostgreSQL
(the account's advisory lock, ProfileRepository.lock_account)."""

from __future__ import annotations

import asyncio

import pytest

from common.errors import AlreadyExists, FailedPrecondition
from common.migrations import upgrade
from common.unit_of_work import in_thread
from parental_service.adapters.migrations import HISTORY
from parental_service.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from parental_service.domain.profiles import ProfileKind
from parental_service.service_layer import profiles
from tests.postgres import postgres_schema_url


@pytest.fixture(params=["sqlite", "postgresql"])
def sessions(request, tmp_path):
    if request.param == "sqlite":
        engine, factory = session_factory(f"sqlite:///{tmp_path / 'parental.db'}")
        upgrade(engine, HISTORY)
        yield factory
        engine.dispose()
    else:
        with postgres_schema_url() as url:
            engine, factory = session_factory(url)
            upgrade(engine, HISTORY)
            yield factory
            engine.dispose()


def clock() -> int:
    return 1_767_225_600_000_000


async def create(sessions, name, account="acc-1"):
    return await in_thread(profiles.create_profile, SqlAlchemyUnitOfWork(sessions), clock, account, name)


async def test_concurrent_creations_make_one_owner_and_never_more_than_five_profiles(sessions):
    results = await asyncio.gather(*(create(sessions, f"P{i}") for i in range(8)), return_exceptions=True)
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 3 and all(isinstance(r, FailedPrecondition) for r in refused), refused
    listed = profiles.list_profiles(SqlAlchemyUnitOfWork(sessions), "acc-1")
    assert len(listed) == 5
    assert sum(p.kind is ProfileKind.OWNER for p in listed) == 1


async def test_concurrent_creations_of_one_name_make_one_profile(sessions):
    await create(sessions, "Ana")
    results = await asyncio.gather(*(create(sessions, "Teen") for _ in range(4)), return_exceptions=True)
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 3 and all(isinstance(r, AlreadyExists) for r in refused), refused
    assert [p.name for p in profiles.list_profiles(SqlAlchemyUnitOfWork(sessions), "acc-1")] == ["Ana", "Teen"]
