"""revocations.deliver_revocation: only auth_service's word is applied (common.revocation_delivery)."""

import asyncio

import pytest
from remotesignout.auth.v1 import auth_pb2
from remotesignout.parental.v1 import parental_pb2 as pb

from common.errors import InvalidArgument, NotFound, Unavailable
from common.permissions import set_caller
from common.revocation import Reason, Revocation, Scope
from parental_service.bootstrap import Dependencies
from parental_service.domain.playback import ActivePlayback
from parental_service.entrypoints.servicer import ParentalServicer
from parental_service.service_layer.revocations import deliver_revocation
from tests.feeds import FakeFeedEntries
from tests.unit.parental_service.conftest import ACCOUNT, CATALOGUE
from tests.unit.parental_service.fakes import FakePinHasher


@pytest.fixture
def feed():
    return FakeFeedEntries()


@pytest.fixture
def watching(uow):
    with uow:
        for device in ["tv", "phone"]:
            uow.playbacks.start(ActivePlayback(device, ACCOUNT, "p1", "t1", 1))
        uow.commit()
    return uow


@pytest.fixture
def deliver(watching, clock, stops, feed):
    def deliver(delivered, caller):
        return deliver_revocation(watching, clock, stops, feed, delivered, caller)

    return deliver


def playing(uow):
    with uow:
        return sorted(p.device_id for p in uow.playbacks.list_for_account(ACCOUNT))


def recorded(uow, sequence):
    with uow:
        return uow.revocations.contains(sequence)


def revocation(sequence, scope, device_id=""):
    return Revocation(sequence, ACCOUNT, scope, Reason.REMOTE_SIGN_OUT, device_id=device_id)


@pytest.mark.parametrize("caller", ["gateway", ""])
async def test_a_sequence_missing_from_the_feed_is_refused_and_not_recorded(uow, deliver, feed, caller):
    with pytest.raises(NotFound, match="no entry 4"):
        await deliver(revocation(4, Scope.ALL), caller)
    assert not recorded(uow, 4)
    assert playing(uow) == ["phone", "tv"]
    feed.publish(revocation(4, Scope.DEVICE, "tv"))
    result = await deliver(revocation(4, Scope.DEVICE, "tv"), caller)
    assert (result.applied, result.already_applied, len(result.stops)) == (True, False, 1)
    assert playing(uow) == ["phone"]


async def test_the_feeds_content_is_applied_not_the_requests(uow, deliver, feed):
    feed.publish(revocation(2, Scope.DEVICE, "phone"))
    result = await deliver(revocation(2, Scope.ALL), "gateway")
    assert [stop.playback.device_id for stop in result.stops] == ["phone"]
    assert playing(uow) == ["tv"]


async def test_an_unreadable_feed_is_unavailable_and_records_nothing(uow, deliver, feed):
    feed.publish(revocation(3, Scope.ALL))
    feed.down = True
    with pytest.raises(Unavailable):
        await deliver(revocation(3, Scope.ALL), "gateway")
    assert not recorded(uow, 3)
    assert playing(uow) == ["phone", "tv"]


async def test_auth_services_own_delivery_is_applied_as_sent(deliver, feed):
    result = await deliver(revocation(5, Scope.ALL), "auth_service")
    assert (result.applied, len(result.stops)) == (True, 2)
    assert feed.asked == []


async def test_a_malformed_delivery_is_refused_before_the_feed_is_asked(deliver, feed):
    with pytest.raises(InvalidArgument):
        await deliver(revocation(6, Scope.DEVICE), "gateway")
    assert feed.asked == []


async def test_an_already_applied_sequence_answers_applied(deliver, feed):
    feed.publish(revocation(7, Scope.ALL))
    await deliver(revocation(7, Scope.ALL), "gateway")
    again = await deliver(revocation(7, Scope.ALL), "gateway")
    assert (again.applied, again.already_applied, again.stops) == (True, True, [])


async def test_the_stopped_playbacks_are_published_to_watchers(deliver, feed, stops):
    feed.publish(revocation(9, Scope.DEVICE, "tv"))
    with stops.subscribe(ACCOUNT) as watcher:
        result = await deliver(revocation(9, Scope.DEVICE, "tv"), "gateway")
        await asyncio.sleep(0)  # published from the handler's worker thread, onto this loop
        assert watcher.get_nowait() == result.stops[0]


@pytest.mark.parametrize(("caller", "asks_the_feed"), [("auth_service", False), ("gateway", True)])
async def test_the_servicer_passes_the_authenticated_caller_down(watching, clock, stops, feed, caller, asks_the_feed):
    feed.publish(revocation(8, Scope.DEVICE, "tv"))
    message = auth_pb2.Revocation(
        sequence=8,
        account_id=ACCOUNT,
        scope=auth_pb2.REVOCATION_SCOPE_DEVICE,
        reason=auth_pb2.REVOCATION_REASON_REMOTE_SIGN_OUT,
        device_id="tv",
    )
    servicer = ParentalServicer(
        Dependencies(
            uow=lambda: watching, catalogue=CATALOGUE, hasher=FakePinHasher(), feed=feed, clock=clock, stops=stops
        )
    )

    async def call():  # in its own task, so its context: what the server interceptor sets per call
        set_caller(caller)
        return await servicer.ApplyRevocation(pb.ApplyRevocationRequest(revocation=message), None)

    response = await asyncio.create_task(call())
    assert (response.applied, response.already_applied, response.stopped_playback_count) == (True, False, 1)
    assert feed.asked == ([8] if asks_the_feed else [])
