"""Interfaces the use cases need; adapters/ has the real ones, tests the fakes."""

from __future__ import annotations

import abc
from typing import Protocol

from device_service.domain.activity import StreamingActivity, ViewingActivity
from device_service.domain.downloads import Download
from device_service.domain.model import Device, Location
from device_service.domain.revocation import Revocation


class Locator(Protocol):
    """Turns an IP address into an approximate location."""

    def locate(self, ip_address: str) -> Location: ...


Cursor = tuple[int, str]


class DeviceRepository(abc.ABC):
    """The devices of every account."""

    @abc.abstractmethod
    def save(self, device: Device) -> None: ...

    @abc.abstractmethod
    def get(self, account_id: str, device_id: str) -> Device | None: ...

    @abc.abstractmethod
    def get_by_client_id(self, account_id: str, client_id: str) -> Device | None: ...

    @abc.abstractmethod
    def for_account(self, account_id: str) -> list[Device]: ...

    @abc.abstractmethod
    def sign_out_covered(self, revocation: Revocation) -> list[str]:
        """Sign out, in one statement whatever their number, the active devices `revocation`
        reaches that did not sign in again after it (removed devices stay removed); their ids."""

    @abc.abstractmethod
    def page(self, account_id: str, limit: int, after: Cursor | None, seen_since: int | None) -> list[Device]:
        """Up to `limit` devices, most recently seen first, after the cursor
        (last_seen_at, device_id); only those seen at or after `seen_since`."""


class AppliedRevocations(abc.ABC):
    """The sequences of the revocation feed already applied here."""

    @abc.abstractmethod
    def contains(self, sequence: int) -> bool: ...

    @abc.abstractmethod
    def add(self, sequence: int, account_id: str, applied_at: int) -> None: ...


class ActivityLog(abc.ABC):
    """Viewing activity per profile and streaming activity per device."""

    @abc.abstractmethod
    def add_viewing(self, activity: ViewingActivity) -> None: ...

    @abc.abstractmethod
    def add_streaming(self, activity: StreamingActivity) -> None: ...

    @abc.abstractmethod
    def viewing_page(self, account_id: str, profile_name: str, limit: int, after: Cursor | None) -> list[ViewingActivity]:
        """Newest first, by (watched_at, activity_id), after the cursor."""

    @abc.abstractmethod
    def streaming_page(self, account_id: str, device_id: str, limit: int, after: Cursor | None) -> list[StreamingActivity]:
        """Newest first, by (occurred_at, activity_id), after the cursor."""

    @abc.abstractmethod
    def erase_device_history(self, account_id: str, device_id: str) -> None:
        """Delete the device's streaming activity and the locations in its viewing activity."""


class Downloads(abc.ABC):
    """Downloads of every device."""

    @abc.abstractmethod
    def save(self, download: Download) -> None: ...

    @abc.abstractmethod
    def get(self, account_id: str, download_id: str) -> Download | None: ...

    @abc.abstractmethod
    def active_for_device(self, account_id: str, device_id: str) -> list[Download]: ...

    @abc.abstractmethod
    def cancel_covered(self, revocation: Revocation, reason: str, now: int) -> int:
        """Cancel, in one statement, the active downloads of every device `revocation` reaches
        (Revocation.devices_to_sign_out, whatever their status); returns how many."""

    @abc.abstractmethod
    def page(self, account_id: str, device_id: str, limit: int, after: Cursor | None) -> list[Download]:
        """Newest first, by (downloaded_at, download_id), after the cursor."""


class Conflict(Exception):
    """Raised by commit when a concurrent writer won (a unique key clash)."""


class UnitOfWork(abc.ABC):
    """One atomic piece of work over every repository; rolls back unless committed."""

    devices: DeviceRepository
    applied_revocations: AppliedRevocations
    activity: ActivityLog
    downloads: Downloads

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, *exc: object) -> None:
        self.rollback()

    @abc.abstractmethod
    def commit(self) -> None:
        """Make the work durable; raises Conflict on a unique key clash."""

    @abc.abstractmethod
    def rollback(self) -> None: ...
