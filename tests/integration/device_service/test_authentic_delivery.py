"""ApplyRevocation from anyone but auth_service is checked against auth_service's feed.

The test client has no auth_service identity (as the gateway's fan-out), so every
delivery here is looked up in the fake feed (tests.feeds): only what a test
published there is what auth_service wrote.
"""

from __future__ import annotations

import asyncio

import grpc
import pytest
from remotesignout.auth.v1 import auth_pb2
from remotesignout.device.v1 import device_pb2 as pb

from device_service.entrypoints.server import feed_follower


async def register(stub, client, account="acc-1"):
    request = pb.RegisterDeviceRequest(account_id=account, client_id=client, name=client, type=auth_pb2.DEVICE_TYPE_TV)
    return (await stub.RegisterDevice(request, timeout=5)).device


SESSION_SCOPES = (auth_pb2.REVOCATION_SCOPE_SESSION, auth_pb2.REVOCATION_SCOPE_ALL_OTHERS)


def entry(sequence, scope, device_id="", account="acc-1"):
    return auth_pb2.Revocation(
        sequence=sequence,
        account_id=account,
        scope=scope,
        device_id=device_id,
        session_id=f"s-{device_id}" if scope in SESSION_SCOPES else "",
        reason=auth_pb2.REVOCATION_REASON_REMOTE_SIGN_OUT,
    )


def deliver(stub, revocation):
    return stub.ApplyRevocation(pb.ApplyRevocationRequest(revocation=revocation), timeout=5)


@pytest.fixture
async def household(stub):
    """acc-1's TV (with a download) and phone."""
    tv, phone = await register(stub, "tv"), await register(stub, "phone")
    request = pb.RecordDownloadRequest(account_id="acc-1", device_id=tv.device_id, profile_name="Ana", title="Dark")
    download = (await stub.RecordDownload(request, timeout=5)).download
    return tv.device_id, phone.device_id, download.download_id


async def state(stub, household):
    """(TV status, phone status, (licence valid, reason))."""
    tv, phone, download = household
    statuses = [
        (await stub.GetDevice(pb.GetDeviceRequest(account_id="acc-1", device_id=d), timeout=5)).device.status
        for d in (tv, phone)
    ]
    check = await stub.CheckDownloadLicense(
        pb.CheckDownloadLicenseRequest(account_id="acc-1", download_id=download), timeout=5
    )
    return statuses[0], statuses[1], (check.valid, check.reason)


UNTOUCHED = (pb.DEVICE_STATUS_ACTIVE, pb.DEVICE_STATUS_ACTIVE, (True, ""))


def recorded(open_uow, sequence):
    with open_uow() as uow:
        return uow.applied_revocations.contains(sequence)


async def test_a_poisoned_future_sequence_records_nothing_and_the_real_one_applies_later(
    stub, auth_feed, household, open_uow
):
    tv, phone, _ = household
    auth_feed.publish(entry(1, auth_pb2.REVOCATION_SCOPE_SESSION, phone))
    assert (await deliver(stub, auth_feed.entries[1])).applied
    forged = entry(2, auth_pb2.REVOCATION_SCOPE_ALL)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await deliver(stub, forged)
    assert caught.value.code() is grpc.StatusCode.NOT_FOUND
    assert "no entry 2" in caught.value.details()
    assert dict(caught.value.trailing_metadata())["error-reason"] == "revocation_not_in_feed"
    assert not recorded(open_uow, 2)
    assert await state(stub, household) == (pb.DEVICE_STATUS_ACTIVE, pb.DEVICE_STATUS_SIGNED_OUT, (True, ""))

    real = auth_feed.publish(entry(2, auth_pb2.REVOCATION_SCOPE_DEVICE, tv))
    result = await deliver(stub, real)
    assert (result.applied, result.already_applied, list(result.signed_out_device_ids)) == (True, False, [tv])
    assert await state(stub, household) == (
        pb.DEVICE_STATUS_SIGNED_OUT,
        pb.DEVICE_STATUS_SIGNED_OUT,
        (False, "device_signed_out"),
    )


