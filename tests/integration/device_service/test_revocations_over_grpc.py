from __future__ import annotations

import grpc
import pytest
from remotesignout.auth.v1 import auth_pb2
from remotesignout.device.v1 import device_pb2


async def register(stub, client, account="acc-1"):
    request = device_pb2.RegisterDeviceRequest(
        account_id=account, client_id=client, name=client, type=auth_pb2.DEVICE_TYPE_PHONE
    )
    return (await stub.RegisterDevice(request, timeout=5)).device


SESSION_SCOPES = (auth_pb2.REVOCATION_SCOPE_SESSION, auth_pb2.REVOCATION_SCOPE_ALL_OTHERS)


def entry(sequence, scope, device_id="", account="acc-1", revoked_at=None):
    revocation = auth_pb2.Revocation(
        sequence=sequence,
        account_id=account,
        scope=scope,
        device_id=device_id,
        session_id=f"s-{device_id}" if scope in SESSION_SCOPES else "",
        reason=auth_pb2.REVOCATION_REASON_REMOTE_SIGN_OUT,
    )
    if revoked_at is not None:
        revocation.revoked_at.CopyFrom(revoked_at)
    return revocation


def deliver(stub, revocation):
    """ApplyRevocation as the gateway's fan-out sends it (any caller but auth_service)."""
    return stub.ApplyRevocation(device_pb2.ApplyRevocationRequest(revocation=revocation), timeout=5)


def apply(stub, feed, *args, **kwargs):
    """auth_service writes the revocation to its feed, then the fan-out delivers it."""
    return deliver(stub, feed.publish(entry(*args, **kwargs)))


async def status_of(stub, device_id, account="acc-1"):
    request = device_pb2.GetDeviceRequest(account_id=account, device_id=device_id)
    return (await stub.GetDevice(request, timeout=5)).device.status


async def test_a_remote_sign_out_marks_the_device_signed_out(stub, auth_feed):
    tv, phone = await register(stub, "tv"), await register(stub, "phone")
    result = await apply(stub, auth_feed, 1, auth_pb2.REVOCATION_SCOPE_DEVICE, tv.device_id)
    assert (result.applied, list(result.signed_out_device_ids)) == (True, [tv.device_id])
    assert await status_of(stub, tv.device_id) == device_pb2.DEVICE_STATUS_SIGNED_OUT
    assert await status_of(stub, phone.device_id) == device_pb2.DEVICE_STATUS_ACTIVE


async def test_sign_out_of_all_other_devices_keeps_the_callers(stub, auth_feed):
    tv, phone, tablet = [await register(stub, name) for name in ("tv", "phone", "tablet")]
    result = await apply(stub, auth_feed, 1, auth_pb2.REVOCATION_SCOPE_ALL_OTHERS, phone.device_id)
    assert (result.applied, list(result.signed_out_device_ids)) == (True, [])  # account-wide: none listed
    assert await status_of(stub, tv.device_id) == device_pb2.DEVICE_STATUS_SIGNED_OUT
    assert await status_of(stub, tablet.device_id) == device_pb2.DEVICE_STATUS_SIGNED_OUT
    assert await status_of(stub, phone.device_id) == device_pb2.DEVICE_STATUS_ACTIVE


async def test_a_sequence_is_applied_once_even_after_a_restart(running, auth_feed):
    stub = running.stub
    tv = await register(stub, "tv")
    assert (await apply(stub, auth_feed, 41, auth_pb2.REVOCATION_SCOPE_ALL)).applied
    await register(stub, "tv")
    await running.stop()
    stub = await running.start()
    again = await deliver(stub, auth_feed.entries[41])
    # Already applied: the sequence is applied here (applied), and this call changed nothing.
    assert (again.applied, again.already_applied, list(again.signed_out_device_ids)) == (True, True, [])
    assert await status_of(stub, tv.device_id) == device_pb2.DEVICE_STATUS_ACTIVE


async def test_a_replayed_revocation_older_than_the_latest_sign_in_leaves_the_device_signed_in(stub, auth_feed):
    first = await register(stub, "tv")
    again = await register(stub, "tv")
    revoked_between = first.last_seen_at
    assert again.last_seen_at.ToMicroseconds() > revoked_between.ToMicroseconds()
    result = await apply(
        stub, auth_feed, 5, auth_pb2.REVOCATION_SCOPE_DEVICE, first.device_id, revoked_at=revoked_between
    )
    assert (result.applied, list(result.signed_out_device_ids)) == (True, [])
    assert await status_of(stub, first.device_id) == device_pb2.DEVICE_STATUS_ACTIVE


async def test_a_revocation_without_a_scope_is_invalid_argument(stub, auth_feed):
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await apply(stub, auth_feed, 1, auth_pb2.REVOCATION_SCOPE_UNSPECIFIED)
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
