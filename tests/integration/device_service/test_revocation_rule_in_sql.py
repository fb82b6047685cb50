"""The SQL repositories apply common.revocation's rule: for every scope, with and without a revocation time,
after each of several histories (no account cutoff yet, an all, an all_others, a "whenever", a device signed in
again since), what a revocation signs out, the statuses every device then reads with, and the downloads it
cancels are exactly what the in-memory fakes give by writing every row the rule reaches
(`Revocation.reaches`). The SQL forms of the rule (`reached_by`, and the account cutoff's
`covered_by_stored_cutoff`) select exactly the rows the Python rule picks. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from common.migrations import upgrade
from common.revocation import Reason, Revocation, Scope
from device_service.adapters import cutoffs
from device_service.adapters.migrations import HISTORY
from device_service.adapters.orm import DeviceRow
from device_service.adapters.repositories import reached_by
from device_service.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from device_service.domain.downloads import Download, DownloadStatus
from device_service.domain.model import Device, DeviceDetails, DeviceStatus, DeviceType
from device_service.service_layer import devices
from device_service.service_layer.revocations import apply_revocation
from tests.postgres import postgres_schema_url
from tests.unit.device_service.fakes import FakeClock, FakeLocator, FakeUnitOfWork

T = 1_700_000_000_000_000
# (device_id, account_id, signed in at, status): before, at and after the revocation time T, removed and
# signed-out devices, and another account's device.
DEVICES = [
    ("tv", "acc-1", T - 1, DeviceStatus.ACTIVE),
    ("phone", "acc-1", T, DeviceStatus.ACTIVE),
    ("tablet", "acc-1", T + 1, DeviceStatus.ACTIVE),
    ("console", "acc-1", T - 1, DeviceStatus.REMOVED),
    ("laptop", "acc-1", T - 1, DeviceStatus.SIGNED_OUT),
    ("their-tv", "acc-2", T - 1, DeviceStatus.ACTIVE),
]


def account_wide(sequence: int, scope: Scope, revoked_at: int, kept: str = "") -> Revocation:
    return Revocation(sequence, "acc-1", scope, Reason.SIGN_OUT_ALL, "s-kept" if kept else "", kept, revoked_at)


# What happened before the revocations under test, committed: applied revocations and sign-ins again.
HISTORIES = {
    "no cutoff yet": [],
    "all at T": [account_wide(1001, Scope.ALL, T)],
    "all_others keeping the tv": [account_wide(1001, Scope.ALL_OTHERS, T + 2, kept="tv")],
    "all, whenever": [account_wide(1001, Scope.ALL, 0)],
    "all at T, then the tv signs in again": [account_wide(1001, Scope.ALL, T), "tv"],
    "two cutoffs, the later one earlier": [account_wide(1001, Scope.ALL, T + 2), account_wide(1002, Scope.ALL, T)],
}


def revocations() -> list[Revocation]:
    named = ["tv", "phone", "tablet", "console", "their-tv", "no-such-device"]
    cases = []
    for scope, revoked_at, account in itertools.product(Scope, (0, T), ("acc-1", "acc-2")):
        for device_id in [""] if scope is Scope.ALL else named:
            cases.append(
                Revocation(len(cases) + 1, account, scope, Reason.REMOTE_SIGN_OUT, "s-1", device_id, revoked_at)
            )
    return cases


def device(device_id: str, account_id: str, signed_in_at: int, status: DeviceStatus) -> Device:
    return Device(
        device_id,
        account_id,
        f"install-{device_id}",
        device_id,
        DeviceType.TV,
        "",
        "",
        status,
        first_seen_at=T - 10,
        last_seen_at=signed_in_at,
        signed_in_at=signed_in_at,
    )


def seed(uow, history) -> None:
    with uow:
        for row in DEVICES:
            uow.devices.save(device(*row))
            uow.downloads.save(Download(f"dl-{row[0]}", row[1], row[0], "Ana", "Dark", DownloadStatus.ACTIVE, T - 5))
        uow.commit()
    clock = FakeClock(T + 5)
    for step in history:
        if isinstance(step, Revocation):
            apply_revocation(uow, clock, step)
        else:
            details = DeviceDetails(f"install-{step}", step, DeviceType.TV)
            devices.register_device(uow, clock, FakeLocator(), "acc-1", details, "")


def expected(revocation: Revocation, fake: FakeUnitOfWork) -> set[str]:
    """The devices the rule reaches, given when each last signed in (as the fake's committed rows say)."""
    stored = fake.database.devices.values()
    return {d.device_id for d in stored if revocation.reaches(d.account_id, d.device_id, d.signed_in_at)}


def statuses(uow) -> dict[str, DeviceStatus]:
    """Every device's status as reads give it. Inside `with uow:`."""
    found = {d: uow.devices.get(account, d) for d, account, _, _ in DEVICES}
    return {d: shown.status for d, shown in found.items() if shown is not None}


def applied(uow, revocation: Revocation) -> tuple[set[str], int, dict[str, DeviceStatus]]:
    """What applying `revocation` signs out, cancels, and every device's status after; rolled back afterwards."""
    with uow:
        signed_out = set(uow.devices.sign_out_covered(revocation))
        cancelled = uow.downloads.cancel_covered(revocation, "device_signed_out", T + 10)
        after = statuses(uow)
    return signed_out, cancelled, after


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'device.db'}"
    else:
        with postgres_schema_url() as url:
            yield url


@pytest.mark.parametrize("history", list(HISTORIES))
def test_the_sql_gives_exactly_what_writing_every_reached_row_gives_for_every_scope(database_url, history):
    engine, sessions = session_factory(database_url)
    upgrade(engine, HISTORY)
    uow = SqlAlchemyUnitOfWork(sessions)
    fake = FakeUnitOfWork()
    seed(uow, HISTORIES[history])
    seed(fake, HISTORIES[history])
    cases = revocations()
    assert {r.scope for r in cases} == set(Scope) and len(cases) == 2 * 2 * (3 * 6 + 1)
    try:
        with uow, fake:
            assert statuses(uow) == statuses(fake)
        for revocation in cases:
            with sessions() as session:
                in_sql = set(session.scalars(select(DeviceRow.device_id).where(*reached_by(revocation))))
            assert in_sql == expected(revocation, fake), revocation
            assert applied(uow, revocation) == applied(fake, revocation), revocation
        assert any(expected(r, fake) for r in cases) and any(not expected(r, fake) for r in cases)
    finally:
        engine.dispose()


@pytest.mark.parametrize("history", list(HISTORIES))
def test_the_stored_cutoff_covers_in_sql_exactly_the_rows_it_covers_in_python(database_url, history):
    engine, sessions = session_factory(database_url)
    upgrade(engine, HISTORY)
    seed(SqlAlchemyUnitOfWork(sessions), HISTORIES[history])
    try:
        with sessions() as session:
            cutoff = cutoffs.read(session, "acc-1")
            rows = session.scalars(select(DeviceRow)).all()
            in_python = {
                r.device_id
                for r in rows
                if cutoff is not None
                and r.account_id == "acc-1"
                and cutoff.covers(r.device_id, r.signed_in_at, r.cutoff_sequence)
            }
            in_sql = set(session.scalars(select(DeviceRow.device_id).where(cutoffs.covered_by_stored_cutoff())))
            assert in_sql == in_python
            if cutoff is not None:
                mine = select(DeviceRow.device_id).where(DeviceRow.account_id == "acc-1", *cutoffs.covered_by(cutoff))
                assert set(session.scalars(mine)) == in_python
    finally:
        engine.dispose()
