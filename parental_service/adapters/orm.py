"""SQLAlchemy tables of parental_service. A change here comes with a migration
(parental_service/adapters/migrations/versions/, README "Migrations")."""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from common.db import Id, Micros
from common.revocation_feed import feed_cursor


class Base(DeclarativeBase):
    pass


feed_cursor_table = feed_cursor.to_metadata(Base.metadata)
"""Where common.revocation_feed.CursorStore keeps how far this service has read auth_service's feed: its
table, declared in common, lives in this database and this service's migrations make it."""


class ProfileRow(Base):
    __tablename__ = "profiles"
    __table_args__ = (UniqueConstraint("account_id", "name_key", name="uq_profiles_account_name"),)

    profile_id: Mapped[Id] = mapped_column(primary_key=True)
    account_id: Mapped[Id] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(50))
    name_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    maturity_level: Mapped[int]
    created_at: Mapped[Micros]
    position: Mapped[int] = mapped_column(default=0)
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    failed_pin_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[int | None] = mapped_column(BigInteger)


class ActivePlaybackRow(Base):
    __tablename__ = "active_playbacks"
    __table_args__ = (Index("ix_active_playbacks_account", "account_id"),)

    device_id: Mapped[Id] = mapped_column(primary_key=True)
    account_id: Mapped[Id]
    profile_id: Mapped[Id]
    title_id: Mapped[Id]
    started_at: Mapped[Micros]


class AppliedRevocationRow(Base):
    __tablename__ = "applied_revocations"

    sequence: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    account_id: Mapped[Id]
    applied_at: Mapped[Micros]


class BlockedTitleRow(Base):
    __tablename__ = "blocked_titles"

    profile_id: Mapped[Id] = mapped_column(primary_key=True)
    title_id: Mapped[Id] = mapped_column(primary_key=True)


class ViewingScheduleRow(Base):
    __tablename__ = "viewing_schedules"

    profile_id: Mapped[Id] = mapped_column(primary_key=True)
    time_zone: Mapped[str] = mapped_column(String(64))
    windows: Mapped[str] = mapped_column(Text)
    """JSON list of [weekday, start_minute, end_minute]."""


class PinEntryRow(Base):
    __tablename__ = "pin_entries"
    __table_args__ = (Index("ix_pin_entries_account", "account_id"),)

    profile_id: Mapped[Id] = mapped_column(primary_key=True)
    device_id: Mapped[Id] = mapped_column(primary_key=True)
    account_id: Mapped[Id]
    entered_at: Mapped[Micros]


class AuditEventRow(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_account", "account_id", "event_id"),)

    event_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    account_id: Mapped[Id]
    profile_id: Mapped[Id]
    occurred_at: Mapped[Micros]
    change: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str] = mapped_column(Text)
    new_value: Mapped[str] = mapped_column(Text)
    actor_device_id: Mapped[Id]
    actor_profile_id: Mapped[Id]
