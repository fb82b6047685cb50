"""Use cases of the device list: register (sign in), get and list devices."""

from __future__ import annotations

from dataclasses import dataclass

from common.errors import NotFound
from device_service.domain import validation
from device_service.domain.activity import StreamingActivity, StreamingKind
from device_service.domain.model import Device, DeviceDetails, Location
from device_service.service_layer import paging
from device_service.service_layer.dependencies import Dependencies
from device_service.service_layer.ports import Conflict, UnitOfWork

DEVICE_NOT_FOUND = "No device {device_id!r} on this account."


def not_found(device_id: str) -> NotFound:
    return NotFound(DEVICE_NOT_FOUND.format(device_id=device_id[:64]))


def load_device(uow: UnitOfWork, account_id: str, device_id: str) -> Device:
    """The account's device, or NotFound (also for another account's device)."""
    validation.require(account_id, "account_id")
    validation.require(device_id, "device_id")
    device = uow.devices.get(account_id, device_id)
    if device is None:
        raise not_found(device_id)
    return device


def register_device(deps: Dependencies, account_id: str, details: DeviceDetails, ip_address: str) -> Device:
    """A device signing in: new per (account, client_id), recognised afterwards."""
    validation.require(account_id, "account_id")
    ip_address = validation.ip_address(ip_address)
    location = deps.locator.locate(ip_address)
    for attempt in range(2):
        try:
            return _register_once(deps, account_id, details, ip_address, location)
        except Conflict:
            if attempt:
                raise
    raise AssertionError("unreachable")


def _register_once(
    deps: Dependencies, account_id: str, details: DeviceDetails, ip_address: str, location: Location
) -> Device:
    now = deps.clock()
    with deps.uow() as uow:
        device = uow.devices.get_by_client_id(account_id, details.client_id)
        if device is None:
            device = Device.first_sign_in(account_id, details, ip_address, location, now)
        else:
            device.sign_in(details, ip_address, location, now)
        uow.devices.save(device)
        _after_sign_in(uow, device, now)
        uow.commit()
        return device


def _after_sign_in(uow: UnitOfWork, device: Device, now: int) -> None:
    uow.activity.add_streaming(StreamingActivity.of(device, StreamingKind.SIGN_IN, now))


def get_device(deps: Dependencies, account_id: str, device_id: str) -> Device:
    with deps.uow() as uow:
        return load_device(uow, account_id, device_id)


@dataclass(frozen=True)
class DevicePage:
    devices: list[Device]
    next_page_token: str


def list_devices(
    deps: Dependencies, account_id: str, page_size: int, page_token: str, include_inactive: bool = False
) -> DevicePage:
    """The account's devices, most recently seen first; those not seen for
    `deps.inactive_days` only with `include_inactive`."""
    validation.require(account_id, "account_id")
    limit = paging.page_size(page_size)
    after = paging.decode_token(page_token)
    seen_since = None if include_inactive else deps.clock() - deps.inactive_after_us
    with deps.uow() as uow:
        devices = uow.devices.page(account_id, limit + 1, after, seen_since)
    return DevicePage(*paging.cut(devices, limit, lambda d: (d.last_seen_at, d.device_id)))
