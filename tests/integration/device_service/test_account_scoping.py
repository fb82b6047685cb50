"""Every RPC, called for another account with acc-1's ids: NOT_FOUND (or nothing), nothing changed."""

from __future__ import annotations

import grpc
import pytest
from remotesignout.auth.v1 import auth_pb2
from remotesignout.device.v1 import device_pb2 as pb

MINE, OTHER = "acc-1", "acc-2"


async def snapshot(stub, device_id, download_id):
    device = (await stub.GetDevice(pb.GetDeviceRequest(account_id=MINE, device_id=device_id), timeout=5)).device
    streaming = await stub.ListStreamingActivity(
        pb.ListStreamingActivityRequest(account_id=MINE, device_id=device_id), timeout=5
    )
    viewing = await stub.ListViewingActivity(
        pb.ListViewingActivityRequest(account_id=MINE, profile_name="Ana"), timeout=5
    )
    found = await stub.ListDownloads(pb.ListDownloadsRequest(account_id=MINE, device_id=device_id), timeout=5)
    license_ = await stub.CheckDownloadLicense(
        pb.CheckDownloadLicenseRequest(account_id=MINE, download_id=download_id), timeout=5
    )
    return device, list(streaming.activities), list(viewing.activities), list(found.downloads), license_.valid


async def test_every_rpc_with_another_accounts_device_id_is_not_found_and_changes_nothing(stub, auth_feed):
    register = pb.RegisterDeviceRequest(
        account_id=MINE, client_id="tv", name="TV", type=auth_pb2.DEVICE_TYPE_TV, ip_address="8.8.8.8"
    )
    device_id = (await stub.RegisterDevice(register, timeout=5)).device.device_id
    await stub.RecordPlayback(
        pb.RecordPlaybackRequest(account_id=MINE, device_id=device_id, profile_name="Ana", title="Arcane"), timeout=5
    )
    download_id = (
        await stub.RecordDownload(
            pb.RecordDownloadRequest(account_id=MINE, device_id=device_id, profile_name="Ana", title="Arcane"),
            timeout=5,
        )
    ).download.download_id
    before = await snapshot(stub, device_id, download_id)

    refused = [
        stub.GetDevice(pb.GetDeviceRequest(account_id=OTHER, device_id=device_id), timeout=5),
        stub.RecordPlayback(
            pb.RecordPlaybackRequest(account_id=OTHER, device_id=device_id, profile_name="Ana", title="Dark"), timeout=5
        ),
        stub.ListStreamingActivity(pb.ListStreamingActivityRequest(account_id=OTHER, device_id=device_id), timeout=5),
        stub.RemoveDevice(pb.RemoveDeviceRequest(account_id=OTHER, device_id=device_id), timeout=5),
        stub.AllowDevice(pb.AllowDeviceRequest(account_id=OTHER, device_id=device_id), timeout=5),
        stub.RecordDownload(
            pb.RecordDownloadRequest(account_id=OTHER, device_id=device_id, profile_name="Ana", title="Dark"), timeout=5
        ),
        stub.ListDownloads(pb.ListDownloadsRequest(account_id=OTHER, device_id=device_id), timeout=5),
        stub.CheckDownloadLicense(pb.CheckDownloadLicenseRequest(account_id=OTHER, download_id=download_id), timeout=5),
    ]
    for call in refused:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await call
        assert caught.value.code() is grpc.StatusCode.NOT_FOUND

    listed = await stub.ListDevices(pb.ListDevicesRequest(account_id=OTHER, include_inactive=True), timeout=5)
    viewing = await stub.ListViewingActivity(
        pb.ListViewingActivityRequest(account_id=OTHER, profile_name="Ana"), timeout=5
    )
    assert (list(listed.devices), list(viewing.activities)) == ([], [])
    for sequence, scope in enumerate([auth_pb2.REVOCATION_SCOPE_DEVICE, auth_pb2.REVOCATION_SCOPE_ALL], start=1):
        revocation = auth_pb2.Revocation(
            sequence=sequence,
            account_id=OTHER,
            scope=scope,
            device_id=device_id,
            reason=auth_pb2.REVOCATION_REASON_REMOTE_SIGN_OUT,
        )
        auth_feed.publish(revocation)
        result = await stub.ApplyRevocation(pb.ApplyRevocationRequest(revocation=revocation), timeout=5)
        assert list(result.signed_out_device_ids) == []
    theirs = (
        await stub.RegisterDevice(
            pb.RegisterDeviceRequest(account_id=OTHER, client_id="tv", name="Their TV", type=auth_pb2.DEVICE_TYPE_TV),
            timeout=5,
        )
    ).device
    assert theirs.device_id != device_id

    after = await snapshot(stub, device_id, download_id)
    assert after == before
    assert before[0].status == pb.DEVICE_STATUS_ACTIVE and before[4] is True
