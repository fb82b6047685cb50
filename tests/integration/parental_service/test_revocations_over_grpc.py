import grpc
import pytest
from remotesignout.auth.v1 import auth_pb2
from remotesignout.parental.v1 import parental_pb2 as pb

from common.revocation import Reason, Revocation, Scope
from common.unit_of_work import in_thread
from parental_service.bootstrap import bootstrap
from parental_service.domain.playback import ActivePlayback
from parental_service.entrypoints.server import feed_follower
from parental_service.service_layer.revocations import apply_revocation
from tests.integration.parental_service.conftest import reason_of


def seed_playbacks(deps, account, devices):
    with deps.uow() as uow:
        for device in devices:
            uow.playbacks.start(ActivePlayback(device, account, "p1", "t1", 1))
        uow.commit()


def playing(deps, account):
    with deps.uow() as uow:
        return sorted(p.device_id for p in uow.playbacks.list_for_account(account))


def revocation(sequence, scope, device_id="", session_id="s1", account="acc-1"):
    return pb.ApplyRevocationRequest(
        revocation=auth_pb2.Revocation(
            sequence=sequence,
            account_id=account,
            scope=scope,
            device_id=device_id,
            session_id=session_id,
            reason=auth_pb2.REVOCATION_REASON_REMOTE_SIGN_OUT,
        )
    )


def published(feed, request):
    """auth_service writes the request's revocation to its feed; the fan-out then delivers the request."""
    feed.publish(request.revocation)
    return request


async def test_signing_out_all_other_devices_stops_their_playback_once(stub, deps, auth_feed):
    seed_playbacks(deps, "acc-1", ["tv", "phone", "tablet"])
    seed_playbacks(deps, "acc-2", ["other-tv"])
    request = published(auth_feed, revocation(10, auth_pb2.REVOCATION_SCOPE_ALL_OTHERS, "phone"))
    first = await stub.ApplyRevocation(request)
    again = await stub.ApplyRevocation(request)
    assert (first.applied, first.already_applied, first.stopped_playback_count) == (True, False, 2)
    # The sequence is applied here (applied), already before this call, which changed nothing.
    assert (again.applied, again.already_applied, again.stopped_playback_count) == (True, True, 0)
    assert playing(deps, "acc-1") == ["phone"]
    assert playing(deps, "acc-2") == ["other-tv"]


async def test_signing_out_one_device_stops_only_that_device(stub, deps, auth_feed):
    seed_playbacks(deps, "acc-1", ["tv", "phone"])
    response = await stub.ApplyRevocation(published(auth_feed, revocation(11, auth_pb2.REVOCATION_SCOPE_DEVICE, "tv")))
    assert response.stopped_playback_count == 1
    assert playing(deps, "acc-1") == ["phone"]


async def test_a_revocation_applied_before_a_restart_is_not_applied_again(config, deps, clock):
    before, after = deps, bootstrap(config, deps.feed, clock=clock)
    revocation = Revocation(5, "acc-1", Scope.ALL, Reason.SIGN_OUT_ALL)
    first = await in_thread(apply_revocation, before.uow(), clock, before.stops, revocation)
    again = await in_thread(apply_revocation, after.uow(), clock, after.stops, revocation)
    assert (first.applied, first.already_applied) == (True, False)
    assert (again.applied, again.already_applied, again.stops) == (True, True, [])


async def test_a_revocation_without_a_scope_is_invalid_argument(stub, auth_feed):
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await stub.ApplyRevocation(published(auth_feed, revocation(12, auth_pb2.REVOCATION_SCOPE_UNSPECIFIED)))
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def recorded(deps, sequence):
    with deps.uow() as uow:
        return uow.revocations.contains(sequence)


async def test_a_poisoned_future_sequence_records_nothing_and_the_real_one_applies_later(stub, deps, auth_feed):
    seed_playbacks(deps, "acc-1", ["tv", "phone"])
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await stub.ApplyRevocation(revocation(20, auth_pb2.REVOCATION_SCOPE_ALL))
    assert error.value.code() == grpc.StatusCode.NOT_FOUND
    assert reason_of(error.value) == "revocation_not_in_feed"
    assert not recorded(deps, 20)
    assert playing(deps, "acc-1") == ["phone", "tv"]

    real = published(auth_feed, revocation(20, auth_pb2.REVOCATION_SCOPE_DEVICE, "tv"))
    response = await stub.ApplyRevocation(real)
    assert (response.applied, response.already_applied, response.stopped_playback_count) == (True, False, 1)
    assert playing(deps, "acc-1") == ["phone"]


async def test_the_feed_follower_applies_a_sequence_a_poisoned_call_tried_to_burn(
    stub, deps, auth_feed, config, auth_channel
):
    seed_playbacks(deps, "acc-1", ["tv", "phone"])
    with pytest.raises(grpc.aio.AioRpcError):
        await stub.ApplyRevocation(revocation(1, auth_pb2.REVOCATION_SCOPE_ALL))
    auth_feed.publish(revocation(1, auth_pb2.REVOCATION_SCOPE_DEVICE, "phone").revocation)
    assert await feed_follower(deps, config, auth_channel).catch_up() == 1
    assert playing(deps, "acc-1") == ["tv"]


async def test_content_that_disagrees_with_the_feed_is_replaced_by_the_feeds(stub, deps, auth_feed):
    seed_playbacks(deps, "acc-1", ["tv", "phone"])
    auth_feed.publish(revocation(21, auth_pb2.REVOCATION_SCOPE_DEVICE, "phone").revocation)
    response = await stub.ApplyRevocation(revocation(21, auth_pb2.REVOCATION_SCOPE_ALL))
    assert (response.applied, response.stopped_playback_count) == (True, 1)
    assert playing(deps, "acc-1") == ["tv"]


async def test_auth_service_unreachable_is_unavailable_and_records_nothing(stub, deps, auth_feed):
    seed_playbacks(deps, "acc-1", ["tv"])
    real = published(auth_feed, revocation(22, auth_pb2.REVOCATION_SCOPE_ALL))
    auth_feed.down = True
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await stub.ApplyRevocation(real)
    assert error.value.code() == grpc.StatusCode.UNAVAILABLE
    assert not recorded(deps, 22)
    assert playing(deps, "acc-1") == ["tv"]
    auth_feed.down = False
    assert (await stub.ApplyRevocation(real)).applied
    assert playing(deps, "acc-1") == []
