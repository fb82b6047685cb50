"""The SQL repositories apply common.revocation's rule in SQL (one UPDATE per table, whatever
the number of devices): for every scope, with and without a revocation time, the rows they
reach, sign out and whose downloads they cancel are exactly those `Revocation.reaches`
picks, and exactly what the in-memory fakes of the unit tests do. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from common.migrations import upgrade
from common.revocation import Reason, Revocation, Scope
from device_service.adapters.migrations import HISTORY
from device_service.adapters.orm import DeviceRow
from device_service.adapters.repositories import reached_by
from device_service.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from device_service.domain.downloads import Download, DownloadStatus
from device_service.domain.model import Device, DeviceStatus, DeviceType
from tests.postgres import postgres_schema_url
from tests.unit.device_service.fakes import FakeUnitOfWork

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


def seed(uow) -> None:
    with uow:
        for row in DEVICES:
            uow.devices.save(device(*row))
            uow.downloads.save(Download(f"dl-{row[0]}", row[1], row[0], "Ana", "Dark", DownloadStatus.ACTIVE, T - 5))
        uow.commit()


def expected(revocation: Revocation) -> set[str]:
    return {d for d, account, signed_in_at, _ in DEVICES if revocation.reaches(account, d, signed_in_at)}


def applied(uow, revocation: Revocation) -> tuple[set[str], int]:
    """What applying `revocation` signs out and cancels; rolled back afterwards."""
    with uow:
        signed_out = set(uow.devices.sign_out_covered(revocation))
        cancelled = uow.downloads.cancel_covered(revocation, "device_signed_out", T + 10)
    return signed_out, cancelled


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'device.db'}"
    else:
        with postgres_schema_url() as url:
            yield url


def test_the_sql_applies_exactly_the_rule_of_common_revocation_for_every_scope(database_url):
    engine, sessions = session_factory(database_url)
    upgrade(engine, HISTORY)
    uow = SqlAlchemyUnitOfWork(sessions)
    fake = FakeUnitOfWork()
    seed(uow)
    seed(fake)
    active = {d for d, _, _, status in DEVICES if status is DeviceStatus.ACTIVE}
    cases = revocations()
    assert {r.scope for r in cases} == set(Scope) and len(cases) == 2 * 2 * (3 * 6 + 1)
    try:
        for revocation in cases:
            reached = expected(revocation)
            with sessions() as session:
                in_sql = set(session.scalars(select(DeviceRow.device_id).where(*reached_by(revocation))))
            assert in_sql == reached, revocation
            assert applied(uow, revocation) == (reached & active, len(reached)), revocation
            assert applied(fake, revocation) == (reached & active, len(reached)), revocation
        assert any(expected(r) for r in cases) and any(not expected(r) for r in cases)
    finally:
        engine.dispose()
