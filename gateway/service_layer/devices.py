"""The caller's devices, as device_service lists them."""

from __future__ import annotations

from gateway.adapters.device_client import DeviceClient
from gateway.domain.model import Caller, Device, DevicePage
from gateway.domain.requests import PageRequest


async def list_devices(device: DeviceClient, caller: Caller, page: PageRequest) -> DevicePage:
    return await device.list_devices(caller, page)


async def get_device(device: DeviceClient, caller: Caller, device_id: str) -> Device:
    return await device.get_device(caller, device_id)
