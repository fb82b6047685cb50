"""Every replica of device_service (or parental_service) saves its feed cursor in the one database: saves
only move it forward and never clash, on SQLite and PostgreSQL (common.revocation_feed.CursorStore)."""

from __future__ import annotations

import pytest

from common.revocation_feed import CursorStore
from device_service.adapters.migrations import HISTORY
from tests.replicas import errors, race, replica_engines


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engines(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'downstream.db'}" if request.param == "sqlite" else None
    with replica_engines(url, HISTORY) as made:
        yield made


def test_a_replica_that_fell_behind_never_moves_the_cursor_back(engines):
    ahead, behind = CursorStore(engines[0]), CursorStore(engines[1])
    ahead.save(9)
    behind.save(4)
    assert ahead.load() == behind.load() == 9
    behind.save(12)
    assert ahead.load() == 12


def test_two_replicas_saving_at_once_keep_the_furthest_sequence(engines):
    for round_ in range(6):
        name = f"feed-{round_}"
        first, second = CursorStore(engines[0], name), CursorStore(engines[1], name)
        results = race(lambda: first.save(10 * round_ + 3), lambda: second.save(10 * round_ + 7))  # noqa: B023
        assert not errors(results), results  # two first saves race on the row's key: no clash
        assert first.load() == 10 * round_ + 7
        assert CursorStore(engines[0]).load() == 0  # each name its own cursor
