"""SQLAlchemy store of viewing and streaming activity."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from device_service.adapters.keyset import newest_first
from device_service.adapters.orm import StreamingActivityRow, ViewingActivityRow
from device_service.domain.activity import StreamingActivity, StreamingKind, ViewingActivity
from device_service.domain.model import UNKNOWN_LOCATION, DeviceType, Location
from device_service.service_layer.ports import ActivityLog, Cursor


def _location(row: ViewingActivityRow | StreamingActivityRow) -> Location:
    return Location(description=row.location_description, country=row.country)


class SqlAlchemyActivityLog(ActivityLog):
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_viewing(self, activity: ViewingActivity) -> None:
        self.session.add(ViewingActivityRow(
            activity_id=activity.activity_id, account_id=activity.account_id, profile_name=activity.profile_name,
            title=activity.title, device_id=activity.device_id, device_name=activity.device_name,
            device_type=int(activity.device_type), watched_at=activity.watched_at,
            country=activity.location.country, location_description=activity.location.description,
        ))

    def add_streaming(self, activity: StreamingActivity) -> None:
        self.session.add(StreamingActivityRow(
            activity_id=activity.activity_id, account_id=activity.account_id, device_id=activity.device_id,
            kind=int(activity.kind), ip_address=activity.ip_address, occurred_at=activity.occurred_at,
            country=activity.location.country, location_description=activity.location.description,
        ))

    def viewing_page(self, account_id: str, profile_name: str, limit: int, after: Cursor | None) -> list[ViewingActivity]:
        query = select(ViewingActivityRow).where(
            ViewingActivityRow.account_id == account_id, ViewingActivityRow.profile_name == profile_name
        )
        query = newest_first(query, ViewingActivityRow.watched_at, ViewingActivityRow.activity_id, limit, after)
        return [
            ViewingActivity(
                row.activity_id, row.account_id, row.profile_name, row.title, row.device_id, row.device_name,
                DeviceType(row.device_type), row.watched_at, _location(row),
            )
            for row in self.session.scalars(query)
        ]

    def streaming_page(self, account_id: str, device_id: str, limit: int, after: Cursor | None) -> list[StreamingActivity]:
        query = select(StreamingActivityRow).where(
            StreamingActivityRow.account_id == account_id, StreamingActivityRow.device_id == device_id
        )
        query = newest_first(query, StreamingActivityRow.occurred_at, StreamingActivityRow.activity_id, limit, after)
        return [
            StreamingActivity(
                row.activity_id, row.account_id, row.device_id, StreamingKind(row.kind), row.ip_address,
                _location(row), row.occurred_at,
            )
            for row in self.session.scalars(query)
        ]

    def erase_device_history(self, account_id: str, device_id: str) -> None:
        self.session.execute(delete(StreamingActivityRow).where(
            StreamingActivityRow.account_id == account_id, StreamingActivityRow.device_id == device_id
        ))
        self.session.execute(
            update(ViewingActivityRow)
            .where(ViewingActivityRow.account_id == account_id, ViewingActivityRow.device_id == device_id)
            .values(country="", location_description=UNKNOWN_LOCATION.description)
        )
