"""SQLAlchemy repositories of device_service: rows in, domain objects out."""

from __future__ import annotations

from sqlalchemy import ColumnElement, CursorResult, delete, exists, select, update
from sqlalchemy.orm import Session

from common.db import insert_missing
from common.revocation import Revocation, Scope
from device_service.adapters import cutoffs
from device_service.adapters.keyset import newest_first
from device_service.adapters.orm import (
    AppliedRevocationRow,
    DeviceRow,
    DownloadRow,
    StreamingActivityRow,
    ViewingActivityRow,
)
from device_service.domain.activity import StreamingActivity, StreamingKind, ViewingActivity
from device_service.domain.cutoffs import ACCOUNT_WIDE, SignOutCutoff, derived_status
from device_service.domain.downloads import Download, DownloadStatus
from device_service.domain.model import UNKNOWN_LOCATION, Device, DeviceStatus, DeviceType, Location
from device_service.service_layer.unit_of_work import (
    ActivityLog,
    AppliedRevocations,
    Cursor,
    DeviceRepository,
    Downloads,
)

_DEVICE_FIELDS = (
    "device_id",
    "account_id",
    "client_id",
    "name",
    "platform",
    "app_version",
    "first_seen_at",
    "last_seen_at",
    "signed_in_at",
    "last_ip_address",
    "last_profile_name",
    "last_title",
    "last_watched_at",
)
_DOWNLOAD_FIELDS = (
    "download_id",
    "account_id",
    "device_id",
    "profile_name",
    "title",
    "downloaded_at",
    "cancelled_at",
    "cancel_reason",
)


def reached_by(revocation: Revocation) -> list[ColumnElement[bool]]:
    """`revocation.reaches(row.account_id, row.device_id, row.signed_in_at)`, as conditions on the devices table.

    tests/integration/device_service/test_revocation_rule_in_sql.py checks it against
    the rule itself for every scope, on SQLite and PostgreSQL.
    """
    conditions = [DeviceRow.account_id == revocation.account_id]
    if revocation.scope in (Scope.SESSION, Scope.DEVICE):
        conditions.append(DeviceRow.device_id == revocation.device_id)
    elif revocation.scope is Scope.ALL_OTHERS:
        conditions.append(DeviceRow.device_id != revocation.device_id)
    if revocation.revoked_at_us:  # a device that signed in again since holds a session it does not reach
        conditions.append(DeviceRow.signed_in_at < revocation.revoked_at_us)
    return conditions


def to_device(row: DeviceRow, cutoff: SignOutCutoff | None) -> Device:
    """The device of a row, its status derived with its account's cutoff (device_service.domain.cutoffs)."""
    status = derived_status(DeviceStatus(row.status), cutoff, row.device_id, row.signed_in_at, row.cutoff_sequence)
    return Device(
        **{name: getattr(row, name) for name in _DEVICE_FIELDS},
        type=DeviceType(row.type),
        status=status,
        location=Location(row.location_description, row.country, row.region, row.city),
    )


def copy_into(row: DeviceRow, device: Device) -> None:
    for name in _DEVICE_FIELDS:
        setattr(row, name, getattr(device, name))
    row.type = int(device.type)
    row.status = int(device.status)
    row.location_description = device.location.description
    row.country = device.location.country
    row.region = device.location.region
    row.city = device.location.city


