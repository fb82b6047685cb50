"""auth_service's unit of work on SQLAlchemy: one session, one transaction, its five repositories."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from auth_service.adapters.orm import Base
from auth_service.adapters.repository import (
    SqlAlchemyAccounts,
    SqlAlchemyKnownDevices,
    SqlAlchemyRefreshTokens,
    SqlAlchemyRevocations,
    SqlAlchemySessions,
)
from auth_service.service_layer.unit_of_work import AuthUnitOfWork, UnitOfWorkFactory
from common.db import SqlAlchemyUnitOfWork, make_session_factory


class SqlAlchemyAuthUnitOfWork(SqlAlchemyUnitOfWork, AuthUnitOfWork):
    def open(self, session: Session) -> None:
        self.accounts = SqlAlchemyAccounts(session)
        self.account_sessions = SqlAlchemySessions(session)
        self.refresh_tokens = SqlAlchemyRefreshTokens(session)
        self.revocations = SqlAlchemyRevocations(session)
        self.known_devices = SqlAlchemyKnownDevices(session)


def unit_of_work_factory(engine: Engine) -> UnitOfWorkFactory:
    """Create auth_service's tables if missing (database work: call it off the event loop) and return
    what makes a fresh unit of work per call."""
    sessions: sessionmaker[Session] = make_session_factory(engine, Base)
    return lambda: SqlAlchemyAuthUnitOfWork(sessions)
