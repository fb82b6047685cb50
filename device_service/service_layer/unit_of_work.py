"""The repositories device_service's handlers use, and the unit of work that holds them.

adapters/ has the SQLAlchemy ones (adapters.unit_of_work.SqlAlchemyUnitOfWork);
tests/unit/device_service/fakes.py the in-memory ones.
"""

from __future__ import annotations

import abc

from common.revocation import Revocation
from common.unit_of_work import UnitOfWork as BaseUnitOfWork
from device_service.domain.activity import StreamingActivity, ViewingActivity
from device_service.domain.downloads import Download
from device_service.domain.model import Device

Cursor = tuple[int, str]
"""A keyset position in a newest-first list: (moment, key)."""


class DeviceRepository(abc.ABC):
    """The devices of every account.

    A handler that reads a device to change it reads it with `lock=True`: the row stays locked until its
    transaction ends, so a concurrent writer of the same device, on any replica, waits and then reads
    what this one wrote (a sign-in never undoes a removal it raced with).
    """

    @abc.abstractmethod
    def save(self, device: Device) -> None: ...

    @abc.abstractmethod
    def get(self, account_id: str, device_id: str, lock: bool = False) -> Device | None: ...

    @abc.abstractmethod
    def get_by_client_id(self, account_id: str, client_id: str, lock: bool = False) -> Device | None: ...

    @abc.abstractmethod
    def sign_out_covered(self, revocation: Revocation) -> list[str]:
        """Sign out the active devices that `revocation.reaches` (given when each last signed in); removed
        devices stay removed. A revocation of one device (scopes session, device) writes that device's row and
        returns its id if this signed it out. One of the whole account (all, all_others) becomes the account's
        cutoff (device_service.domain.cutoffs), at a cost that does not grow with its devices, and returns no
        ids: the devices it signs out are not listed."""

    @abc.abstractmethod
    def page(self, account_id: str, limit: int, after: Cursor | None, seen_since: int | None) -> list[Device]:
        """Up to `limit` devices, most recently seen first, after the cursor
        (last_seen_at, device_id); only those seen at or after `seen_since`."""


class AppliedRevocations(abc.ABC):
    """The sequences of the revocation feed already applied here."""

    @abc.abstractmethod
    def contains(self, sequence: int) -> bool: ...

    @abc.abstractmethod
    def claim(self, sequence: int, account_id: str, applied_at: int) -> bool:
        """Record `sequence` unless it is recorded; False when it is, by an earlier transaction or a
        concurrent one (on any replica: this one waits for it to end). Called before applying, so exactly
        one transaction applies each sequence."""


class ActivityLog(abc.ABC):
    """Viewing activity per profile and streaming activity per device."""

    @abc.abstractmethod
    def add_viewing(self, activity: ViewingActivity) -> None: ...

    @abc.abstractmethod
    def add_streaming(self, activity: StreamingActivity) -> None: ...

    @abc.abstractmethod
    def viewing_page(
        self, account_id: str, profile_name: str, limit: int, after: Cursor | None
    ) -> list[ViewingActivity]:
        """Newest first, by (watched_at, activity_id), after the cursor."""

    @abc.abstractmethod
    def streaming_page(
        self, account_id: str, device_id: str, limit: int, after: Cursor | None
    ) -> list[StreamingActivity]:
        """Newest first, by (occurred_at, activity_id), after the cursor."""

    @abc.abstractmethod
    def sign_in_countries(self, account_id: str, since: int) -> dict[str, set[str]]:
        """Per device id of the account, the known (non-empty) countries of its sign-ins at or after `since`."""

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
        """Cancel, in one statement, the active downloads of every device that
        `revocation.reaches` (whatever the device's status); returns how many. The cost grows with
        the account's active downloads, not with its devices."""

    @abc.abstractmethod
    def page(self, account_id: str, device_id: str, limit: int, after: Cursor | None) -> list[Download]:
        """Newest first, by (downloaded_at, download_id), after the cursor."""


class UnitOfWork(BaseUnitOfWork):
    """One transaction over every repository: `with uow:` ... `uow.commit()`; rolls back unless committed.
    commit raises common.unit_of_work.Conflict when a concurrent writer won (a unique key clash)."""

    devices: DeviceRepository
    applied_revocations: AppliedRevocations
    activity: ActivityLog
    downloads: Downloads
