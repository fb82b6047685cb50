"""Handlers that remove a device (a ban for its client_id on the account) and allow it again."""

from __future__ import annotations

from device_service.domain.downloads import DEVICE_REMOVED
from device_service.domain.model import Device
from device_service.service_layer.devices import load_device
from device_service.service_layer.ports import Clock
from device_service.service_layer.unit_of_work import UnitOfWork


def remove_device(uow: UnitOfWork, clock: Clock, account_id: str, device_id: str) -> Device:
    """Ban the device, cancel its downloads and erase its streaming and location history."""
    now = clock()
    with uow:
        device = load_device(uow, account_id, device_id, lock=True)
        device.remove()
        uow.devices.save(device)
        uow.activity.erase_device_history(account_id, device_id)
        for download in uow.downloads.active_for_device(account_id, device_id):
            download.cancel(DEVICE_REMOVED, now)
            uow.downloads.save(download)
        uow.commit()
    return device


def allow_device(uow: UnitOfWork, account_id: str, device_id: str) -> Device:
    """Lift the ban: the device is signed out and may sign in again."""
    with uow:
        device = load_device(uow, account_id, device_id, lock=True)
        if device.is_removed:
            device.allow()
            uow.devices.save(device)
            uow.commit()
    return device
