from __future__ import annotations

import asyncio

import grpc
import pytest
from remotesignout.auth.v1 import auth_pb2
from remotesignout.device.v1 import device_pb2

from device_service.domain.model import DeviceStatus

TV = auth_pb2.DEVICE_TYPE_TV


def register(stub, account="acc-1", client="install-1", name="Living room TV", ip="", **fields):
    request = device_pb2.RegisterDeviceRequest(
        account_id=account, client_id=client, name=name, type=fields.pop("type", TV), ip_address=ip, **fields
    )
    return stub.RegisterDevice(request, timeout=5)


async def test_a_registered_device_is_listed_with_its_details_and_location(stub):
    registered = (await register(stub, ip="127.0.0.1", platform="tvOS 18", app_version="3.1")).device
    listed = (await stub.ListDevices(device_pb2.ListDevicesRequest(account_id="acc-1"), timeout=5)).devices
    assert [d.device_id for d in listed] == [registered.device_id]
    device = listed[0]
    assert (device.name, device.type, device.platform, device.app_version) == ("Living room TV", TV, "tvOS 18", "3.1")
    assert device.status == device_pb2.DEVICE_STATUS_ACTIVE
    assert (device.last_ip_address, device.location.description) == ("127.0.0.1", "local network")
    assert device.first_seen_at.ToMicroseconds() > 0 and not device.HasField("last_watched_at")


async def test_a_public_address_is_located_by_the_bundled_geoip_data(stub):
    device = (await register(stub, ip="8.8.8.8")).device
    assert (device.location.country, device.location.description) == ("United States", "United States")


async def test_the_callers_own_device_is_marked_current(stub):
    mine = (await register(stub, client="mine")).device
    other = (await register(stub, client="other")).device
    listed = await stub.ListDevices(
        device_pb2.ListDevicesRequest(account_id="acc-1", current_device_id=mine.device_id), timeout=5
    )
    assert {d.device_id: d.current for d in listed.devices} == {mine.device_id: True, other.device_id: False}
    got = await stub.GetDevice(
        device_pb2.GetDeviceRequest(account_id="acc-1", device_id=other.device_id, current_device_id=mine.device_id),
        timeout=5,
    )
    assert got.device.device_id == other.device_id and not got.device.current


async def test_listing_pages_through_every_device_most_recently_seen_first(stub):
    ids = [(await register(stub, client=f"install-{n}")).device.device_id for n in range(5)]
    seen, token = [], ""
    while True:
        page = await stub.ListDevices(
            device_pb2.ListDevicesRequest(account_id="acc-1", page_size=2, page_token=token), timeout=5
        )
        seen += [d.device_id for d in page.devices]
        token = page.next_page_token
        if not token:
            break
    assert seen == list(reversed(ids))


async def test_a_bad_page_token_is_invalid_argument(stub):
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.ListDevices(device_pb2.ListDevicesRequest(account_id="acc-1", page_token="nope"), timeout=5)
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "page_token" in caught.value.details()


@pytest.mark.parametrize(
    "fields, complaint",
    [
        (dict(account=""), "account_id"),
        (dict(client=""), "client_id"),
        (dict(client="c" * 129), "client_id"),
        (dict(name="n" * 101), "name"),
        (dict(type=auth_pb2.DEVICE_TYPE_UNSPECIFIED), "type"),
        (dict(ip="not-an-ip"), "ip_address"),
    ],
)
async def test_a_malformed_registration_is_invalid_argument_with_a_clear_message(stub, fields, complaint):
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await register(stub, **fields)
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert complaint in caught.value.details()


async def test_a_removed_device_is_refused_with_the_device_banned_reason(stub, open_uow):
    device = (await register(stub)).device
    with open_uow() as uow:
        stored = uow.devices.get("acc-1", device.device_id)
        stored.status = DeviceStatus.REMOVED
        uow.devices.save(stored)
        uow.commit()
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await register(stub)
    assert caught.value.code() is grpc.StatusCode.PERMISSION_DENIED
    assert ("error-reason", "device_banned") in tuple(caught.value.trailing_metadata())
    assert "removed from the account" in caught.value.details()


async def test_another_accounts_device_is_not_found(stub):
    device = (await register(stub, account="acc-1")).device
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.GetDevice(device_pb2.GetDeviceRequest(account_id="acc-2", device_id=device.device_id), timeout=5)
    assert caught.value.code() is grpc.StatusCode.NOT_FOUND


async def test_concurrent_sign_ins_of_one_install_make_one_device(stub):
    results = await asyncio.gather(*(register(stub, ip=f"10.0.0.{n}") for n in range(6)))
    assert len({r.device.device_id for r in results}) == 1
    listed = await stub.ListDevices(device_pb2.ListDevicesRequest(account_id="acc-1"), timeout=5)
    assert len(listed.devices) == 1
