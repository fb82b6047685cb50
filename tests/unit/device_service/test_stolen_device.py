"""A lost or stolen device: signing it out keeps where it was (its trail helps recover it), only removal erases
that; and a device last seen in a country none of the account's other devices signs in from is marked unusual."""

from __future__ import annotations

import pytest

from common.revocation import Reason, Revocation, Scope
from device_service.domain.activity import StreamingKind
from device_service.domain.locations import unusual_device_ids
from device_service.domain.model import Device, DeviceDetails, DeviceStatus, DeviceType, Location
from device_service.service_layer import activity, devices, removal
from device_service.service_layer.devices import MICROS_PER_DAY
from device_service.service_layer.revocations import apply_revocation

from .fakes import FakeClock, fake_world

LISBON, PORTO, MADRID, PARIS = "193.136.0.1", "193.137.0.1", "80.58.0.1", "90.0.0.1"
COUNTRIES = {LISBON: "Portugal", PORTO: "Portugal", MADRID: "Spain", PARIS: "France"}


def details(name: str) -> DeviceDetails:
    return DeviceDetails(f"install-{name}", name, DeviceType.PHONE)


@pytest.fixture
def w():
    return fake_world(FakeClock(), countries=COUNTRIES)


def sign_in(w, name: str, ip_address: str, account_id: str = "acc-1") -> str:
    w.clock.advance()
    return devices.register_device(w.uow, w.clock, w.locator, account_id, details(name), ip_address).device_id


# --- signing out keeps the trail; removing erases it -------------------------------------------------------------


def trail(w, device_id: str) -> list[tuple[StreamingKind, str, str]]:
    entries, _ = activity.list_streaming_activity(w.uow, "acc-1", device_id, 100, "")
    return [(e.kind, e.ip_address, e.location.country) for e in entries]


@pytest.mark.parametrize("scope", [Scope.DEVICE, Scope.ALL])
def test_signing_a_device_out_keeps_its_location_and_activity_trail(w, scope):
    phone = sign_in(w, "phone", LISBON)
    w.clock.advance()
    activity.record_playback(w.uow, w.clock, w.locator, "acc-1", phone, "Ana", "Arcane", MADRID)
    before = trail(w, phone)
    assert before == [(StreamingKind.PLAYBACK, MADRID, "Spain"), (StreamingKind.SIGN_IN, LISBON, "Portugal")]

    w.clock.advance()
    apply_revocation(w.uow, w.clock, Revocation(1, "acc-1", scope, Reason.REMOTE_SIGN_OUT, "", phone, w.clock() + 1))

    device = devices.get_device(w.uow, "acc-1", phone)
    assert device.status is DeviceStatus.SIGNED_OUT
    assert (device.last_ip_address, device.location) == (MADRID, Location("Spain", "Spain"))
    assert trail(w, phone) == before
    viewing, _ = activity.list_viewing_activity(w.uow, "acc-1", "Ana", 10, "")
    assert [v.location.country for v in viewing] == ["Spain"]


def test_removing_a_device_erases_its_trail(w):
    phone = sign_in(w, "phone", LISBON)
    removal.remove_device(w.uow, w.clock, "acc-1", phone)
    assert trail(w, phone) == []
    assert devices.get_device(w.uow, "acc-1", phone).location.country == ""


# --- unusual locations -------------------------------------------------------------------------------------------


def listed(w, account_id: str = "acc-1", **options) -> dict[str, bool]:
    page = devices.list_devices(w.uow, w.clock, account_id, 0, "", **options)
    return {d.name: d.device_id in page.unusual for d in page.devices}


def test_a_device_last_seen_in_a_country_no_other_device_signs_in_from_is_unusual(w):
    sign_in(w, "tv", LISBON)
    sign_in(w, "laptop", PORTO)
    phone = sign_in(w, "phone", LISBON)
    assert listed(w) == {"tv": False, "laptop": False, "phone": False}

    w.clock.advance()
    activity.record_playback(w.uow, w.clock, w.locator, "acc-1", phone, "Ana", "Arcane", PARIS)

    assert listed(w) == {"tv": False, "laptop": False, "phone": True}
    shown = devices.show_device(w.uow, w.clock, "acc-1", phone)
    assert shown.unusual_location and shown.device.location.country == "France"


def test_a_country_another_device_signed_in_from_is_usual(w):
    sign_in(w, "tv", LISBON)
    sign_in(w, "laptop", MADRID)
    phone = sign_in(w, "phone", LISBON)
    w.clock.advance()
    activity.record_playback(w.uow, w.clock, w.locator, "acc-1", phone, "Ana", "Arcane", MADRID)
    assert listed(w)["phone"] is False


def test_only_the_other_devices_sign_ins_count_not_the_devices_own(w):
    sign_in(w, "tv", LISBON)
    sign_in(w, "laptop", PORTO)
    phone = sign_in(w, "phone", PARIS)  # its own sign-in from France does not make France usual
    w.clock.advance()
    activity.record_playback(w.uow, w.clock, w.locator, "acc-1", phone, "Ana", "Arcane", PARIS)
    assert listed(w) == {"tv": False, "laptop": False, "phone": True}


def test_sign_ins_older_than_the_window_do_not_count(w):
    sign_in(w, "laptop", PARIS)
    w.clock.advance(91 * MICROS_PER_DAY)
    sign_in(w, "tv", LISBON)
    phone = sign_in(w, "phone", LISBON)
    w.clock.advance()
    activity.record_playback(w.uow, w.clock, w.locator, "acc-1", phone, "Ana", "Arcane", PARIS)
    assert listed(w, include_inactive=True)["phone"] is True
    assert listed(w, include_inactive=True, usual_location_days=365)["phone"] is False


def test_an_unknown_or_local_location_and_an_account_without_a_baseline_are_never_unusual(w):
    sign_in(w, "tv", "")
    sign_in(w, "router", "10.0.0.7")
    sign_in(w, "laptop", LISBON)
    assert listed(w) == {"tv": False, "router": False, "laptop": False}
    sign_in(w, "phone", PARIS, account_id="acc-2")
    assert listed(w, "acc-2") == {"phone": False}  # no other device to compare with


def test_other_accounts_sign_ins_do_not_count(w):
    sign_in(w, "tv", PARIS, account_id="acc-2")
    sign_in(w, "tv", LISBON)
    phone = sign_in(w, "phone", LISBON)
    w.clock.advance()
    activity.record_playback(w.uow, w.clock, w.locator, "acc-1", phone, "Ana", "Arcane", PARIS)
    assert listed(w)["phone"] is True


def test_the_rule_on_its_own():
    def device(device_id: str, country: str) -> Device:
        return Device(
            device_id,
            "acc",
            device_id,
            device_id,
            DeviceType.TV,
            "",
            "",
            DeviceStatus.ACTIVE,
            0,
            0,
            0,
            location=Location(country or "unknown", country),
        )

    seen = {"a": {"Portugal"}, "b": {"Spain", "Portugal"}, "c": {"France"}}
    ids = unusual_device_ids(
        [device("a", "Portugal"), device("b", "France"), device("c", "France"), device("d", ""), device("e", "Peru")],
        seen,
    )
    assert ids == {"c", "e"}  # c: only c itself signed in from France; b: c did
    assert unusual_device_ids([device("a", "Portugal")], {"a": {"Portugal"}}) == set()
