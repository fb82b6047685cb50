"""SQLAlchemy store of downloads."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from device_service.adapters.keyset import newest_first
from device_service.adapters.orm import DeviceRow, DownloadRow
from device_service.adapters.repository import reach
from device_service.domain.downloads import Download, DownloadStatus
from device_service.domain.revocation import Revocation
from device_service.service_layer.ports import Cursor, Downloads

_COPIED = ("download_id", "account_id", "device_id", "profile_name", "title", "downloaded_at", "cancelled_at",
           "cancel_reason")


def to_download(row: DownloadRow) -> Download:
    return Download(**{name: getattr(row, name) for name in _COPIED}, status=DownloadStatus(row.status))


class SqlAlchemyDownloads(Downloads):
    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, download: Download) -> None:
        row = self.session.get(DownloadRow, download.download_id)
        if row is None:
            row = DownloadRow()
            self.session.add(row)
        for name in _COPIED:
            setattr(row, name, getattr(download, name))
        row.status = int(download.status)

    def get(self, account_id: str, download_id: str) -> Download | None:
        row = self.session.get(DownloadRow, download_id)
        return to_download(row) if row is not None and row.account_id == account_id else None

    def active_for_device(self, account_id: str, device_id: str) -> list[Download]:
        query = select(DownloadRow).where(
            DownloadRow.account_id == account_id, DownloadRow.device_id == device_id,
            DownloadRow.status == int(DownloadStatus.ACTIVE),
        )
        return [to_download(row) for row in self.session.scalars(query)]

    def cancel_covered(self, revocation: Revocation, reason: str, now: int) -> int:
        covered = select(DeviceRow.device_id).where(*reach(revocation))
        result = self.session.execute(
            update(DownloadRow)
            .where(DownloadRow.account_id == revocation.account_id, DownloadRow.device_id.in_(covered),
                   DownloadRow.status == int(DownloadStatus.ACTIVE))
            .values(status=int(DownloadStatus.CANCELLED), cancelled_at=now, cancel_reason=reason)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def page(self, account_id: str, device_id: str, limit: int, after: Cursor | None) -> list[Download]:
        query = select(DownloadRow).where(DownloadRow.account_id == account_id, DownloadRow.device_id == device_id)
        query = newest_first(query, DownloadRow.downloaded_at, DownloadRow.download_id, limit, after)
        return [to_download(row) for row in self.session.scalars(query)]
