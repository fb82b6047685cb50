from __future__ import annotations

import pytest

from common.errors import InvalidArgument, NotFound, PermissionDenied
from device_service.domain.model import DeviceDetails, DeviceStatus, DeviceType
from device_service.service_layer import devices

from .fakes import FakeClock, fake_world

TV = DeviceDetails("install-tv", "Living room TV", DeviceType.TV, "tvOS 17", "1.0")


def test_a_first_sign_in_creates_an_active_device_with_its_location():
    clock = FakeClock()
    w = fake_world(clock, countries={"193.136.0.1": "Portugal"})
    device = devices.register_device(w.uow, w.clock, w.locator, "acc-1", TV, "193.136.0.1")
    assert device.status is DeviceStatus.ACTIVE
    assert device.first_seen_at == device.last_seen_at == clock.now
    assert (device.last_ip_address, device.location.description) == ("193.136.0.1", "Portugal")


def test_a_later_sign_in_recognises_the_device_and_updates_it():
    clock = FakeClock()
    w = fake_world(clock)
    database = w.database
    first = devices.register_device(w.uow, w.clock, w.locator, "acc-1", TV, "10.0.0.2")
    first_seen = clock.now
    clock.advance()
    renamed = DeviceDetails("install-tv", "Bedroom TV", DeviceType.STREAMING_PLAYER, "tvOS 18", "2.0")
    again = devices.register_device(w.uow, w.clock, w.locator, "acc-1", renamed, "")
    assert again.device_id == first.device_id
    assert len(database.devices) == 1
    assert (again.name, again.type, again.platform, again.app_version) == (
        "Bedroom TV",
        DeviceType.STREAMING_PLAYER,
        "tvOS 18",
        "2.0",
    )
    assert (again.first_seen_at, again.last_seen_at) == (first_seen, clock.now)
    assert (again.last_ip_address, again.location.description) == ("", "unknown")


def test_a_signed_out_device_signing_in_again_is_active():
    w = fake_world()
    database = w.database
    device = devices.register_device(w.uow, w.clock, w.locator, "acc-1", TV, "")
    database.devices[device.device_id].status = DeviceStatus.SIGNED_OUT
    assert devices.register_device(w.uow, w.clock, w.locator, "acc-1", TV, "").status is DeviceStatus.ACTIVE


def test_a_removed_device_is_refused_as_banned_and_left_unchanged():
    w = fake_world()
    database = w.database
    device = devices.register_device(w.uow, w.clock, w.locator, "acc-1", TV, "127.0.0.1")
    database.devices[device.device_id].status = DeviceStatus.REMOVED
    with pytest.raises(PermissionDenied) as caught:
        devices.register_device(w.uow, w.clock, w.locator, "acc-1", TV, "8.8.8.8")
    assert caught.value.reason == "device_banned"
    assert "Manage access and devices" in caught.value.message
    stored = database.devices[device.device_id]
    assert (stored.status, stored.last_ip_address) == (DeviceStatus.REMOVED, "127.0.0.1")


def test_the_same_client_id_on_another_account_is_another_device():
    w = fake_world()
    database = w.database
    mine = devices.register_device(w.uow, w.clock, w.locator, "acc-1", TV, "")
    theirs = devices.register_device(w.uow, w.clock, w.locator, "acc-2", TV, "")
    assert mine.device_id != theirs.device_id
    assert len(database.devices) == 2


def test_registering_needs_an_account():
    w = fake_world()
    database = w.database
    with pytest.raises(InvalidArgument, match="account_id"):
        devices.register_device(w.uow, w.clock, w.locator, "", TV, "")
    assert database.devices == {}


def test_another_accounts_device_is_not_found_like_an_unknown_one():
    w = fake_world()
    device = devices.register_device(w.uow, w.clock, w.locator, "acc-1", TV, "")
    with pytest.raises(NotFound) as other_account:
        devices.get_device(w.uow, "acc-2", device.device_id)
    with pytest.raises(NotFound) as unknown:
        devices.get_device(w.uow, "acc-2", "no-such-device")
    assert other_account.value.message.replace(device.device_id, "X") == unknown.value.message.replace(
        "no-such-device", "X"
    )
