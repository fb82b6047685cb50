"""An in-memory unit of work for device_service's handlers: writes become visible on commit only.

The fakes apply a revocation with the production rule, common.revocation's
`Revocation.reaches`, writing every device row it reaches: the SQL repositories keep an
account-wide revocation as one cutoff instead (device_service.domain.cutoffs), and
tests/integration/device_service/test_revocation_rule_in_sql.py and test_cutoffs_match_per_row.py
check that both give the same answers.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import TypeVar

from common.revocation import Revocation
from common.unit_of_work import Conflict
from device_service.adapters.geoip import FakeLocator
from device_service.domain.activity import StreamingActivity, StreamingKind, ViewingActivity
from device_service.domain.cutoffs import ACCOUNT_WIDE
from device_service.domain.downloads import Download, DownloadStatus
from device_service.domain.model import UNKNOWN_LOCATION, Device
from device_service.service_layer.unit_of_work import (
    ActivityLog,
    AppliedRevocations,
    Cursor,
    DeviceRepository,
    Downloads,
    UnitOfWork,
)

T = TypeVar("T")


class FakeClock:
    def __init__(self, start: int = 1_700_000_000_000_000) -> None:
        self.now = start

    def __call__(self) -> int:
        return self.now

    def advance(self, micros: int = 1_000_000) -> int:
        self.now += micros
        return self.now


def _newest_first(items: list[T], cursor_of: Callable[[T], Cursor], limit: int, after: Cursor | None) -> list[T]:
    items = sorted(items, key=cursor_of, reverse=True)
    if after is not None:
        items = [i for i in items if cursor_of(i) < after]
    return items[:limit]


class FakeDeviceRepository(DeviceRepository):
    def __init__(self, store: dict[str, Device]) -> None:
        self.store = store

    def save(self, device: Device) -> None:
        self.store[device.device_id] = copy.deepcopy(device)

    def get(self, account_id: str, device_id: str, lock: bool = False) -> Device | None:
        device = self.store.get(device_id)
        return copy.deepcopy(device) if device is not None and device.account_id == account_id else None

    def get_by_client_id(self, account_id: str, client_id: str, lock: bool = False) -> Device | None:
        for device in self.store.values():
            if device.account_id == account_id and device.client_id == client_id:
                return copy.deepcopy(device)
        return None

    def sign_out_covered(self, revocation: Revocation) -> list[str]:
        """Every row reached, one by one (what the SQL repositories did before account cutoffs); as they do,
        an account-wide revocation lists no ids."""
        signed_out = []
        for device in reached(revocation, self.store):
            if device.sign_out():
                signed_out.append(device.device_id)
        return [] if revocation.scope in ACCOUNT_WIDE else signed_out

    def page(self, account_id: str, limit: int, after: Cursor | None, seen_since: int | None) -> list[Device]:
        mine = [
            copy.deepcopy(d)
            for d in self.store.values()
            if d.account_id == account_id and (seen_since is None or d.last_seen_at >= seen_since)
        ]
        return _newest_first(mine, lambda d: (d.last_seen_at, d.device_id), limit, after)


def reached(revocation: Revocation, devices: dict[str, Device]) -> list[Device]:
    """The stored devices `revocation` reaches, by the production rule."""
    return [d for d in devices.values() if revocation.reaches(d.account_id, d.device_id, d.signed_in_at)]


class FakeAppliedRevocations(AppliedRevocations):
    def __init__(self, store: dict[int, str]) -> None:
        self.store = store
        self.added: list[int] = []

    def contains(self, sequence: int) -> bool:
        return sequence in self.store

    def claim(self, sequence: int, account_id: str, applied_at: int) -> bool:
        if sequence in self.store:
            return False
        self.store[sequence] = account_id
        self.added.append(sequence)
        return True


class FakeActivityLog(ActivityLog):
    def __init__(self, viewing: list[ViewingActivity], streaming: list[StreamingActivity]) -> None:
        self.viewing, self.streaming = viewing, streaming

    def add_viewing(self, activity: ViewingActivity) -> None:
        self.viewing.append(activity)

    def add_streaming(self, activity: StreamingActivity) -> None:
        self.streaming.append(activity)

    def viewing_page(
        self, account_id: str, profile_name: str, limit: int, after: Cursor | None
    ) -> list[ViewingActivity]:
        mine = [v for v in self.viewing if v.account_id == account_id and v.profile_name == profile_name]
        return _newest_first(mine, lambda v: (v.watched_at, v.activity_id), limit, after)

    def streaming_page(
        self, account_id: str, device_id: str, limit: int, after: Cursor | None
    ) -> list[StreamingActivity]:
        mine = [s for s in self.streaming if s.account_id == account_id and s.device_id == device_id]
        return _newest_first(mine, lambda s: (s.occurred_at, s.activity_id), limit, after)

    def sign_in_countries(self, account_id: str, since: int) -> dict[str, set[str]]:
        countries: dict[str, set[str]] = {}
        for s in self.streaming:
            recent = s.account_id == account_id and s.kind is StreamingKind.SIGN_IN and s.occurred_at >= since
            if recent and s.location.country:
                countries.setdefault(s.device_id, set()).add(s.location.country)
        return countries

    def erase_device_history(self, account_id: str, device_id: str) -> None:
        self.streaming[:] = [s for s in self.streaming if (s.account_id, s.device_id) != (account_id, device_id)]
        self.viewing[:] = [
            dataclasses.replace(v, location=UNKNOWN_LOCATION)
            if (v.account_id, v.device_id) == (account_id, device_id)
            else v
            for v in self.viewing
        ]


class FakeDownloads(Downloads):
    def __init__(self, store: dict[str, Download], devices: dict[str, Device]) -> None:
        self.store = store
        self.devices = devices

    def save(self, download: Download) -> None:
        self.store[download.download_id] = copy.deepcopy(download)

    def get(self, account_id: str, download_id: str) -> Download | None:
        download = self.store.get(download_id)
        return copy.deepcopy(download) if download is not None and download.account_id == account_id else None

    def active_for_device(self, account_id: str, device_id: str) -> list[Download]:
        return [
            copy.deepcopy(d)
            for d in self.store.values()
            if (d.account_id, d.device_id, d.status) == (account_id, device_id, DownloadStatus.ACTIVE)
        ]

    def cancel_covered(self, revocation: Revocation, reason: str, now: int) -> int:
        covered = {d.device_id for d in reached(revocation, self.devices)}
        cancelled = [
            d
            for d in self.store.values()
            if d.account_id == revocation.account_id and d.device_id in covered and d.cancel(reason, now)
        ]
        return len(cancelled)

    def page(self, account_id: str, device_id: str, limit: int, after: Cursor | None) -> list[Download]:
        mine = [copy.deepcopy(d) for d in self.store.values() if (d.account_id, d.device_id) == (account_id, device_id)]
        return _newest_first(mine, lambda d: (d.downloaded_at, d.download_id), limit, after)


class FakeDatabase:
    """What is committed, like one database."""

    def __init__(self) -> None:
        self.devices: dict[str, Device] = {}
        self.applied: dict[int, str] = {}
        self.viewing: list[ViewingActivity] = []
        self.streaming: list[StreamingActivity] = []
        self.downloads: dict[str, Download] = {}
        self.commits = 0


class FakeUnitOfWork(UnitOfWork):
    """Each `with` block works on copies of `database`; commit makes them the database."""

    def __init__(self, database: FakeDatabase | None = None) -> None:
        self.database = database if database is not None else FakeDatabase()

    def __enter__(self) -> FakeUnitOfWork:
        self.staged_devices = copy.deepcopy(self.database.devices)
        self.staged_applied = dict(self.database.applied)
        self.staged_viewing = list(self.database.viewing)
        self.staged_streaming = list(self.database.streaming)
        self.staged_downloads = copy.deepcopy(self.database.downloads)
        self.devices = FakeDeviceRepository(self.staged_devices)
        self.applied_revocations = FakeAppliedRevocations(self.staged_applied)
        self.activity = FakeActivityLog(self.staged_viewing, self.staged_streaming)
        self.downloads = FakeDownloads(self.staged_downloads, self.staged_devices)
        return self

    def commit(self) -> None:
        clients = [(d.account_id, d.client_id) for d in self.staged_devices.values()]
        if len(clients) != len(set(clients)):
            raise Conflict("two devices with one client_id")
        if any(sequence in self.database.applied for sequence in self.applied_revocations.added):
            raise Conflict("a sequence recorded twice")
        self.database.devices = self.staged_devices
        self.database.applied = self.staged_applied
        self.database.viewing = self.staged_viewing
        self.database.streaming = self.staged_streaming
        self.database.downloads = self.staged_downloads
        self.database.commits += 1

    def rollback(self) -> None:
        pass


@dataclasses.dataclass
class World:
    """What a handler may need, all fake: `uow`, `clock`, `locator`, and the committed `database`."""

    uow: FakeUnitOfWork
    clock: FakeClock
    locator: FakeLocator

    @property
    def database(self) -> FakeDatabase:
        return self.uow.database


def fake_world(clock: FakeClock | None = None, countries: dict[str, str] | None = None) -> World:
    return World(FakeUnitOfWork(), clock or FakeClock(), FakeLocator(countries))
