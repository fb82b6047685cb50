"""SQLAlchemy repositories of parental_service: rows in, domain objects out.

A row that two replicas may write at once (a device's active playback, a PIN entry, a schedule, a
blocked title) is written with one INSERT ... ON CONFLICT statement (common.db), never read first."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session

from common.db import insert_missing, upsert
from parental_service.adapters.orm import (
    ActivePlaybackRow,
    AppliedRevocationRow,
    AuditEventRow,
    BlockedTitleRow,
    PinEntryRow,
    ProfileRow,
    ViewingScheduleRow,
)
from parental_service.domain.audit import Actor, AuditEvent
from parental_service.domain.playback import ActivePlayback
from parental_service.domain.profiles import MaturityLevel, Profile, ProfileKind, name_key
from parental_service.domain.schedules import ViewingSchedule, ViewingWindow
from parental_service.service_layer import unit_of_work as uow


def _profile(row: ProfileRow) -> Profile:
    return Profile(
        profile_id=row.profile_id,
        account_id=row.account_id,
        name=row.name,
        kind=ProfileKind(row.kind),
        maturity_level=MaturityLevel(row.maturity_level),
        created_at=row.created_at,
        position=row.position,
        pin_hash=row.pin_hash,
        failed_pin_attempts=row.failed_pin_attempts,
        locked_until=row.locked_until,
    )


def _copy_into(row: ProfileRow, profile: Profile) -> ProfileRow:
    row.account_id = profile.account_id
    row.name = profile.name
    row.name_key = name_key(profile.name)
    row.kind = profile.kind.value
    row.maturity_level = int(profile.maturity_level)
    row.created_at = profile.created_at
    row.position = profile.position
    row.pin_hash = profile.pin_hash
    row.failed_pin_attempts = profile.failed_pin_attempts
    row.locked_until = profile.locked_until
    return row


class SqlProfileRepository(uow.ProfileRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def lock_account(self, account_id: str) -> None:
        """PostgreSQL: a transaction-scoped advisory lock on the account. SQLite needs none: every
        transaction there takes the database's write lock at BEGIN (common.db)."""
        if self.session.get_bind().dialect.name == "postgresql":
            key = func.hashtextextended(f"parental_service.profiles:{account_id}", 0)
            self.session.execute(select(func.pg_advisory_xact_lock(key)))

    def add(self, profile: Profile) -> None:
        self.session.add(_copy_into(ProfileRow(profile_id=profile.profile_id), profile))

    def get(self, account_id: str, profile_id: str, lock: bool = False) -> Profile | None:
        """`lock`: SELECT ... FOR UPDATE on PostgreSQL; SQLite's transactions hold its one write lock already."""
        row = self.session.get(ProfileRow, profile_id, with_for_update=True if lock else None)
        return _profile(row) if row is not None and row.account_id == account_id else None

    def charge_pin_guess(self, profile: Profile, seen_failures: int, seen_locked_until: int | None) -> bool:
        was_locked_until = (
            ProfileRow.locked_until.is_(None)
            if seen_locked_until is None
            else ProfileRow.locked_until == seen_locked_until
        )
        result = self.session.execute(
            update(ProfileRow)
            .where(
                ProfileRow.profile_id == profile.profile_id,
                ProfileRow.pin_hash == profile.pin_hash,
                ProfileRow.failed_pin_attempts == seen_failures,
                was_locked_until,
            )
            .values(failed_pin_attempts=profile.failed_pin_attempts, locked_until=profile.locked_until)
            .execution_options(synchronize_session=False)
        )
        assert isinstance(result, CursorResult)  # an UPDATE's result is a cursor result
        return result.rowcount == 1

    def list_for_account(self, account_id: str) -> list[Profile]:
        rows = self.session.scalars(select(ProfileRow).where(ProfileRow.account_id == account_id))
        return [_profile(row) for row in rows]

    def save(self, profile: Profile) -> None:
        row = self.session.get(ProfileRow, profile.profile_id)
        if row is None:
            self.add(profile)
        else:
            _copy_into(row, profile)

    def remove(self, profile: Profile) -> None:
        self.session.execute(delete(ProfileRow).where(ProfileRow.profile_id == profile.profile_id))


