"""ApplyRevocation's handler: only auth_service's word is applied (common.revocation_delivery)."""

from __future__ import annotations

import asyncio

import pytest
from remotesignout.auth.v1 import auth_pb2
from remotesignout.device.v1 import device_pb2

from common.errors import InvalidArgument, NotFound, Unavailable
from common.permissions import set_caller
from common.revocation import Reason, Revocation, Scope
from device_service.bootstrap import Dependencies
from device_service.domain.model import DeviceDetails, DeviceStatus, DeviceType
from device_service.entrypoints.servicer import DeviceServicer
from device_service.service_layer import devices, downloads
from device_service.service_layer.revocations import deliver_revocation
from tests.feeds import FakeFeedEntries

from .fakes import FakeClock, fake_world


@pytest.fixture
def world():
    """acc-1's TV (with a download) and phone; an empty feed."""
    clock = FakeClock()
    w = fake_world(clock)
    tv, phone = (
        devices.register_device(
            w.uow, w.clock, w.locator, "acc-1", DeviceDetails(f"install-{n}", n, DeviceType.TV), ""
        ).device_id
        for n in ("tv", "phone")
    )
    download = downloads.record_download(w.uow, w.clock, "acc-1", tv, "Ana", "Dark").download_id
    clock.advance()
    return w, FakeFeedEntries(), tv, phone, download


def revocation(sequence, scope, device_id=""):
    return Revocation(sequence, "acc-1", scope, Reason.REMOTE_SIGN_OUT, device_id=device_id)


def state(w, tv, phone, download):
    licence = downloads.check_download_license(w.uow, "acc-1", download)[1]
    return w.database.devices[tv].status, w.database.devices[phone].status, licence.valid


UNTOUCHED = (DeviceStatus.ACTIVE, DeviceStatus.ACTIVE, True)


def deliver(w, feed, delivered, caller):
    return deliver_revocation(w.uow, w.clock, feed, delivered, caller)


@pytest.mark.parametrize("caller", ["gateway", "", "parental_service"])
async def test_a_sequence_missing_from_the_feed_is_refused_and_not_recorded(world, caller):
    w, feed, tv, phone, download = world
    with pytest.raises(NotFound, match="no entry 9"):
        await deliver(w, feed, revocation(9, Scope.ALL), caller)
    assert feed.asked == [9]
    assert 9 not in w.database.applied
    assert state(w, tv, phone, download) == UNTOUCHED

    feed.publish(revocation(9, Scope.DEVICE, tv))
    result = await deliver(w, feed, revocation(9, Scope.DEVICE, tv), caller)
    assert (result.applied, result.already_applied, result.signed_out_device_ids) == (True, False, [tv])
    assert state(w, tv, phone, download) == (DeviceStatus.SIGNED_OUT, DeviceStatus.ACTIVE, False)


async def test_the_feeds_content_is_applied_not_the_requests(world):
    w, feed, tv, phone, download = world
    feed.publish(revocation(3, Scope.DEVICE, phone))
    result = await deliver(w, feed, revocation(3, Scope.ALL), "gateway")
    assert result.signed_out_device_ids == [phone]
    assert state(w, tv, phone, download) == (DeviceStatus.ACTIVE, DeviceStatus.SIGNED_OUT, True)


async def test_an_unreadable_feed_is_unavailable_and_records_nothing(world):
    w, feed, tv, phone, download = world
    feed.publish(revocation(2, Scope.ALL))
    feed.down = True
    with pytest.raises(Unavailable):
        await deliver(w, feed, revocation(2, Scope.ALL), "gateway")
    assert 2 not in w.database.applied
    assert state(w, tv, phone, download) == UNTOUCHED


async def test_auth_services_own_delivery_is_applied_as_sent_without_asking_the_feed(world):
    w, feed, tv, _phone, _download = world
    result = await deliver(w, feed, revocation(4, Scope.DEVICE, tv), "auth_service")
    assert (result.applied, result.signed_out_device_ids) == (True, [tv])
    assert feed.asked == []


async def test_a_malformed_delivery_is_refused_before_the_feed_is_asked(world):
    w, feed, tv, phone, download = world
    with pytest.raises(InvalidArgument):
        await deliver(w, feed, revocation(6, Scope.DEVICE), "gateway")
    assert feed.asked == []
    assert state(w, tv, phone, download) == UNTOUCHED


async def test_an_already_applied_sequence_answers_applied(world):
    w, feed, _tv, _phone, _download = world
    feed.publish(revocation(5, Scope.ALL))
    await deliver(w, feed, revocation(5, Scope.ALL), "gateway")
    again = await deliver(w, feed, revocation(5, Scope.ALL), "gateway")
    assert (again.applied, again.already_applied, again.signed_out_device_ids) == (True, True, [])


@pytest.mark.parametrize(("caller", "asks_the_feed"), [("auth_service", False), ("gateway", True)])
async def test_the_servicer_passes_the_authenticated_caller_down(world, caller, asks_the_feed):
    w, feed, tv, _phone, _download = world
    feed.publish(revocation(6, Scope.DEVICE, tv))
    message = auth_pb2.Revocation(
        sequence=6,
        account_id="acc-1",
        scope=auth_pb2.REVOCATION_SCOPE_DEVICE,
        reason=auth_pb2.REVOCATION_REASON_REMOTE_SIGN_OUT,
        device_id=tv,
    )
    servicer = DeviceServicer(Dependencies(uow=lambda: w.uow, locator=w.locator, feed=feed, clock=w.clock))

    async def call():  # in its own task, so its context: what the server interceptor sets per call
        set_caller(caller)
        return await servicer.ApplyRevocation(device_pb2.ApplyRevocationRequest(revocation=message), None)

    response = await asyncio.create_task(call())
    assert (response.applied, response.already_applied, list(response.signed_out_device_ids)) == (True, False, [tv])
    assert feed.asked == ([6] if asks_the_feed else [])
