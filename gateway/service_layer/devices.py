"""The caller's devices and their activity, as device_service keeps them."""

from __future__ import annotations

from gateway.adapters.device_client import DeviceClient
from gateway.domain.account_requests import ViewingActivityQuery
from gateway.domain.activity import StreamingActivityPage, ViewingActivityPage
from gateway.domain.model import Caller, Device, DevicePage
from gateway.domain.requests import PageRequest


async def list_devices(device: DeviceClient, caller: Caller, page: PageRequest,
                       include_inactive: bool = False) -> DevicePage:
    return await device.list_devices(caller, page, include_inactive)


async def get_device(device: DeviceClient, caller: Caller, device_id: str) -> Device:
    return await device.get_device(caller, device_id)


async def allow_device(device: DeviceClient, caller: Caller, device_id: str) -> Device:
    """Lift a removed device's ban; another account's device is NOT_FOUND and nothing changes."""
    await device.get_device(caller, device_id)
    return await device.allow_device(caller, device_id)


async def streaming_activity(device: DeviceClient, caller: Caller, device_id: str,
                             page: PageRequest) -> StreamingActivityPage:
    await device.get_device(caller, device_id)
    return await device.list_streaming_activity(caller, device_id, page)


async def viewing_activity(device: DeviceClient, caller: Caller, query: ViewingActivityQuery) -> ViewingActivityPage:
    return await device.list_viewing_activity(caller, query.profile_name, query.page)
