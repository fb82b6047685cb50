"""The SQLAlchemy implementation of the service layer's Store and Repository."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import sessionmaker

from auth_service.adapters.orm import AccountRow, Base, RefreshTokenRow, RevocationRow, SessionRow
from auth_service.domain.model import Account, Reason, RefreshToken, Revocation, Scope, Session
from auth_service.service_layer.ports import Repository, Store
from common.db import make_session_factory


class SqlAlchemyRepository(Repository):
    def __init__(self, db: DbSession) -> None:
        self.db = db

    def add_account(self, account: Account) -> None:
        self.db.add(AccountRow(**vars(account)))
        self.db.flush()

    def get_account(self, account_id: str) -> Account | None:
        row = self.db.get(AccountRow, account_id)
        return _account(row) if row else None

    def get_account_by_email(self, email: str) -> Account | None:
        row = self.db.scalars(select(AccountRow).where(AccountRow.email == email)).first()
        return _account(row) if row else None

    def update_account(self, account: Account) -> None:
        row = self.db.get(AccountRow, account.account_id)
        assert row is not None
        for field, value in vars(account).items():
            setattr(row, field, value)

    def add_session(self, session: Session) -> None:
        self.db.add(SessionRow(**vars(session)))
        self.db.flush()

    def get_session(self, session_id: str) -> Session | None:
        row = self.db.get(SessionRow, session_id)
        return _session(row) if row else None

    def touch_session(self, session_id: str, last_used_at_us: int) -> None:
        self.db.execute(
            update(SessionRow).where(SessionRow.session_id == session_id).values(last_used_at_us=last_used_at_us)
        )

    def set_session_profile(self, session_id: str, profile_id: str, profile_kind: str) -> None:
        self.db.execute(
            update(SessionRow).where(SessionRow.session_id == session_id)
            .values(profile_id=profile_id, profile_kind=profile_kind)
        )

    def mark_session_revoked(self, session_id: str, revoked_at_us: int) -> None:
        self.db.execute(
            update(SessionRow)
            .where(SessionRow.session_id == session_id, SessionRow.revoked_at_us.is_(None))
            .values(revoked_at_us=revoked_at_us)
        )

    def add_refresh_token(self, token: RefreshToken) -> None:
        self.db.add(RefreshTokenRow(**vars(token)))

    def get_refresh_token(self, token_hash: str) -> RefreshToken | None:
        row = self.db.get(RefreshTokenRow, token_hash)
        return RefreshToken(row.token_hash, row.session_id, row.created_at_us, row.used_at_us) if row else None

    def spend_refresh_token(self, token_hash: str, used_at_us: int) -> bool:
        result = self.db.execute(
            update(RefreshTokenRow)
            .where(RefreshTokenRow.token_hash == token_hash, RefreshTokenRow.used_at_us.is_(None))
            .values(used_at_us=used_at_us)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    def add_revocation(self, revocation: Revocation) -> Revocation:
        if self.db.get_bind().dialect.name == "postgresql":
            # Writers take turns, so sequences commit in order and a feed reader's
            # cursor never skips an entry that commits late. (SQLite has one writer.)
            self.db.execute(text("LOCK TABLE revocations IN SHARE ROW EXCLUSIVE MODE"))
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

    def list_revocations(self, after_sequence: int, limit: int) -> list[Revocation]:
        rows = self.db.scalars(
            select(RevocationRow).where(RevocationRow.sequence > after_sequence).order_by(RevocationRow.sequence)
            .limit(limit)
        )
        return [_revocation(row) for row in rows]

    def last_sequence(self) -> int:
        return int(self.db.scalar(select(func.coalesce(func.max(RevocationRow.sequence), 0))) or 0)


class SqlAlchemyStore(Store):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions: sessionmaker[DbSession] = make_session_factory(engine, Base)

    @contextmanager
    def transaction(self) -> Iterator[Repository]:
        with self.sessions.begin() as db:
            yield SqlAlchemyRepository(db)

    @asynccontextmanager
    async def committing_off_loop(self) -> AsyncIterator[Repository]:
        db = self.sessions()
        try:
            yield SqlAlchemyRepository(db)
            await asyncio.to_thread(db.commit)
        except BaseException:
            db.rollback()
            raise
        finally:
            db.close()


def _account(row: AccountRow) -> Account:
    return Account(
        row.account_id, row.email, row.password_hash, row.created_at_us, row.closed_at_us, row.failed_sign_ins,
        row.throttled_until_us,
    )


def _session(row: SessionRow) -> Session:
    return Session(
        row.session_id, row.account_id, row.device_id, row.created_at_us, row.last_used_at_us, row.expires_at_us,
        row.revoked_at_us, row.profile_id, row.profile_kind,
    )


def _revocation(row: RevocationRow) -> Revocation:
    return Revocation(
        row.sequence, row.account_id, Scope(row.scope), Reason(row.reason), row.session_id, row.device_id,
        row.revoked_at_us,
    )
