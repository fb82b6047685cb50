"""Handlers of the device list: register (sign in), get and list devices, each listed device with whether its last
location is unusual for the account (device_service.domain.locations)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from common.errors import NotFound
from common.unit_of_work import Conflict
from device_service.domain import validation
from device_service.domain.activity import StreamingActivity, StreamingKind
from device_service.domain.locations import unusual_device_ids
from device_service.domain.model import Device, DeviceDetails, Location
from device_service.service_layer import paging
from device_service.service_layer.ports import Clock, Locator
from device_service.service_layer.unit_of_work import UnitOfWork

DEVICE_NOT_FOUND = "No device {device_id!r} on this account."
MICROS_PER_DAY = 86_400 * 1_000_000
USUAL_LOCATION_DAYS = 90


def not_found(device_id: str) -> NotFound:
    return NotFound(DEVICE_NOT_FOUND.format(device_id=device_id[:64]))


def load_device(uow: UnitOfWork, account_id: str, device_id: str, lock: bool = False) -> Device:
    """The account's device, or NotFound (also for another account's device). Inside `with uow:`;
    `lock` to change it (DeviceRepository)."""
    validation.require(account_id, "account_id")
    validation.require(device_id, "device_id")
    device = uow.devices.get(account_id, device_id, lock=lock)
    if device is None:
        raise not_found(device_id)
    return device


def register_device(
    uow: UnitOfWork, clock: Clock, locator: Locator, account_id: str, details: DeviceDetails, ip_address: str
) -> Device:
    """A device signing in: new per (account, client_id), recognised afterwards.

    Two first sign-ins of one install at once (on two replicas): the loser's commit is a
    Conflict (the unique (account, client_id)), and its second attempt finds the winner's
    device. A known device is read locked, so a removal racing with its sign-in is never undone.
    """
    validation.require(account_id, "account_id")
    ip_address = validation.ip_address(ip_address)
    location = locator.locate(ip_address)
    try:
        return _register_once(uow, clock, account_id, details, ip_address, location)
    except Conflict:
        return _register_once(uow, clock, account_id, details, ip_address, location)


def _register_once(
    uow: UnitOfWork, clock: Clock, account_id: str, details: DeviceDetails, ip_address: str, location: Location
) -> Device:
    now = clock()
    with uow:
        device = uow.devices.get_by_client_id(account_id, details.client_id, lock=True)
        if device is None:
            device = Device.first_sign_in(account_id, details, ip_address, location, now)
        else:
            device.sign_in(details, ip_address, location, now)
        uow.devices.save(device)
        uow.activity.add_streaming(StreamingActivity.of(device, StreamingKind.SIGN_IN, now))
        uow.commit()
    return device


def get_device(uow: UnitOfWork, account_id: str, device_id: str) -> Device:
    with uow:
        return load_device(uow, account_id, device_id)


def _unusual(
    uow: UnitOfWork, clock: Clock, account_id: str, devices: Iterable[Device], usual_location_days: int
) -> frozenset[str]:
    """The ids of `devices` last seen in a country none of the account's other devices signed in from in the last
    `usual_location_days`. Inside `with uow:`."""
    since = clock() - usual_location_days * MICROS_PER_DAY
    return frozenset(unusual_device_ids(devices, uow.activity.sign_in_countries(account_id, since)))


@dataclass(frozen=True)
class ShownDevice:
    device: Device
    unusual_location: bool


def show_device(
    uow: UnitOfWork, clock: Clock, account_id: str, device_id: str, usual_location_days: int = USUAL_LOCATION_DAYS
) -> ShownDevice:
    """One device of the account, and whether its last location is unusual for the account."""
    with uow:
        device = load_device(uow, account_id, device_id)
        unusual = _unusual(uow, clock, account_id, [device], usual_location_days)
    return ShownDevice(device, device.device_id in unusual)


@dataclass(frozen=True)
class DevicePage:
    devices: list[Device]
    next_page_token: str
    unusual: frozenset[str] = field(default_factory=frozenset)
    """The ids of the listed devices whose last location is unusual for the account."""


def list_devices(
    uow: UnitOfWork,
    clock: Clock,
    account_id: str,
    page_size: int,
    page_token: str,
    include_inactive: bool = False,
    inactive_days: int = 90,
    usual_location_days: int = USUAL_LOCATION_DAYS,
) -> DevicePage:
    """The account's devices, most recently seen first; those not seen for
    `inactive_days` only with `include_inactive`."""
    validation.require(account_id, "account_id")
    limit = paging.page_size(page_size)
    after = paging.decode_token(page_token)
    seen_since = None if include_inactive else clock() - inactive_days * MICROS_PER_DAY
    with uow:
        devices = uow.devices.page(account_id, limit + 1, after, seen_since)
        page, token = paging.cut(devices, limit, lambda d: (d.last_seen_at, d.device_id))
        unusual = _unusual(uow, clock, account_id, page, usual_location_days)
    return DevicePage(page, token, unusual)
