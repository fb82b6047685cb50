from __future__ import annotations

import pytest

from common.errors import FailedPrecondition, NotFound
from common.revocation import Reason, Revocation, Scope
from device_service.domain.downloads import DownloadStatus
from device_service.domain.model import DeviceDetails, DeviceType
from device_service.service_layer import devices, downloads, removal
from device_service.service_layer.revocations import apply_revocation

from .fakes import FakeClock, fake_world


def register(w, client, name, kind):
    return devices.register_device(w.uow, w.clock, w.locator, "acc-1", DeviceDetails(client, name, kind), "")


def revoke(w, scope, device_id, revoked_at):
    return apply_revocation(
        w.uow,
        w.clock,
        Revocation(1, "acc-1", scope, Reason.REMOTE_SIGN_OUT, device_id=device_id, revoked_at_us=revoked_at),
    )


@pytest.fixture
def setup():
    clock = FakeClock()
    w = fake_world(clock)
    tv = register(w, "tv", "TV", DeviceType.TV).device_id
    phone = register(w, "phone", "Phone", DeviceType.PHONE).device_id
    clock.advance()
    return w, clock, tv, phone


def test_a_recorded_download_has_a_valid_license(setup):
    w, _, tv, _ = setup
    download = downloads.record_download(w.uow, w.clock, "acc-1", tv, "Ana", "Arcane")
    _, check = downloads.check_download_license(w.uow, "acc-1", download.download_id)
    assert (check.valid, check.reason) == (True, "")


def test_signing_a_device_out_cancels_its_downloads_only(setup):
    w, clock, tv, phone = setup
    on_tv = downloads.record_download(w.uow, w.clock, "acc-1", tv, "Ana", "Arcane")
    on_phone = downloads.record_download(w.uow, w.clock, "acc-1", phone, "Ana", "Dark")
    revoke(w, Scope.DEVICE, tv, clock.advance())
    cancelled, check = downloads.check_download_license(w.uow, "acc-1", on_tv.download_id)
    assert (check.valid, check.reason, cancelled.status) == (False, "device_signed_out", DownloadStatus.CANCELLED)
    assert downloads.check_download_license(w.uow, "acc-1", on_phone.download_id)[1].valid


def test_signing_in_again_does_not_bring_a_cancelled_download_back(setup):
    w, clock, tv, _ = setup
    download = downloads.record_download(w.uow, w.clock, "acc-1", tv, "Ana", "Arcane")
    revoke(w, Scope.ALL, "", clock.advance())
    clock.advance()
    register(w, "tv", "TV", DeviceType.TV)
    assert not downloads.check_download_license(w.uow, "acc-1", download.download_id)[1].valid


def test_removing_a_device_cancels_its_downloads_as_removed(setup):
    w, _, tv, _ = setup
    download = downloads.record_download(w.uow, w.clock, "acc-1", tv, "Ana", "Arcane")
    removal.remove_device(w.uow, w.clock, "acc-1", tv)
    assert downloads.check_download_license(w.uow, "acc-1", download.download_id)[1].reason == "device_removed"


def test_a_signed_out_device_cannot_download(setup):
    w, clock, tv, _ = setup
    revoke(w, Scope.DEVICE, tv, clock.advance())
    with pytest.raises(FailedPrecondition):
        downloads.record_download(w.uow, w.clock, "acc-1", tv, "Ana", "Arcane")
    assert w.database.downloads == {}


def test_downloads_are_listed_newest_first_per_device(setup):
    w, clock, tv, phone = setup
    titles = []
    for title in ("Arcane", "Dark", "Ozark"):
        downloads.record_download(w.uow, w.clock, "acc-1", tv, "Ana", title)
        titles.insert(0, title)
        clock.advance()
    downloads.record_download(w.uow, w.clock, "acc-1", phone, "Ana", "Bluey")
    page, token = downloads.list_downloads(w.uow, "acc-1", tv, 2, "")
    rest, _ = downloads.list_downloads(w.uow, "acc-1", tv, 2, token)
    assert [d.title for d in page + rest] == titles


def test_another_accounts_download_is_not_found(setup):
    w, _, tv, _ = setup
    download = downloads.record_download(w.uow, w.clock, "acc-1", tv, "Ana", "Arcane")
    with pytest.raises(NotFound):
        downloads.check_download_license(w.uow, "acc-2", download.download_id)
