"""ParentalApp.deliver_revocation: only auth_service's word is applied (common.revocation_delivery)."""

import asyncio

import pytest
from remotesignout.auth.v1 import auth_pb2
from remotesignout.parental.v1 import parental_pb2 as pb

from common.errors import InvalidArgument, NotFound, Unavailable
from common.permissions import set_caller
from parental_service.domain.playback import ActivePlayback
from parental_service.domain.revocations import Revocation, RevocationScope
from parental_service.entrypoints.servicer import ParentalServicer
from tests.feeds import FakeFeedEntries
from tests.unit.parental_service.conftest import ACCOUNT


@pytest.fixture
def feed():
    return FakeFeedEntries()


@pytest.fixture
def watching(app, uow):
    with uow:
        for device in ["tv", "phone"]:
            uow.playbacks.start(ActivePlayback(device, ACCOUNT, "p1", "t1", 1))
        uow.commit()
    return app


def playing(uow):
    with uow:
        return sorted(p.device_id for p in uow.playbacks.list_for_account(ACCOUNT))


def recorded(uow, sequence):
    with uow:
        return uow.revocations.contains(sequence)


def revocation(sequence, scope, device_id=""):
    return Revocation(sequence, ACCOUNT, scope, device_id=device_id)


@pytest.mark.parametrize("caller", ["gateway", ""])
async def test_a_sequence_missing_from_the_feed_is_refused_and_not_recorded(watching, uow, feed, caller):
    with pytest.raises(NotFound, match="no entry 4"):
        await watching.deliver_revocation(feed, revocation(4, RevocationScope.ALL), caller)
    assert not recorded(uow, 4)
    assert playing(uow) == ["phone", "tv"]
    feed.publish(revocation(4, RevocationScope.DEVICE, "tv"))
    result = await watching.deliver_revocation(feed, revocation(4, RevocationScope.DEVICE, "tv"), caller)
    assert (result.applied, result.already_applied, len(result.stops)) == (True, False, 1)
    assert playing(uow) == ["phone"]


async def test_the_feeds_content_is_applied_not_the_requests(watching, uow, feed):
    feed.publish(revocation(2, RevocationScope.DEVICE, "phone"))
    result = await watching.deliver_revocation(feed, revocation(2, RevocationScope.ALL), "gateway")
    assert [stop.playback.device_id for stop in result.stops] == ["phone"]
    assert playing(uow) == ["tv"]


async def test_an_unreadable_feed_is_unavailable_and_records_nothing(watching, uow, feed):
    feed.publish(revocation(3, RevocationScope.ALL))
    feed.down = True
    with pytest.raises(Unavailable):
        await watching.deliver_revocation(feed, revocation(3, RevocationScope.ALL), "gateway")
    assert not recorded(uow, 3)
    assert playing(uow) == ["phone", "tv"]


async def test_auth_services_own_delivery_is_applied_as_sent(watching, uow, feed):
    result = await watching.deliver_revocation(feed, revocation(5, RevocationScope.ALL), "auth_service")
    assert (result.applied, len(result.stops)) == (True, 2)
    assert feed.asked == []


async def test_a_malformed_delivery_is_refused_before_the_feed_is_asked(watching, feed):
    with pytest.raises(InvalidArgument):
        await watching.deliver_revocation(feed, revocation(6, RevocationScope.DEVICE), "gateway")
    assert feed.asked == []


async def test_an_already_applied_sequence_answers_applied(watching, feed):
    feed.publish(revocation(7, RevocationScope.ALL))
    await watching.deliver_revocation(feed, revocation(7, RevocationScope.ALL), "gateway")
    again = await watching.deliver_revocation(feed, revocation(7, RevocationScope.ALL), "gateway")
    assert (again.applied, again.already_applied, again.stops) == (True, True, [])


@pytest.mark.parametrize(("caller", "asks_the_feed"), [("auth_service", False), ("gateway", True)])
async def test_the_servicer_passes_the_authenticated_caller_down(watching, feed, caller, asks_the_feed):
    feed.publish(revocation(8, RevocationScope.DEVICE, "tv"))
    message = auth_pb2.Revocation(sequence=8, account_id=ACCOUNT, scope=auth_pb2.REVOCATION_SCOPE_DEVICE,
                                  device_id="tv")

    async def call():  # in its own task, so its context: what the server interceptor sets per call
        set_caller(caller)
        return await ParentalServicer(watching, feed).ApplyRevocation(pb.ApplyRevocationRequest(revocation=message),
                                                                      None)

    response = await asyncio.create_task(call())
    assert (response.applied, response.already_applied, response.stopped_playback_count) == (True, False, 1)
    assert feed.asked == ([8] if asks_the_feed else [])