class SqlAlchemyDeviceRepository(DeviceRepository):
    """Devices with their status derived from the account's cutoff, which each transaction reads once per account,
    before the devices it derives: a device is written back with the cutoff it was read with (under PostgreSQL's
    read committed, a cutoff applied in between then still covers it, as it would have covered its row)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.cutoffs: dict[str, SignOutCutoff | None] = {}

    def _cutoff(self, account_id: str) -> SignOutCutoff | None:
        if account_id not in self.cutoffs:
            self.cutoffs[account_id] = cutoffs.read(self.session, account_id)
        return self.cutoffs[account_id]

    def save(self, device: Device) -> None:
        cutoff = self._cutoff(device.account_id)
        row = self.session.get(DeviceRow, device.device_id)
        if row is None:
            row = DeviceRow()
            self.session.add(row)
        copy_into(row, device)
        row.cutoff_sequence = cutoff.sequence if cutoff is not None else 0

    def get(self, account_id: str, device_id: str, lock: bool = False) -> Device | None:
        """`lock`: SELECT ... FOR UPDATE on PostgreSQL; SQLite's transactions hold its one write lock already."""
        cutoff = self._cutoff(account_id)
        row = self.session.get(DeviceRow, device_id, with_for_update=True if lock else None)
        return to_device(row, cutoff) if row is not None and row.account_id == account_id else None

    def get_by_client_id(self, account_id: str, client_id: str, lock: bool = False) -> Device | None:
        cutoff = self._cutoff(account_id)
        query = select(DeviceRow).where(DeviceRow.account_id == account_id, DeviceRow.client_id == client_id)
        row = self.session.scalars(query.with_for_update() if lock else query).first()
        return to_device(row, cutoff) if row is not None else None

    def sign_out_covered(self, revocation: Revocation) -> list[str]:
        if revocation.scope in ACCOUNT_WIDE:
            self._replace_cutoff(SignOutCutoff.of(revocation), revocation.account_id)
            return []
        signed_out = self.session.scalars(
            update(DeviceRow)
            .where(
                *reached_by(revocation),
                DeviceRow.status == int(DeviceStatus.ACTIVE),
                ~cutoffs.covered_by_stored_cutoff(),
            )
            .values(status=int(DeviceStatus.SIGNED_OUT))
            .returning(DeviceRow.device_id)
            .execution_options(synchronize_session=False)
        )
        return list(signed_out)

    def _replace_cutoff(self, new: SignOutCutoff, account_id: str) -> None:
        """Write SIGNED_OUT into the rows the account's cutoff covers and `new` would not, then make `new` the
        account's cutoff: a few statements on the cutoff's row whatever the number of devices, plus one per
        part left behind (none for all; for all_others, the kept device's row)."""
        row = cutoffs.locked(self.session, account_id)
        old = cutoffs.as_cutoff(row)
        if old is not None:
            for part in cutoffs.left_behind(old.left_behind(new)):
                self.session.execute(
                    update(DeviceRow)
                    .where(
                        DeviceRow.account_id == account_id,
                        DeviceRow.status == int(DeviceStatus.ACTIVE),
                        *cutoffs.covered_by(old),
                        part,
                    )
                    .values(status=int(DeviceStatus.SIGNED_OUT))
                    .execution_options(synchronize_session=False)
                )
        row.sequence, row.before_us, row.kept_device_id = new.sequence, new.before_us, new.kept_device_id
        self.cutoffs[account_id] = new

    def page(self, account_id: str, limit: int, after: Cursor | None, seen_since: int | None) -> list[Device]:
        cutoff = self._cutoff(account_id)
        query = select(DeviceRow).where(DeviceRow.account_id == account_id)
        if seen_since is not None:
            query = query.where(DeviceRow.last_seen_at >= seen_since)
        query = newest_first(query, DeviceRow.last_seen_at, DeviceRow.device_id, limit, after)
        return [to_device(row, cutoff) for row in self.session.scalars(query)]


class SqlAlchemyAppliedRevocations(AppliedRevocations):
    def __init__(self, session: Session) -> None:
        self.session = session

    def contains(self, sequence: int) -> bool:
        return self.session.get(AppliedRevocationRow, sequence) is not None

    def claim(self, sequence: int, account_id: str, applied_at: int) -> bool:
        row = {"sequence": sequence, "account_id": account_id, "applied_at": applied_at}
        return insert_missing(self.session, AppliedRevocationRow, row)


def _location(row: ViewingActivityRow | StreamingActivityRow) -> Location:
    return Location(description=row.location_description, country=row.country)


