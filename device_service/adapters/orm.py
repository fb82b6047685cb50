"""Tables of device_service, as SQLAlchemy 2.x typed models. A change here comes with a migration
(device_service/adapters/migrations/versions/, README "Migrations")."""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from common.db import Id, Micros
from common.revocation_feed import feed_cursor


class Base(DeclarativeBase):
    pass


feed_cursor_table = feed_cursor.to_metadata(Base.metadata)
"""Where common.revocation_feed.CursorStore keeps how far this service has read auth_service's feed: its
table, declared in common, lives in this database and this service's migrations make it."""


class DeviceRow(Base):
    __tablename__ = "devices"
    __table_args__ = (
        UniqueConstraint("account_id", "client_id", name="uq_devices_account_client"),
        Index("ix_devices_account_seen", "account_id", "last_seen_at", "device_id"),
    )

    device_id: Mapped[Id] = mapped_column(primary_key=True)
    account_id: Mapped[Id]
    client_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(100))
    type: Mapped[int]
    platform: Mapped[str] = mapped_column(String(200))
    app_version: Mapped[str] = mapped_column(String(200))
    status: Mapped[int]
    first_seen_at: Mapped[Micros]
    last_seen_at: Mapped[Micros]
    signed_in_at: Mapped[Micros]
    last_ip_address: Mapped[str] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(100))
    city: Mapped[str] = mapped_column(String(100))
    location_description: Mapped[str] = mapped_column(String(200))
    last_profile_name: Mapped[str] = mapped_column(String(100))
    last_title: Mapped[str] = mapped_column(String(200))
    last_watched_at: Mapped[int | None] = mapped_column(BigInteger)
    # The sequence of the account's sign-out cutoff in force when the row was last written (0: none); see
    # device_service.domain.cutoffs: `status` is the device's status unless a later cutoff covers it.
    cutoff_sequence: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class AccountCutoffRow(Base):
    """The latest all / all_others revocation of an account (device_service.domain.cutoffs.SignOutCutoff).
    A row with sequence 0 covers nothing: it only gives a first cutoff a row to lock."""

    __tablename__ = "account_cutoffs"

    account_id: Mapped[Id] = mapped_column(primary_key=True)
    sequence: Mapped[int] = mapped_column(BigInteger)
    before_us: Mapped[Micros]
    kept_device_id: Mapped[Id]


class AppliedRevocationRow(Base):
    __tablename__ = "applied_revocations"

    sequence: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    account_id: Mapped[Id]
    applied_at: Mapped[Micros]


class ViewingActivityRow(Base):
    __tablename__ = "viewing_activity"
    __table_args__ = (Index("ix_viewing_profile", "account_id", "profile_name", "watched_at", "activity_id"),)

    activity_id: Mapped[Id] = mapped_column(primary_key=True)
    account_id: Mapped[Id]
    profile_name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    device_id: Mapped[Id] = mapped_column(index=True)
    device_name: Mapped[str] = mapped_column(String(100))
    device_type: Mapped[int]
    watched_at: Mapped[Micros]
    country: Mapped[str] = mapped_column(String(100))
    location_description: Mapped[str] = mapped_column(String(200))


class StreamingActivityRow(Base):
    __tablename__ = "streaming_activity"
    __table_args__ = (Index("ix_streaming_device", "account_id", "device_id", "occurred_at", "activity_id"),)

    activity_id: Mapped[Id] = mapped_column(primary_key=True)
    account_id: Mapped[Id]
    device_id: Mapped[Id]
    kind: Mapped[int]
    ip_address: Mapped[str] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(100))
    location_description: Mapped[str] = mapped_column(String(200))
    occurred_at: Mapped[Micros]


class DownloadRow(Base):
    __tablename__ = "downloads"
    __table_args__ = (
        Index("ix_downloads_device", "account_id", "device_id", "downloaded_at", "download_id"),
        # What a revocation cancels: the account's active downloads, not its whole history of them.
        Index("ix_downloads_active", "account_id", "status"),
    )

    download_id: Mapped[Id] = mapped_column(primary_key=True)
    account_id: Mapped[Id]
    device_id: Mapped[Id]
    profile_name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[int]
    downloaded_at: Mapped[Micros]
    cancelled_at: Mapped[int | None] = mapped_column(BigInteger)
    cancel_reason: Mapped[str] = mapped_column(String(40))
