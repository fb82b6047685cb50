"""Handlers of activity: playback heartbeats, viewing and streaming activity."""

from __future__ import annotations

from device_service.domain import validation
from device_service.domain.activity import StreamingActivity, StreamingKind, ViewingActivity
from device_service.domain.model import Device
from device_service.service_layer import paging
from device_service.service_layer.devices import load_device
from device_service.service_layer.ports import Clock, Locator
from device_service.service_layer.unit_of_work import UnitOfWork

PROFILE_NAME_MAX = 100
TITLE_MAX = 200


def record_playback(
    uow: UnitOfWork,
    clock: Clock,
    locator: Locator,
    account_id: str,
    device_id: str,
    profile_name: str,
    title: str,
    ip_address: str,
) -> Device:
    """Update the device's last profile, title, time and place, and log the activity."""
    validation.bounded(profile_name, "profile_name", PROFILE_NAME_MAX)
    validation.bounded(title, "title", TITLE_MAX)
    ip_address = validation.ip_address(ip_address)
    location = locator.locate(ip_address)
    now = clock()
    with uow:
        device = load_device(uow, account_id, device_id, lock=True)  # a removal meanwhile erased its location
        device.play(profile_name, title, ip_address, location, now)
        uow.devices.save(device)
        uow.activity.add_viewing(ViewingActivity.of(device, profile_name, title, now))
        uow.activity.add_streaming(StreamingActivity.of(device, StreamingKind.PLAYBACK, now))
        uow.commit()
    return device


def list_viewing_activity(
    uow: UnitOfWork, account_id: str, profile_name: str, page_size: int, page_token: str
) -> tuple[list[ViewingActivity], str]:
    validation.require(account_id, "account_id")
    validation.require(profile_name, "profile_name")
    limit, after = paging.page_size(page_size), paging.decode_token(page_token)
    with uow:
        entries = uow.activity.viewing_page(account_id, profile_name, limit + 1, after)
    return paging.cut(entries, limit, lambda e: (e.watched_at, e.activity_id))


def list_streaming_activity(
    uow: UnitOfWork, account_id: str, device_id: str, page_size: int, page_token: str
) -> tuple[list[StreamingActivity], str]:
    limit, after = paging.page_size(page_size), paging.decode_token(page_token)
    with uow:
        load_device(uow, account_id, device_id)
        entries = uow.activity.streaming_page(account_id, device_id, limit + 1, after)
    return paging.cut(entries, limit, lambda e: (e.occurred_at, e.activity_id))
