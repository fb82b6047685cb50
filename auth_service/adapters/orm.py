"""auth_service's tables, as SQLAlchemy 2.x typed models. A change here comes with a migration
(auth_service/adapters/migrations/versions/, README "Migrations")."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from common.db import Id, Micros


class Base(DeclarativeBase):
    pass


class AccountRow(Base):
    __tablename__ = "accounts"

    account_id: Mapped[Id] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at_us: Mapped[Micros]
    closed_at_us: Mapped[int | None] = mapped_column(BigInteger)


class SessionRow(Base):
    __tablename__ = "sessions"

    session_id: Mapped[Id] = mapped_column(primary_key=True)
    account_id: Mapped[Id] = mapped_column(ForeignKey("accounts.account_id"), index=True)
    device_id: Mapped[Id]
    created_at_us: Mapped[Micros]
    last_used_at_us: Mapped[Micros]
    expires_at_us: Mapped[Micros]
    revoked_at_us: Mapped[int | None] = mapped_column(BigInteger)
    profile_id: Mapped[str] = mapped_column(String(36), default="")
    profile_kind: Mapped[str] = mapped_column(String(16), default="")
    password_confirmed_at_us: Mapped[int | None] = mapped_column(BigInteger)
    password_confirmed_profile_id: Mapped[str] = mapped_column(String(36), default="")


class RefreshTokenRow(Base):
    """A refresh token, stored only as its HMAC-SHA256 hash (rows from before keyed hashing: bare SHA-256)."""

    __tablename__ = "refresh_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[Id] = mapped_column(ForeignKey("sessions.session_id"), index=True)
    created_at_us: Mapped[Micros]
    used_at_us: Mapped[int | None] = mapped_column(BigInteger)


class KnownDeviceRow(Base):
    """A device (its client_id) that has signed in to the account: the sign-in throttle trusts it."""

    __tablename__ = "known_devices"

    account_id: Mapped[Id] = mapped_column(ForeignKey("accounts.account_id"), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    first_signed_in_at_us: Mapped[Micros]


class RevocationRow(Base):
    """The revocation feed: every revocation once, in sequence order."""

    __tablename__ = "revocations"

    # SQLite only auto-increments an INTEGER primary key.
    sequence: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    account_id: Mapped[Id] = mapped_column(index=True)
    scope: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(32))
    session_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(36))
    revoked_at_us: Mapped[Micros]


class DeviceAuthorizationRow(Base):
    """A device signing in with a code (RFC 8628): its device and user codes only as keyed hashes
    (auth_service.domain.device_authorization.CodeHashes); where the device asked from; its state."""

    __tablename__ = "device_authorizations"

    device_code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[str] = mapped_column(String(128))
    device_client_id: Mapped[str] = mapped_column(String(128))
    device_name: Mapped[str] = mapped_column(String(100))
    device_type: Mapped[str] = mapped_column(String(32))
    ip_address: Mapped[str] = mapped_column(String(64))
    requested_at_us: Mapped[Micros]
    expires_at_us: Mapped[Micros] = mapped_column(index=True)
    interval_seconds: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    last_polled_at_us: Mapped[int | None] = mapped_column(BigInteger)
    decided_at_us: Mapped[int | None] = mapped_column(BigInteger)
    account_id: Mapped[str] = mapped_column(String(64))
    session_id: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str] = mapped_column(String(64))
    exchanged_at_us: Mapped[int | None] = mapped_column(BigInteger)


Index("sessions_account_device", SessionRow.account_id, SessionRow.device_id)
