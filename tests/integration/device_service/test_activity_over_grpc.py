from __future__ import annotations

import grpc
import pytest
from remotesignout.auth.v1 import auth_pb2
from remotesignout.device.v1 import device_pb2 as pb


async def register(stub, client="tv"):
    request = pb.RegisterDeviceRequest(
        account_id="acc-1", client_id=client, name=client, type=auth_pb2.DEVICE_TYPE_TV, ip_address="10.0.0.9"
    )
    return (await stub.RegisterDevice(request, timeout=5)).device


async def test_playback_shows_on_the_device_list_and_in_both_activity_lists(stub):
    device_id = (await register(stub)).device_id
    played = (
        await stub.RecordPlayback(
            pb.RecordPlaybackRequest(
                account_id="acc-1", device_id=device_id, profile_name="Ana", title="Arcane", ip_address="8.8.4.4"
            ),
            timeout=5,
        )
    ).device
    listed = (await stub.ListDevices(pb.ListDevicesRequest(account_id="acc-1"), timeout=5)).devices[0]
    assert (listed.last_profile_name, listed.last_title, listed.location.country) == ("Ana", "Arcane", "United States")
    assert listed.last_watched_at == played.last_watched_at == listed.last_seen_at
    viewing = (
        await stub.ListViewingActivity(pb.ListViewingActivityRequest(account_id="acc-1", profile_name="Ana"), timeout=5)
    ).activities
    assert [(v.title, v.device_id, v.location.description) for v in viewing] == [("Arcane", device_id, "United States")]
    streaming = (
        await stub.ListStreamingActivity(
            pb.ListStreamingActivityRequest(account_id="acc-1", device_id=device_id), timeout=5
        )
    ).activities
    assert [(s.kind, s.ip_address) for s in streaming] == [
        (pb.STREAMING_ACTIVITY_KIND_PLAYBACK, "8.8.4.4"),
        (pb.STREAMING_ACTIVITY_KIND_SIGN_IN, "10.0.0.9"),
    ]


async def test_remove_then_allow_a_device_over_grpc(stub):
    device_id = (await register(stub)).device_id
    download = (
        await stub.RecordDownload(
            pb.RecordDownloadRequest(account_id="acc-1", device_id=device_id, profile_name="Ana", title="Arcane"),
            timeout=5,
        )
    ).download
    removed = (
        await stub.RemoveDevice(pb.RemoveDeviceRequest(account_id="acc-1", device_id=device_id), timeout=5)
    ).device
    assert (removed.status, removed.last_ip_address, removed.location.description) == (
        pb.DEVICE_STATUS_REMOVED,
        "",
        "unknown",
    )
    streaming = await stub.ListStreamingActivity(
        pb.ListStreamingActivityRequest(account_id="acc-1", device_id=device_id), timeout=5
    )
    assert list(streaming.activities) == []
    check = await stub.CheckDownloadLicense(
        pb.CheckDownloadLicenseRequest(account_id="acc-1", download_id=download.download_id), timeout=5
    )
    assert (check.valid, check.reason, check.download.status) == (False, "device_removed", pb.DOWNLOAD_STATUS_CANCELLED)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await register(stub)
    assert caught.value.code() is grpc.StatusCode.PERMISSION_DENIED
    allowed = (await stub.AllowDevice(pb.AllowDeviceRequest(account_id="acc-1", device_id=device_id), timeout=5)).device
    assert allowed.status == pb.DEVICE_STATUS_SIGNED_OUT
    assert (await register(stub)).status == pb.DEVICE_STATUS_ACTIVE


async def test_a_revocation_cancels_the_downloads_of_the_devices_it_signs_out(stub, auth_feed):
    tv, phone = (await register(stub, "tv")).device_id, (await register(stub, "phone")).device_id
    ids = []
    for device_id in (tv, phone):
        request = pb.RecordDownloadRequest(account_id="acc-1", device_id=device_id, profile_name="Ana", title="Dark")
        ids.append((await stub.RecordDownload(request, timeout=5)).download.download_id)
    revocation = auth_pb2.Revocation(
        sequence=9,
        account_id="acc-1",
        scope=auth_pb2.REVOCATION_SCOPE_ALL_OTHERS,
        session_id="s-phone",
        device_id=phone,
        reason=auth_pb2.REVOCATION_REASON_SIGN_OUT_ALL,
    )
    auth_feed.publish(revocation)
    await stub.ApplyRevocation(pb.ApplyRevocationRequest(revocation=revocation), timeout=5)
    checks = [
        await stub.CheckDownloadLicense(pb.CheckDownloadLicenseRequest(account_id="acc-1", download_id=i), timeout=5)
        for i in ids
    ]
    assert [(c.valid, c.reason) for c in checks] == [(False, "device_signed_out"), (True, "")]
    listed = (await stub.ListDownloads(pb.ListDownloadsRequest(account_id="acc-1", device_id=tv), timeout=5)).downloads
    assert [(d.download_id, d.status) for d in listed] == [(ids[0], pb.DOWNLOAD_STATUS_CANCELLED)]
    assert listed[0].HasField("cancelled_at")
