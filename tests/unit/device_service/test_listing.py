from __future__ import annotations

import pytest

from common.errors import InvalidArgument
from device_service.domain.model import DeviceDetails, DeviceType
from device_service.service_layer import devices

from .fakes import FakeClock, fake_world


def register_many(count: int):
    clock = FakeClock()
    w = fake_world(clock)
    ids = []
    for number in range(count):
        clock.advance()
        details = DeviceDetails(f"install-{number}", f"Phone {number}", DeviceType.PHONE)
        ids.append(devices.register_device(w.uow, w.clock, w.locator, "acc-1", details, "").device_id)
    return w, clock, ids


def list_devices(w, account, page_size, token):
    return devices.list_devices(w.uow, w.clock, account, page_size, token)


def test_devices_are_listed_most_recently_seen_first():
    w, _, ids = register_many(3)
    page = list_devices(w, "acc-1", 0, "")
    assert [d.device_id for d in page.devices] == list(reversed(ids))
    assert page.next_page_token == ""


def test_pages_follow_each_other_without_gaps_or_repeats():
    w, _, ids = register_many(5)
    seen, token = [], ""
    for _ in range(3):
        page = list_devices(w, "acc-1", 2, token)
        seen += [d.device_id for d in page.devices]
        token = page.next_page_token
        if not token:
            break
    assert seen == list(reversed(ids))
    assert token == ""


def test_devices_seen_at_the_same_moment_are_all_listed_across_pages():
    w = fake_world(FakeClock())
    ids = {
        devices.register_device(
            w.uow, w.clock, w.locator, "acc-1", DeviceDetails(f"c{n}", "TV", DeviceType.TV), ""
        ).device_id
        for n in range(4)
    }
    first = list_devices(w, "acc-1", 3, "")
    second = list_devices(w, "acc-1", 3, first.next_page_token)
    assert {d.device_id for d in first.devices + second.devices} == ids


def test_another_accounts_devices_are_not_listed():
    w, _, _ = register_many(2)
    assert list_devices(w, "acc-2", 0, "").devices == []


@pytest.mark.parametrize("token", ["garbage!", "bm90IGpzb24", "WzEsMl0", "WyJ4IiwieSJd"])
def test_a_bad_page_token_is_an_invalid_argument(token):
    w, _, _ = register_many(1)
    with pytest.raises(InvalidArgument, match="page_token"):
        list_devices(w, "acc-1", 0, token)


def test_a_negative_page_size_is_an_invalid_argument():
    w, _, _ = register_many(1)
    with pytest.raises(InvalidArgument, match="page_size"):
        list_devices(w, "acc-1", -1, "")
