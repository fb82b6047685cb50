"""A lost or stolen device over gRPC, on SQLite: a sign-out keeps its trail, and the device list marks a device last
seen in a country none of the account's other devices signed in from."""

from __future__ import annotations

from remotesignout.auth.v1 import auth_pb2
from remotesignout.device.v1 import device_pb2 as pb

LISBON, PORTO, PARIS = "193.136.0.1", "193.137.0.1", "90.0.0.1"


async def register(stub, client, ip_address):
    request = pb.RegisterDeviceRequest(
        account_id="acc-1", client_id=client, name=client, type=auth_pb2.DEVICE_TYPE_PHONE, ip_address=ip_address
    )
    return (await stub.RegisterDevice(request, timeout=5)).device


async def play(stub, device_id, ip_address):
    request = pb.RecordPlaybackRequest(
        account_id="acc-1", device_id=device_id, profile_name="Ana", title="Arcane", ip_address=ip_address
    )
    return await stub.RecordPlayback(request, timeout=5)


async def trail(stub, device_id):
    request = pb.ListStreamingActivityRequest(account_id="acc-1", device_id=device_id, page_size=100)
    return [(a.kind, a.ip_address, a.location.country) for a in (await stub.ListStreamingActivity(request)).activities]


async def test_a_signed_out_device_keeps_its_location_and_trail(stub, auth_feed):
    phone = (await register(stub, "phone", LISBON)).device_id
    await play(stub, phone, PARIS)
    before = await trail(stub, phone)
    assert [country for *_, country in before] == ["France", "Portugal"]
    revocation = auth_pb2.Revocation(
        sequence=1,
        account_id="acc-1",
        scope=auth_pb2.REVOCATION_SCOPE_DEVICE,
        device_id=phone,
        reason=auth_pb2.REVOCATION_REASON_REMOTE_SIGN_OUT,
    )
    await stub.ApplyRevocation(pb.ApplyRevocationRequest(revocation=auth_feed.publish(revocation)), timeout=5)
    device = (await stub.GetDevice(pb.GetDeviceRequest(account_id="acc-1", device_id=phone), timeout=5)).device
    assert (device.status, device.last_ip_address, device.location.country) == (
        pb.DEVICE_STATUS_SIGNED_OUT,
        PARIS,
        "France",
    )
    assert await trail(stub, phone) == before


async def test_a_device_last_seen_where_no_other_device_signs_in_is_marked_unusual(stub):
    await register(stub, "tv", LISBON)
    await register(stub, "laptop", PORTO)
    phone = (await register(stub, "phone", LISBON)).device_id
    listed = (await stub.ListDevices(pb.ListDevicesRequest(account_id="acc-1"), timeout=5)).devices
    assert {d.name: d.unusual_location for d in listed} == {"tv": False, "laptop": False, "phone": False}

    played = (await play(stub, phone, PARIS)).device
    assert played.unusual_location is False  # only GetDevice and ListDevices compute it

    listed = (await stub.ListDevices(pb.ListDevicesRequest(account_id="acc-1"), timeout=5)).devices
    assert {d.name: d.unusual_location for d in listed} == {"tv": False, "laptop": False, "phone": True}
    got = (await stub.GetDevice(pb.GetDeviceRequest(account_id="acc-1", device_id=phone), timeout=5)).device
    assert (got.unusual_location, got.location.country) == (True, "France")
