from __future__ import annotations

import pytest
from remotesignout.auth.v1 import auth_pb2

from common.errors import InvalidArgument
from common.revocation import Reason, Revocation, Scope
from device_service.domain.model import DeviceDetails, DeviceStatus, DeviceType
from device_service.entrypoints import convert
from device_service.service_layer import devices
from device_service.service_layer.revocations import apply_revocation

from .fakes import FakeClock, fake_world


@pytest.fixture
def world():
    """Account acc-1 with a TV, a phone and a tablet, and acc-2 with a TV."""
    clock = FakeClock()
    w = fake_world(clock)
    ids = {}
    for account, name in [("acc-1", "tv"), ("acc-1", "phone"), ("acc-1", "tablet"), ("acc-2", "tv")]:
        details = DeviceDetails(f"install-{name}", name, DeviceType.PHONE)
        ids[account, name] = devices.register_device(w.uow, w.clock, w.locator, account, details, "").device_id
    clock.advance()
    return w, w.database, clock, ids


def revocation(scope, device_id="", sequence=1, account_id="acc-1", revoked_at=0):
    session_id = "s-1" if scope in (Scope.SESSION, Scope.ALL_OTHERS) else ""
    return Revocation(sequence, account_id, scope, Reason.REMOTE_SIGN_OUT, session_id, device_id, revoked_at)


def statuses(database, ids):
    return {key: database.devices[device_id].status for key, device_id in ids.items()}


@pytest.mark.parametrize("scope", [Scope.SESSION, Scope.DEVICE])
def test_signing_out_a_device_marks_only_it_signed_out(world, scope):
    w, database, _, ids = world
    result = apply_revocation(w.uow, w.clock, revocation(scope, ids["acc-1", "tv"]))
    assert result.applied and result.signed_out_device_ids == [ids["acc-1", "tv"]]
    assert statuses(database, ids) == {
        ("acc-1", "tv"): DeviceStatus.SIGNED_OUT,
        ("acc-1", "phone"): DeviceStatus.ACTIVE,
        ("acc-1", "tablet"): DeviceStatus.ACTIVE,
        ("acc-2", "tv"): DeviceStatus.ACTIVE,
    }


def test_signing_out_all_devices_marks_every_device_of_the_account_only(world):
    w, database, _, ids = world
    result = apply_revocation(w.uow, w.clock, revocation(Scope.ALL))
    assert statuses(database, ids) == {
        ("acc-1", "tv"): DeviceStatus.SIGNED_OUT,
        ("acc-1", "phone"): DeviceStatus.SIGNED_OUT,
        ("acc-1", "tablet"): DeviceStatus.SIGNED_OUT,
        ("acc-2", "tv"): DeviceStatus.ACTIVE,
    }
    # An account-wide revocation is one cutoff whatever the number of devices: it lists none.
    assert (result.applied, result.signed_out_device_ids) == (True, [])


def test_signing_out_all_others_keeps_the_callers_device_signed_in(world):
    w, database, _, ids = world
    apply_revocation(w.uow, w.clock, revocation(Scope.ALL_OTHERS, ids["acc-1", "phone"]))
    assert statuses(database, ids) == {
        ("acc-1", "tv"): DeviceStatus.SIGNED_OUT,
        ("acc-1", "phone"): DeviceStatus.ACTIVE,
        ("acc-1", "tablet"): DeviceStatus.SIGNED_OUT,
        ("acc-2", "tv"): DeviceStatus.ACTIVE,
    }


def test_applying_the_same_sequence_twice_changes_nothing_the_second_time(world):
    w, database, _, ids = world
    assert apply_revocation(w.uow, w.clock, revocation(Scope.ALL, sequence=7)).applied
    devices.register_device(w.uow, w.clock, w.locator, "acc-1", DeviceDetails("install-tv", "tv", DeviceType.TV), "")
    again = apply_revocation(w.uow, w.clock, revocation(Scope.ALL, sequence=7))
    # The sequence is applied here (applied), already before this call, which changed nothing.
    assert (again.applied, again.already_applied, again.signed_out_device_ids) == (True, True, [])
    assert database.devices[ids["acc-1", "tv"]].status is DeviceStatus.ACTIVE


def test_a_removed_device_stays_removed(world):
    w, database, _, ids = world
    database.devices[ids["acc-1", "tv"]].status = DeviceStatus.REMOVED
    result = apply_revocation(w.uow, w.clock, revocation(Scope.ALL))
    assert ids["acc-1", "tv"] not in result.signed_out_device_ids
    assert database.devices[ids["acc-1", "tv"]].status is DeviceStatus.REMOVED


def test_a_late_revocation_does_not_sign_out_a_device_that_signed_in_after_it(world):
    w, database, clock, ids = world
    revoked_at = clock.now
    clock.advance()
    devices.register_device(w.uow, w.clock, w.locator, "acc-1", DeviceDetails("install-tv", "tv", DeviceType.TV), "")
    result = apply_revocation(w.uow, w.clock, revocation(Scope.ALL, revoked_at=revoked_at))
    assert ids["acc-1", "tv"] not in result.signed_out_device_ids
    assert database.devices[ids["acc-1", "tv"]].status is DeviceStatus.ACTIVE
    assert database.devices[ids["acc-1", "phone"]].status is DeviceStatus.SIGNED_OUT


def test_a_revocation_after_the_latest_sign_in_signs_the_device_out(world):
    w, _database, clock, ids = world
    result = apply_revocation(w.uow, w.clock, revocation(Scope.DEVICE, ids["acc-1", "tv"], revoked_at=clock.now))
    assert result.signed_out_device_ids == [ids["acc-1", "tv"]]


def test_a_revocation_naming_another_accounts_device_signs_out_nothing(world):
    w, database, _, ids = world
    result = apply_revocation(w.uow, w.clock, revocation(Scope.DEVICE, ids["acc-2", "tv"]))
    assert (result.applied, result.signed_out_device_ids) == (True, [])
    assert database.devices[ids["acc-2", "tv"]].status is DeviceStatus.ACTIVE


@pytest.mark.parametrize(
    "fields, complaint",
    [
        (dict(sequence=0), "sequence"),
        (dict(account_id=""), "account_id"),
        (dict(scope=Scope.DEVICE, device_id=""), "device_id"),
        (dict(scope=Scope.ALL_OTHERS, device_id=""), "device_id"),
        (dict(scope=Scope.SESSION, session_id=""), "session_id"),
    ],
)
def test_a_malformed_revocation_is_an_invalid_argument_and_changes_nothing(world, fields, complaint):
    w, database, _, ids = world
    values = dict(
        sequence=1,
        account_id="acc-1",
        scope=Scope.SESSION,
        reason=Reason.REMOTE_SIGN_OUT,
        session_id="s",
        device_id=ids["acc-1", "tv"],
        revoked_at_us=0,
    )
    values.update(fields)
    with pytest.raises(InvalidArgument, match=complaint):
        apply_revocation(w.uow, w.clock, Revocation(**values))
    assert set(statuses(database, ids).values()) == {DeviceStatus.ACTIVE}
    assert database.applied == {}


def test_a_revocation_without_a_scope_is_an_invalid_argument():
    with pytest.raises(InvalidArgument, match="scope"):
        convert.revocation(
            auth_pb2.Revocation(
                sequence=1, account_id="acc-1", device_id="d", reason=auth_pb2.REVOCATION_REASON_SIGN_OUT
            )
        )
