"""The SQLAlchemy repositories of auth_service's unit of work, one per table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, Result, case, delete, func, or_, select, text, update
from sqlalchemy.orm import Session as DbSession

from auth_service.adapters.orm import (
    AccountRow,
    DeviceAuthorizationRow,
    KnownDeviceRow,
    RefreshTokenRow,
    RevocationRow,
    SessionRow,
)
from auth_service.domain.device_authorization import DeviceAuthorization, Status
from auth_service.domain.model import Account, DeviceInfo, RefreshToken, Session
from auth_service.service_layer.ports import (
    AccountRepository,
    DeviceAuthorizationRepository,
    KnownDeviceRepository,
    RefreshTokenRepository,
    RevocationRepository,
    SessionRepository,
)
from common.db import insert_missing
from common.revocation import Reason, Revocation, Scope


class SqlAlchemyAccounts(AccountRepository):
    def __init__(self, db: DbSession) -> None:
        self.db = db

    def add(self, account: Account) -> None:
        self.db.add(AccountRow(**vars(account)))

    def get(self, account_id: str) -> Account | None:
        row = self.db.get(AccountRow, account_id)
        return _account(row) if row else None

    def get_by_email(self, email: str) -> Account | None:
        row = self.db.scalars(select(AccountRow).where(AccountRow.email == email)).first()
        return _account(row) if row else None

    def set_password_hash(self, account_id: str, password_hash: str) -> bool:
        return _changed(
            self.db.execute(
                update(AccountRow)
                .where(AccountRow.account_id == account_id, AccountRow.closed_at_us.is_(None))
                .values(password_hash=password_hash)
            )
        )

    def hold_open(self, account_id: str) -> bool:
        """SELECT ... FOR SHARE on PostgreSQL (SQLite's transactions hold its one write lock already)."""
        query = select(AccountRow.account_id).where(
            AccountRow.account_id == account_id, AccountRow.closed_at_us.is_(None)
        )
        return self.db.scalar(query.with_for_update(read=True)) is not None

    def close(self, account_id: str, closed_at_us: int) -> bool:
        return _changed(
            self.db.execute(
                update(AccountRow)
                .where(AccountRow.account_id == account_id, AccountRow.closed_at_us.is_(None))
                .values(closed_at_us=closed_at_us)
            )
        )


class SqlAlchemySessions(SessionRepository):
    def __init__(self, db: DbSession) -> None:
        self.db = db

    def add(self, session: Session) -> None:
        self.db.add(SessionRow(**vars(session)))
        self.db.flush()  # its refresh token refers to it

    def get(self, session_id: str) -> Session | None:
        row = self.db.get(SessionRow, session_id)
        return _session(row) if row else None

    def touch(self, session_id: str, last_used_at_us: int) -> None:
        self.db.execute(
            update(SessionRow).where(SessionRow.session_id == session_id).values(last_used_at_us=last_used_at_us)
        )

    def set_profile(self, session_id: str, profile_id: str, profile_kind: str) -> None:
        same = SessionRow.profile_id == profile_id  # evaluated on the row before the update, in one statement
        self.db.execute(
            update(SessionRow)
            .where(SessionRow.session_id == session_id)
            .values(
                profile_id=profile_id,
                profile_kind=profile_kind,
                password_confirmed_at_us=case((same, SessionRow.password_confirmed_at_us), else_=None),
                password_confirmed_profile_id=case((same, SessionRow.password_confirmed_profile_id), else_=""),
            )
        )

    def record_password_confirmation(self, session_id: str, confirmed_at_us: int, profile_id: str) -> bool:
        result = self.db.execute(
            update(SessionRow)
            .where(SessionRow.session_id == session_id, SessionRow.profile_id == profile_id)
            .values(password_confirmed_at_us=confirmed_at_us, password_confirmed_profile_id=profile_id)
        )
        assert isinstance(result, CursorResult)  # an UPDATE's result is a cursor result
        return result.rowcount == 1

    def mark_revoked(self, session_id: str, revoked_at_us: int) -> None:
        self.db.execute(
            update(SessionRow)
            .where(SessionRow.session_id == session_id, SessionRow.revoked_at_us.is_(None))
            .values(revoked_at_us=revoked_at_us)
        )


class SqlAlchemyRefreshTokens(RefreshTokenRepository):
    def __init__(self, db: DbSession) -> None:
        self.db = db

    def add(self, token: RefreshToken) -> None:
        self.db.add(RefreshTokenRow(**vars(token)))

    def get(self, token_hash: str) -> RefreshToken | None:
        row = self.db.get(RefreshTokenRow, token_hash)
        return RefreshToken(row.token_hash, row.session_id, row.created_at_us, row.used_at_us) if row else None

    def spend(self, token_hash: str, used_at_us: int) -> bool:
        result = self.db.execute(
            update(RefreshTokenRow)
            .where(RefreshTokenRow.token_hash == token_hash, RefreshTokenRow.used_at_us.is_(None))
            .values(used_at_us=used_at_us)
        )
        assert isinstance(result, CursorResult)  # an UPDATE's result is a cursor result
        return result.rowcount == 1


class SqlAlchemyKnownDevices(KnownDeviceRepository):
    def __init__(self, db: DbSession) -> None:
        self.db = db

    def contains(self, account_id: str, client_id: str) -> bool:
        return self.db.get(KnownDeviceRow, (account_id, client_id)) is not None

    def add(self, account_id: str, client_id: str, first_signed_in_at_us: int) -> None:
        row = {"account_id": account_id, "client_id": client_id, "first_signed_in_at_us": first_signed_in_at_us}
        insert_missing(self.db, KnownDeviceRow, row)


class SqlAlchemyRevocations(RevocationRepository):
    def __init__(self, db: DbSession) -> None:
        self.db = db

    def lock(self) -> None:
        if self.db.get_bind().dialect.name == "postgresql":
            self.db.execute(text("LOCK TABLE revocations IN SHARE ROW EXCLUSIVE MODE"))
        else:
            self.db.connection()  # SQLite: the transaction begins (BEGIN IMMEDIATE) and holds the one write lock

    def append(self, revocation: Revocation) -> Revocation:
        row = RevocationRow(
            account_id=revocation.account_id,
            scope=revocation.scope.value,
            reason=revocation.reason.value,
            session_id=revocation.session_id,
            device_id=revocation.device_id,
            revoked_at_us=revocation.revoked_at_us,
        )
        self.db.add(row)
        self.db.flush()
        return _revocation(row)

    def list(self, after_sequence: int, limit: int) -> list[Revocation]:
        rows = self.db.scalars(
            select(RevocationRow)
            .where(RevocationRow.sequence > after_sequence)
            .order_by(RevocationRow.sequence)
            .limit(limit)
        )
        return [_revocation(row) for row in rows]

    def last_sequence(self) -> int:
        return int(self.db.scalar(select(func.coalesce(func.max(RevocationRow.sequence), 0))) or 0)


class SqlAlchemyDeviceAuthorizations(DeviceAuthorizationRepository):
    def __init__(self, db: DbSession) -> None:
        self.db = db

    def add(self, authorization: DeviceAuthorization) -> None:
        a = authorization
        self.db.add(
            DeviceAuthorizationRow(
                device_code_hash=a.device_code_hash,
                user_code_hash=a.user_code_hash,
                client_id=a.client_id,
                device_client_id=a.device.client_id,
                device_name=a.device.name,
                device_type=a.device.type,
                ip_address=a.ip_address,
                requested_at_us=a.requested_at_us,
                expires_at_us=a.expires_at_us,
                interval_seconds=a.interval_seconds,
                status=a.status.value,
                last_polled_at_us=a.last_polled_at_us,
                decided_at_us=a.decided_at_us,
                account_id=a.account_id,
                session_id=a.session_id,
                device_id=a.device_id,
                exchanged_at_us=a.exchanged_at_us,
            )
        )
        self.db.flush()  # a taken user code fails here, as Conflict at commit would

    def forget_expired(self, expired_before_us: int, user_code_hash: str, now_us: int) -> None:
        row = DeviceAuthorizationRow
        self.db.execute(
            delete(row).where(
                or_(
                    row.expires_at_us < expired_before_us,
                    (row.user_code_hash == user_code_hash) & (row.expires_at_us <= now_us),
                )
            )
        )

    def by_device_code(self, device_code_hash: str) -> DeviceAuthorization | None:
        row = self.db.get(DeviceAuthorizationRow, device_code_hash)
        return _device_authorization(row) if row else None

    def by_user_code(self, user_code_hash: str) -> DeviceAuthorization | None:
        query = select(DeviceAuthorizationRow).where(DeviceAuthorizationRow.user_code_hash == user_code_hash)
        row = self.db.scalars(query).first()
        return _device_authorization(row) if row else None

    def record_poll(
        self, device_code_hash: str, last_polled_at_us: int | None, now_us: int, interval_seconds: int
    ) -> bool:
        row = DeviceAuthorizationRow
        last = (
            row.last_polled_at_us.is_(None) if last_polled_at_us is None else row.last_polled_at_us == last_polled_at_us
        )
        return _changed(
            self.db.execute(
                update(row)
                .where(row.device_code_hash == device_code_hash, last)
                .values(last_polled_at_us=now_us, interval_seconds=interval_seconds)
            )
        )

    def claim(self, device_code_hash: str, account_id: str, claim_id: str, now_us: int, stale_before_us: int) -> bool:
        row = DeviceAuthorizationRow
        claimable = or_(
            row.status == Status.PENDING.value,
            (row.status == Status.CLAIMED.value)
            & or_(row.account_id == account_id, row.decided_at_us <= stale_before_us),
        )
        return _changed(
            self.db.execute(
                update(row)
                .where(row.device_code_hash == device_code_hash, row.expires_at_us > now_us, claimable)
                .values(
                    status=Status.CLAIMED.value,
                    decided_at_us=now_us,
                    account_id=account_id,
                    session_id=claim_id,
                    device_id="",
                )
            )
        )

    def settle(self, device_code_hash: str, claim_id: str, status: Status, now_us: int, device_id: str = "") -> bool:
        row = DeviceAuthorizationRow
        values: dict[str, Any] = {"status": status.value, "decided_at_us": now_us, "device_id": device_id}
        if status is Status.PENDING:
            values.update(decided_at_us=None, account_id="", session_id="")
        return _changed(
            self.db.execute(
                update(row)
                .where(
                    row.device_code_hash == device_code_hash,
                    row.status == Status.CLAIMED.value,
                    row.session_id == claim_id,
                )
                .values(**values)
            )
        )

    def abandon(self, device_code_hash: str) -> bool:
        row = DeviceAuthorizationRow
        return _changed(
            self.db.execute(
                update(row)
                .where(
                    row.device_code_hash == device_code_hash,
                    row.status == Status.APPROVED.value,
                    row.exchanged_at_us.is_(None),
                )
                .values(status=Status.EXPIRED.value)
            )
        )

    def expire(self, device_code_hash: str, now_us: int, stale_before_us: int) -> bool:
        row = DeviceAuthorizationRow
        expirable = or_(
            row.status == Status.PENDING.value,
            (row.status == Status.CLAIMED.value) & (row.decided_at_us <= stale_before_us),
        )
        return _changed(
            self.db.execute(
                update(row)
                .where(row.device_code_hash == device_code_hash, expirable)
                .values(status=Status.EXPIRED.value, decided_at_us=now_us)
            )
        )

    def mark_exchanged(self, device_code_hash: str, now_us: int) -> bool:
        row = DeviceAuthorizationRow
        return _changed(
            self.db.execute(
                update(row)
                .where(row.device_code_hash == device_code_hash, row.exchanged_at_us.is_(None))
                .values(exchanged_at_us=now_us)
            )
        )


def _changed(result: Result[Any]) -> bool:
    """Whether the one-row UPDATE that gave `result` changed its row."""
    assert isinstance(result, CursorResult)  # an UPDATE's result is a cursor result
    return result.rowcount == 1


def _account(row: AccountRow) -> Account:
    return Account(
        row.account_id,
        row.email,
        row.password_hash,
        row.created_at_us,
        row.closed_at_us,
    )


def _session(row: SessionRow) -> Session:
    return Session(
        row.session_id,
        row.account_id,
        row.device_id,
        row.created_at_us,
        row.last_used_at_us,
        row.expires_at_us,
        row.revoked_at_us,
        row.profile_id,
        row.profile_kind,
        row.password_confirmed_at_us,
        row.password_confirmed_profile_id,
    )


def _revocation(row: RevocationRow) -> Revocation:
    return Revocation(
        row.sequence,
        row.account_id,
        Scope(row.scope),
        Reason(row.reason),
        row.session_id,
        row.device_id,
        row.revoked_at_us,
    )


def _device_authorization(row: DeviceAuthorizationRow) -> DeviceAuthorization:
    return DeviceAuthorization(
        device_code_hash=row.device_code_hash,
        user_code_hash=row.user_code_hash,
        client_id=row.client_id,
        device=DeviceInfo(client_id=row.device_client_id, name=row.device_name, type=row.device_type),
        ip_address=row.ip_address,
        requested_at_us=row.requested_at_us,
        expires_at_us=row.expires_at_us,
        interval_seconds=row.interval_seconds,
        status=Status(row.status),
        last_polled_at_us=row.last_polled_at_us,
        decided_at_us=row.decided_at_us,
        account_id=row.account_id,
        session_id=row.session_id,
        device_id=row.device_id,
        exchanged_at_us=row.exchanged_at_us,
    )