class SqlPlaybackRepository(uow.PlaybackRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def start(self, playback: ActivePlayback) -> None:
        upsert(self.session, ActivePlaybackRow, vars(playback), key=["device_id"])

    def list_for_account(self, account_id: str) -> list[ActivePlayback]:
        rows = self.session.scalars(select(ActivePlaybackRow).where(ActivePlaybackRow.account_id == account_id))
        return [ActivePlayback(r.device_id, r.account_id, r.profile_id, r.title_id, r.started_at) for r in rows]

    def stop(self, device_ids: Iterable[str]) -> None:
        ids = list(device_ids)
        if ids:
            self.session.execute(delete(ActivePlaybackRow).where(ActivePlaybackRow.device_id.in_(ids)))


class SqlRevocationLog(uow.RevocationLog):
    def __init__(self, session: Session) -> None:
        self.session = session

    def contains(self, sequence: int) -> bool:
        return self.session.get(AppliedRevocationRow, sequence) is not None

    def claim(self, sequence: int, account_id: str, applied_at: int) -> bool:
        row = {"sequence": sequence, "account_id": account_id, "applied_at": applied_at}
        return insert_missing(self.session, AppliedRevocationRow, row)


class SqlBlockRepository(uow.BlockRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def title_ids(self, profile_id: str) -> frozenset[str]:
        query = select(BlockedTitleRow.title_id).where(BlockedTitleRow.profile_id == profile_id)
        return frozenset(self.session.scalars(query))

    def add(self, profile_id: str, title_id: str) -> None:
        insert_missing(self.session, BlockedTitleRow, {"profile_id": profile_id, "title_id": title_id})

    def remove(self, profile_id: str, title_id: str) -> None:
        self.session.execute(
            delete(BlockedTitleRow).where(
                BlockedTitleRow.profile_id == profile_id, BlockedTitleRow.title_id == title_id
            )
        )

    def remove_all(self, profile_id: str) -> None:
        self.session.execute(delete(BlockedTitleRow).where(BlockedTitleRow.profile_id == profile_id))


class SqlScheduleRepository(uow.ScheduleRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, profile_id: str) -> ViewingSchedule | None:
        row = self.session.get(ViewingScheduleRow, profile_id)
        if row is None:
            return None
        windows = tuple(ViewingWindow(*window) for window in json.loads(row.windows))
        return ViewingSchedule(row.time_zone, windows)

    def set(self, profile_id: str, schedule: ViewingSchedule | None) -> None:
        if schedule is None:
            self.session.execute(delete(ViewingScheduleRow).where(ViewingScheduleRow.profile_id == profile_id))
            return
        windows = json.dumps([[w.weekday, w.start_minute, w.end_minute] for w in schedule.windows])
        row = {"profile_id": profile_id, "time_zone": schedule.time_zone, "windows": windows}
        upsert(self.session, ViewingScheduleRow, row, key=["profile_id"])


class SqlPinEntryRepository(uow.PinEntryRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def devices(self, profile_id: str) -> frozenset[str]:
        query = select(PinEntryRow.device_id).where(PinEntryRow.profile_id == profile_id)
        return frozenset(self.session.scalars(query))

    def devices_of_account(self, account_id: str) -> frozenset[str]:
        query = select(PinEntryRow.device_id).where(PinEntryRow.account_id == account_id)
        return frozenset(self.session.scalars(query))

    def add(self, account_id: str, profile_id: str, device_id: str, at: int) -> None:
        row = {"profile_id": profile_id, "device_id": device_id, "account_id": account_id, "entered_at": at}
        upsert(self.session, PinEntryRow, row, key=["profile_id", "device_id"])

    def forget_profile(self, profile_id: str) -> None:
        self.session.execute(delete(PinEntryRow).where(PinEntryRow.profile_id == profile_id))

    def forget_devices(self, device_ids: Iterable[str]) -> None:
        ids = list(device_ids)
        if ids:
            self.session.execute(delete(PinEntryRow).where(PinEntryRow.device_id.in_(ids)))


class SqlAuditLog(uow.AuditLog):
    def __init__(self, session: Session) -> None:
        self.session = session

    def append(self, event: AuditEvent) -> None:
        self.session.add(
            AuditEventRow(
                account_id=event.account_id,
                profile_id=event.profile_id,
                occurred_at=event.occurred_at,
                change=event.change,
                old_value=event.old_value,
                new_value=event.new_value,
                actor_device_id=event.actor.device_id,
                actor_profile_id=event.actor.profile_id,
            )
        )

    def newest_first(
        self, account_id: str, profile_id: str, before_event_id: int | None, limit: int
    ) -> list[AuditEvent]:
        query = select(AuditEventRow).where(AuditEventRow.account_id == account_id)
        if profile_id:
            query = query.where(AuditEventRow.profile_id == profile_id)
        if before_event_id is not None:
            query = query.where(AuditEventRow.event_id < before_event_id)
        rows = self.session.scalars(query.order_by(AuditEventRow.event_id.desc()).limit(limit))
        return [
            AuditEvent(
                account_id=r.account_id,
                profile_id=r.profile_id,
                occurred_at=r.occurred_at,
                change=r.change,
                old_value=r.old_value,
                new_value=r.new_value,
                actor=Actor(r.actor_device_id, r.actor_profile_id),
                event_id=r.event_id,
            )
            for r in rows
        ]
