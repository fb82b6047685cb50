"""In-memory fakes of device_service's ports: writes become visible on commit only."""

from __future__ import annotations

import copy
import dataclasses

from device_service.adapters.geoip import FakeLocator
from device_service.domain.activity import StreamingActivity, ViewingActivity
from device_service.domain.downloads import Download, DownloadStatus
from device_service.domain.model import UNKNOWN_LOCATION, Device
from device_service.domain.revocation import Revocation
from device_service.service_layer.dependencies import Dependencies
from device_service.service_layer.ports import (
    ActivityLog,
    AppliedRevocations,
    Conflict,
    Cursor,
    DeviceRepository,
    Downloads,
    UnitOfWork,
)


class FakeClock:
    def __init__(self, start: int = 1_700_000_000_000_000) -> None:
        self.now = start

    def __call__(self) -> int:
        return self.now

    def advance(self, micros: int = 1_000_000) -> int:
        self.now += micros
        return self.now


class FakeDeviceRepository(DeviceRepository):
    def __init__(self, store: dict[str, Device]) -> None:
        self.store = store

    def save(self, device: Device) -> None:
        self.store[device.device_id] = copy.deepcopy(device)

    def get(self, account_id: str, device_id: str) -> Device | None:
        device = self.store.get(device_id)
        return copy.deepcopy(device) if device is not None and device.account_id == account_id else None

    def get_by_client_id(self, account_id: str, client_id: str) -> Device | None:
        for device in self.store.values():
            if device.account_id == account_id and device.client_id == client_id:
                return copy.deepcopy(device)
        return None

    def for_account(self, account_id: str) -> list[Device]:
        return [copy.deepcopy(d) for d in self.store.values() if d.account_id == account_id]

    def sign_out_covered(self, revocation: Revocation) -> list[str]:
        signed_out = []
        for device in revocation.devices_to_sign_out(self.for_account(revocation.account_id)):
            if device.sign_out():
                self.save(device)
                signed_out.append(device.device_id)
        return signed_out

    def page(self, account_id: str, limit: int, after: Cursor | None, seen_since: int | None) -> list[Device]:
        devices = sorted(self.for_account(account_id), key=lambda d: (d.last_seen_at, d.device_id), reverse=True)
        if after is not None:
            devices = [d for d in devices if (d.last_seen_at, d.device_id) < after]
        if seen_since is not None:
            devices = [d for d in devices if d.last_seen_at >= seen_since]
        return devices[:limit]


class FakeAppliedRevocations(AppliedRevocations):
    def __init__(self, store: dict[int, str]) -> None:
        self.store = store

    def contains(self, sequence: int) -> bool:
        return sequence in self.store

    def add(self, sequence: int, account_id: str, applied_at: int) -> None:
        self.store[sequence] = account_id


def _newest_first(items, moment, key, limit, after):
    items = sorted(items, key=lambda i: (moment(i), key(i)), reverse=True)
    if after is not None:
        items = [i for i in items if (moment(i), key(i)) < after]
    return items[:limit]


class FakeActivityLog(ActivityLog):
    def __init__(self, viewing: list[ViewingActivity], streaming: list[StreamingActivity]) -> None:
        self.viewing, self.streaming = viewing, streaming

    def add_viewing(self, activity: ViewingActivity) -> None:
        self.viewing.append(activity)

    def add_streaming(self, activity: StreamingActivity) -> None:
        self.streaming.append(activity)

    def viewing_page(self, account_id, profile_name, limit, after):
        mine = [v for v in self.viewing if v.account_id == account_id and v.profile_name == profile_name]
        return _newest_first(mine, lambda v: v.watched_at, lambda v: v.activity_id, limit, after)

    def streaming_page(self, account_id, device_id, limit, after):
        mine = [s for s in self.streaming if s.account_id == account_id and s.device_id == device_id]
        return _newest_first(mine, lambda s: s.occurred_at, lambda s: s.activity_id, limit, after)

    def erase_device_history(self, account_id, device_id):
        self.streaming[:] = [s for s in self.streaming if (s.account_id, s.device_id) != (account_id, device_id)]
        self.viewing[:] = [
            dataclasses.replace(v, location=UNKNOWN_LOCATION) if (v.account_id, v.device_id) == (account_id, device_id) else v
            for v in self.viewing
        ]


class FakeDownloads(Downloads):
    def __init__(self, store: dict[str, Download], devices: dict[str, Device] | None = None) -> None:
        self.store = store
        self.devices = devices if devices is not None else {}

    def save(self, download: Download) -> None:
        self.store[download.download_id] = copy.deepcopy(download)

    def get(self, account_id, download_id):
        download = self.store.get(download_id)
        return copy.deepcopy(download) if download is not None and download.account_id == account_id else None

    def active_for_device(self, account_id, device_id):
        return [
            copy.deepcopy(d) for d in self.store.values()
            if (d.account_id, d.device_id, d.status) == (account_id, device_id, DownloadStatus.ACTIVE)
        ]

    def cancel_covered(self, revocation, reason, now):
        devices = [d for d in self.devices.values() if d.account_id == revocation.account_id]
        cancelled = 0
        for device in revocation.devices_to_sign_out(devices):
            for download in self.active_for_device(revocation.account_id, device.device_id):
                cancelled += download.cancel(reason, now)
                self.save(download)
        return cancelled

    def page(self, account_id, device_id, limit, after):
        mine = [copy.deepcopy(d) for d in self.store.values() if (d.account_id, d.device_id) == (account_id, device_id)]
        return _newest_first(mine, lambda d: d.downloaded_at, lambda d: d.download_id, limit, after)


class FakeDatabase:
    """What the fake units of work share, like one database."""

    def __init__(self) -> None:
        self.devices: dict[str, Device] = {}
        self.applied: dict[int, str] = {}
        self.viewing: list[ViewingActivity] = []
        self.streaming: list[StreamingActivity] = []
        self.downloads: dict[str, Download] = {}
        self.commits = 0


class FakeUnitOfWork(UnitOfWork):
    def __init__(self, database: FakeDatabase) -> None:
        self.database = database

    def __enter__(self) -> UnitOfWork:
        self.staged_devices = copy.deepcopy(self.database.devices)
        self.staged_applied = dict(self.database.applied)
        self.devices = FakeDeviceRepository(self.staged_devices)
        self.applied_revocations = FakeAppliedRevocations(self.staged_applied)
        self.staged_viewing = list(self.database.viewing)
        self.staged_streaming = list(self.database.streaming)
        self.staged_downloads = copy.deepcopy(self.database.downloads)
        self.activity = FakeActivityLog(self.staged_viewing, self.staged_streaming)
        self.downloads = FakeDownloads(self.staged_downloads, self.staged_devices)
        return self

    def commit(self) -> None:
        clients = [(d.account_id, d.client_id) for d in self.staged_devices.values()]
        if len(clients) != len(set(clients)):
            raise Conflict("two devices with one client_id")
        self.database.devices = self.staged_devices
        self.database.applied = self.staged_applied
        self.database.viewing = self.staged_viewing
        self.database.streaming = self.staged_streaming
        self.database.downloads = self.staged_downloads
        self.database.commits += 1

    def rollback(self) -> None:
        pass


def fake_dependencies(
    clock: FakeClock | None = None, countries: dict[str, str] | None = None, inactive_days: int = 90
) -> tuple[Dependencies, FakeDatabase]:
    database = FakeDatabase()
    deps = Dependencies(
        uow=lambda: FakeUnitOfWork(database),
        locator=FakeLocator(countries),
        clock=clock or FakeClock(),
        inactive_days=inactive_days,
    )
    return deps, database
