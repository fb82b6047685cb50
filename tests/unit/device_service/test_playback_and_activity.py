from __future__ import annotations

import pytest

from common.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from device_service.domain.activity import StreamingKind
from device_service.domain.model import DeviceDetails, DeviceStatus, DeviceType
from device_service.service_layer import activity, devices, removal

from .fakes import FakeClock, fake_world

TV = DeviceDetails("install-tv", "Living room TV", DeviceType.TV)
LISBON = "193.136.0.1"


@pytest.fixture
def setup():
    clock = FakeClock()
    w = fake_world(clock, countries={LISBON: "Portugal"})
    device = devices.register_device(w.uow, w.clock, w.locator, "acc-1", TV, "10.0.0.5")
    clock.advance()
    return w, w.database, clock, device.device_id


def test_a_playback_heartbeat_updates_the_device_all_at_once(setup):
    w, _, clock, device_id = setup
    device = activity.record_playback(w.uow, w.clock, w.locator, "acc-1", device_id, "Ana", "Arcane", LISBON)
    assert (device.last_profile_name, device.last_title) == ("Ana", "Arcane")
    assert device.last_watched_at == device.last_seen_at == clock.now
    assert (device.last_ip_address, device.location.description) == (LISBON, "Portugal")


def test_playback_appears_in_the_profiles_viewing_activity_newest_first(setup):
    w, _, clock, device_id = setup
    for title in ("Arcane", "Dark", "Ozark"):
        activity.record_playback(w.uow, w.clock, w.locator, "acc-1", device_id, "Ana", title, LISBON)
        clock.advance()
    activity.record_playback(w.uow, w.clock, w.locator, "acc-1", device_id, "Kids", "Bluey", LISBON)
    first, token = activity.list_viewing_activity(w.uow, "acc-1", "Ana", 2, "")
    second, last = activity.list_viewing_activity(w.uow, "acc-1", "Ana", 2, token)
    assert [e.title for e in first + second] == ["Ozark", "Dark", "Arcane"]
    assert last == ""
    assert (first[0].device_name, first[0].location.description) == ("Living room TV", "Portugal")


def test_sign_ins_and_playback_appear_in_the_devices_streaming_activity(setup):
    w, _, _, device_id = setup
    activity.record_playback(w.uow, w.clock, w.locator, "acc-1", device_id, "Ana", "Arcane", LISBON)
    entries, _ = activity.list_streaming_activity(w.uow, "acc-1", device_id, 0, "")
    assert [(e.kind, e.ip_address) for e in entries] == [
        (StreamingKind.PLAYBACK, LISBON),
        (StreamingKind.SIGN_IN, "10.0.0.5"),
    ]


def test_a_signed_out_device_cannot_record_playback(setup):
    w, database, _, device_id = setup
    database.devices[device_id].status = DeviceStatus.SIGNED_OUT
    with pytest.raises(FailedPrecondition) as caught:
        activity.record_playback(w.uow, w.clock, w.locator, "acc-1", device_id, "Ana", "Arcane", "")
    assert caught.value.reason == "device_signed_out"
    assert database.viewing == []


def test_playback_needs_a_profile_and_a_title(setup):
    w, _, _, device_id = setup
    with pytest.raises(InvalidArgument, match="profile_name"):
        activity.record_playback(w.uow, w.clock, w.locator, "acc-1", device_id, "", "Arcane", "")
    with pytest.raises(InvalidArgument, match="title"):
        activity.record_playback(w.uow, w.clock, w.locator, "acc-1", device_id, "Ana", "t" * 201, "")


def test_devices_not_seen_for_the_inactive_period_are_left_out_unless_asked_for(setup):
    w, _, clock, old_id = setup
    clock.advance(91 * 86_400 * 1_000_000)
    new_id = devices.register_device(
        w.uow, w.clock, w.locator, "acc-1", DeviceDetails("install-phone", "Phone", DeviceType.PHONE), ""
    ).device_id
    assert [d.device_id for d in devices.list_devices(w.uow, w.clock, "acc-1", 0, "").devices] == [new_id]
    listed = devices.list_devices(w.uow, w.clock, "acc-1", 0, "", include_inactive=True).devices
    assert [d.device_id for d in listed] == [new_id, old_id]


def test_removing_a_device_bans_it_and_erases_its_streaming_and_location_history(setup):
    w, _database, _, device_id = setup
    activity.record_playback(w.uow, w.clock, w.locator, "acc-1", device_id, "Ana", "Arcane", LISBON)
    removed = removal.remove_device(w.uow, w.clock, "acc-1", device_id)
    assert removed.status is DeviceStatus.REMOVED
    assert (removed.last_ip_address, removed.location.description) == ("", "unknown")
    assert activity.list_streaming_activity(w.uow, "acc-1", device_id, 0, "")[0] == []
    viewing, _ = activity.list_viewing_activity(w.uow, "acc-1", "Ana", 0, "")
    assert [(v.title, v.location.description) for v in viewing] == [("Arcane", "unknown")]
    with pytest.raises(PermissionDenied):
        devices.register_device(w.uow, w.clock, w.locator, "acc-1", TV, "")


def test_allowing_a_removed_device_lets_it_sign_in_again(setup):
    w, _, _, device_id = setup
    removal.remove_device(w.uow, w.clock, "acc-1", device_id)
    assert removal.allow_device(w.uow, "acc-1", device_id).status is DeviceStatus.SIGNED_OUT
    again = devices.register_device(w.uow, w.clock, w.locator, "acc-1", TV, "")
    assert (again.device_id, again.status) == (device_id, DeviceStatus.ACTIVE)


def test_allowing_a_device_that_is_not_removed_changes_nothing(setup):
    w, database, _, device_id = setup
    commits = database.commits
    assert removal.allow_device(w.uow, "acc-1", device_id).status is DeviceStatus.ACTIVE
    assert database.commits == commits


def test_removing_another_accounts_device_is_not_found_and_changes_nothing(setup):
    w, database, _, device_id = setup
    with pytest.raises(NotFound):
        removal.remove_device(w.uow, w.clock, "acc-2", device_id)
    assert database.devices[device_id].status is DeviceStatus.ACTIVE