class SqlAlchemyActivityLog(ActivityLog):
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_viewing(self, activity: ViewingActivity) -> None:
        self.session.add(
            ViewingActivityRow(
                activity_id=activity.activity_id,
                account_id=activity.account_id,
                profile_name=activity.profile_name,
                title=activity.title,
                device_id=activity.device_id,
                device_name=activity.device_name,
                device_type=int(activity.device_type),
                watched_at=activity.watched_at,
                country=activity.location.country,
                location_description=activity.location.description,
            )
        )

    def add_streaming(self, activity: StreamingActivity) -> None:
        self.session.add(
            StreamingActivityRow(
                activity_id=activity.activity_id,
                account_id=activity.account_id,
                device_id=activity.device_id,
                kind=int(activity.kind),
                ip_address=activity.ip_address,
                occurred_at=activity.occurred_at,
                country=activity.location.country,
                location_description=activity.location.description,
            )
        )

    def viewing_page(
        self, account_id: str, profile_name: str, limit: int, after: Cursor | None
    ) -> list[ViewingActivity]:
        query = select(ViewingActivityRow).where(
            ViewingActivityRow.account_id == account_id, ViewingActivityRow.profile_name == profile_name
        )
        query = newest_first(query, ViewingActivityRow.watched_at, ViewingActivityRow.activity_id, limit, after)
        return [
            ViewingActivity(
                row.activity_id,
                row.account_id,
                row.profile_name,
                row.title,
                row.device_id,
                row.device_name,
                DeviceType(row.device_type),
                row.watched_at,
                _location(row),
            )
            for row in self.session.scalars(query)
        ]

    def streaming_page(
        self, account_id: str, device_id: str, limit: int, after: Cursor | None
    ) -> list[StreamingActivity]:
        query = select(StreamingActivityRow).where(
            StreamingActivityRow.account_id == account_id, StreamingActivityRow.device_id == device_id
        )
        query = newest_first(query, StreamingActivityRow.occurred_at, StreamingActivityRow.activity_id, limit, after)
        return [
            StreamingActivity(
                row.activity_id,
                row.account_id,
                row.device_id,
                StreamingKind(row.kind),
                row.ip_address,
                _location(row),
                row.occurred_at,
            )
            for row in self.session.scalars(query)
        ]

    def sign_in_countries(self, account_id: str, since: int) -> dict[str, set[str]]:
        query = (
            select(StreamingActivityRow.device_id, StreamingActivityRow.country)
            .where(
                StreamingActivityRow.account_id == account_id,
                StreamingActivityRow.kind == int(StreamingKind.SIGN_IN),
                StreamingActivityRow.occurred_at >= since,
                StreamingActivityRow.country != "",
            )
            .distinct()
        )
        countries: dict[str, set[str]] = {}
        for device_id, country in self.session.execute(query):
            countries.setdefault(device_id, set()).add(country)
        return countries

    def erase_device_history(self, account_id: str, device_id: str) -> None:
        self.session.execute(
            delete(StreamingActivityRow).where(
                StreamingActivityRow.account_id == account_id, StreamingActivityRow.device_id == device_id
            )
        )
        self.session.execute(
            update(ViewingActivityRow)
            .where(ViewingActivityRow.account_id == account_id, ViewingActivityRow.device_id == device_id)
            .values(country="", location_description=UNKNOWN_LOCATION.description)
        )


def to_download(row: DownloadRow) -> Download:
    return Download(**{name: getattr(row, name) for name in _DOWNLOAD_FIELDS}, status=DownloadStatus(row.status))


class SqlAlchemyDownloads(Downloads):
    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, download: Download) -> None:
        row = self.session.get(DownloadRow, download.download_id)
        if row is None:
            row = DownloadRow()
            self.session.add(row)
        for name in _DOWNLOAD_FIELDS:
            setattr(row, name, getattr(download, name))
        row.status = int(download.status)

    def get(self, account_id: str, download_id: str) -> Download | None:
        row = self.session.get(DownloadRow, download_id)
        return to_download(row) if row is not None and row.account_id == account_id else None

    def active_for_device(self, account_id: str, device_id: str) -> list[Download]:
        query = select(DownloadRow).where(
            DownloadRow.account_id == account_id,
            DownloadRow.device_id == device_id,
            DownloadRow.status == int(DownloadStatus.ACTIVE),
        )
        return [to_download(row) for row in self.session.scalars(query)]

    def cancel_covered(self, revocation: Revocation, reason: str, now: int) -> int:
        # From the account's active downloads (ix_downloads_active) to their devices: an account with no active
        # download costs one index probe, whatever its number of devices.
        reached = exists().where(DeviceRow.device_id == DownloadRow.device_id, *reached_by(revocation))
        result = self.session.execute(
            update(DownloadRow)
            .where(
                DownloadRow.account_id == revocation.account_id,
                DownloadRow.status == int(DownloadStatus.ACTIVE),
                reached,
            )
            .values(status=int(DownloadStatus.CANCELLED), cancelled_at=now, cancel_reason=reason)
            .execution_options(synchronize_session=False)
        )
        assert isinstance(result, CursorResult)  # what an UPDATE returns; Session.execute is typed as Result
        return result.rowcount

    def page(self, account_id: str, device_id: str, limit: int, after: Cursor | None) -> list[Download]:
        query = select(DownloadRow).where(DownloadRow.account_id == account_id, DownloadRow.device_id == device_id)
        query = newest_first(query, DownloadRow.downloaded_at, DownloadRow.download_id, limit, after)
        return [to_download(row) for row in self.session.scalars(query)]
