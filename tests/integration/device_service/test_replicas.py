"""Two device_service replicas on one database: sign-ins, removals, heartbeats and revocations that race
on the same device keep every rule (tests.replicas: threads released by one barrier, or a replica that
stalls between its read and its write), on PostgreSQL and SQLite."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from common.db import make_session_factory
from common.revocation import Reason, Revocation, Scope
from device_service.adapters.migrations import HISTORY
from device_service.adapters.unit_of_work import SqlAlchemyUnitOfWork
from device_service.domain.model import DeviceDetails, DeviceStatus, DeviceType, Location
from device_service.service_layer import activity, devices, removal, revocations
from tests.replicas import errors, race, replica_engines, stalling

ACCOUNT = "acc-1"
NOW = 1_767_225_600_000_000


def clock() -> int:
    return NOW


class Locator:
    def locate(self, ip_address: str) -> Location:
        return Location("Lisbon, Portugal", "PT")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def replicas(request, tmp_path):
    """Each replica's session factory, on one database."""
    url = f"sqlite:///{tmp_path / 'device.db'}" if request.param == "sqlite" else None
    with replica_engines(url, HISTORY) as engines:
        yield [make_session_factory(engine) for engine in engines]


def register(sessions, client_id: str = "tv-install"):
    details = DeviceDetails(client_id, "Living room TV", DeviceType.TV)
    return devices.register_device(SqlAlchemyUnitOfWork(sessions), clock, Locator(), ACCOUNT, details, "192.0.2.7")


def stored(sessions, device_id: str):
    with SqlAlchemyUnitOfWork(sessions) as uow:
        return uow.devices.get(ACCOUNT, device_id)


def count(sessions, query: str) -> int:
    with sessions() as session:
        return int(session.scalar(text(query)))


def sign_out(sessions, device_id: str, sequence: int):
    revocation = Revocation(sequence, ACCOUNT, Scope.DEVICE, Reason.REMOTE_SIGN_OUT, "", device_id, NOW + 1)
    return revocations.apply_revocation(SqlAlchemyUnitOfWork(sessions), clock, revocation)


def test_one_install_signing_in_for_the_first_time_on_two_replicas_at_once_is_one_device(replicas):
    a, b = replicas
    for round_ in range(5):
        client = f"install-{round_}"
        results = race(lambda: register(a, client), lambda: register(b, client))  # noqa: B023
        assert not errors(results), results
        assert results[0].device_id == results[1].device_id
    assert count(a, "select count(*) from devices") == 5


def test_a_sign_in_never_undoes_a_removal_it_raced_with(replicas):
    a, b = replicas
    device = register(a)
    sign_out(a, device.device_id, 1)
    read = threading.Event()

    def slow_sign_in():
        uow = stalling(SqlAlchemyUnitOfWork, a, after="devices.get_by_client_id", reached=read)
        details = DeviceDetails("tv-install", "Living room TV", DeviceType.TV)
        return devices.register_device(uow, clock, Locator(), ACCOUNT, details, "192.0.2.7")

    def remove_meanwhile():
        read.wait(10)
        return removal.remove_device(SqlAlchemyUnitOfWork(b), clock, ACCOUNT, device.device_id)

    signed_in, removed = race(slow_sign_in, remove_meanwhile)
    assert signed_in.status is DeviceStatus.ACTIVE  # it read the device first, so it signed in first
    assert removed.status is DeviceStatus.REMOVED
    assert stored(a, device.device_id).status is DeviceStatus.REMOVED  # the ban stands


def test_a_heartbeat_never_writes_a_location_back_onto_a_device_removed_meanwhile(replicas):
    a, b = replicas
    device = register(a)
    read = threading.Event()

    def slow_heartbeat():
        uow = stalling(SqlAlchemyUnitOfWork, a, after="devices.get", reached=read)
        return activity.record_playback(uow, clock, Locator(), ACCOUNT, device.device_id, "Ann", "Dune", "192.0.2.8")

    def remove_meanwhile():
        read.wait(10)
        return removal.remove_device(SqlAlchemyUnitOfWork(b), clock, ACCOUNT, device.device_id)

    assert not errors(race(slow_heartbeat, remove_meanwhile))
    after = stored(a, device.device_id)
    assert after.status is DeviceStatus.REMOVED
    assert (after.last_ip_address, after.location.country) == ("", "")  # erased, and not written back
    assert count(a, "select count(*) from streaming_activity") == 0


def test_one_revocation_applied_on_two_replicas_at_once_is_applied_once(replicas):
    a, b = replicas
    for sequence in range(1, 6):
        device = register(a, f"install-{sequence}")
        results = race(lambda: sign_out(a, device.device_id, sequence), lambda: sign_out(b, device.device_id, sequence))  # noqa: B023
        assert not errors(results), results
        assert sorted(result.already_applied for result in results) == [False, True]
        assert [result.signed_out_device_ids for result in results if not result.already_applied] == [
            [device.device_id]
        ]
    assert count(a, "select count(*) from applied_revocations") == 5