async def test_the_feed_follower_applies_a_sequence_a_poisoned_call_tried_to_burn(
    running, auth_feed, household, open_uow, config
):
    stub = running.stub
    tv, _, _ = household
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await deliver(stub, entry(7, auth_pb2.REVOCATION_SCOPE_ALL, account="acc-1"))
    assert caught.value.code() is grpc.StatusCode.NOT_FOUND
    assert await state(stub, household) == UNTOUCHED
    for sequence in range(1, 7):  # other accounts' revocations, then acc-1's TV
        auth_feed.publish(entry(sequence, auth_pb2.REVOCATION_SCOPE_ALL, account=f"acc-{sequence + 10}"))
    auth_feed.publish(entry(7, auth_pb2.REVOCATION_SCOPE_DEVICE, tv))
    assert await feed_follower(running.deps, config, running.auth_channel).catch_up() == 7
    assert recorded(open_uow, 7)
    assert await state(stub, household) == (
        pb.DEVICE_STATUS_SIGNED_OUT,
        pb.DEVICE_STATUS_ACTIVE,
        (False, "device_signed_out"),
    )


async def test_content_that_disagrees_with_the_feed_is_replaced_by_the_feeds(stub, auth_feed, household):
    _tv, phone, _ = household
    auth_feed.publish(entry(3, auth_pb2.REVOCATION_SCOPE_DEVICE, phone))
    result = await deliver(stub, entry(3, auth_pb2.REVOCATION_SCOPE_ALL))  # says "all devices"
    assert (result.applied, list(result.signed_out_device_ids)) == (True, [phone])
    assert await state(stub, household) == (pb.DEVICE_STATUS_ACTIVE, pb.DEVICE_STATUS_SIGNED_OUT, (True, ""))


async def test_another_accounts_content_under_a_real_sequence_changes_nothing_of_this_account(
    stub, auth_feed, household
):
    auth_feed.publish(entry(4, auth_pb2.REVOCATION_SCOPE_ALL, account="acc-2"))
    result = await deliver(stub, entry(4, auth_pb2.REVOCATION_SCOPE_ALL))  # claims acc-1
    assert (result.applied, list(result.signed_out_device_ids)) == (True, [])
    assert await state(stub, household) == UNTOUCHED


async def test_an_already_applied_sequence_answers_applied(stub, auth_feed, household):
    tv, _, _ = household
    real = auth_feed.publish(entry(5, auth_pb2.REVOCATION_SCOPE_DEVICE, tv))
    first, again = await deliver(stub, real), await deliver(stub, real)
    assert (first.applied, first.already_applied, list(first.signed_out_device_ids)) == (True, False, [tv])
    assert (again.applied, again.already_applied, list(again.signed_out_device_ids)) == (True, True, [])


async def test_auth_service_unreachable_is_unavailable_and_records_nothing(stub, auth_feed, household, open_uow):
    tv, _, _ = household
    real = auth_feed.publish(entry(6, auth_pb2.REVOCATION_SCOPE_DEVICE, tv))
    auth_feed.down = True
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await deliver(stub, real)
    assert caught.value.code() is grpc.StatusCode.UNAVAILABLE
    assert not recorded(open_uow, 6)
    assert await state(stub, household) == UNTOUCHED
    auth_feed.down = False
    assert (await deliver(stub, real)).applied
    assert (await state(stub, household))[0] == pb.DEVICE_STATUS_SIGNED_OUT


async def test_no_auth_service_listening_is_unavailable(running, household, open_uow):
    await running.stop()
    stub = await running.start(auth_address="127.0.0.1:1")
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await deliver(stub, entry(1, auth_pb2.REVOCATION_SCOPE_ALL))
    assert caught.value.code() is grpc.StatusCode.UNAVAILABLE
    assert not recorded(open_uow, 1)
    assert await state(stub, household) == UNTOUCHED


async def test_a_revocation_pushed_before_its_commit_is_read_once_it_commits(stub, auth_feed, household):
    """auth_service pushes to event streams a moment before the entry is readable in its feed."""
    tv, _, _ = household
    real = entry(1, auth_pb2.REVOCATION_SCOPE_DEVICE, tv)
    call = asyncio.ensure_future(deliver(stub, real))
    async with asyncio.timeout(5):
        while not auth_feed.requests:
            await asyncio.sleep(0.005)
    auth_feed.publish(real)
    assert (await call).applied
    assert (await state(stub, household))[0] == pb.DEVICE_STATUS_SIGNED_OUT
