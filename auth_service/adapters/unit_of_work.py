"""auth_service's unit of work on SQLAlchemy: one session, one transaction, its six repositories."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from auth_service.adapters.repository import (
    SqlAlchemyAccounts,
    SqlAlchemyDeviceAuthorizations,
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
        self.device_authorizations = SqlAlchemyDeviceAuthorizations(session)


def unit_of_work_factory(engine: Engine) -> UnitOfWorkFactory:
    """What makes a fresh unit of work per call, on `engine`, whose schema is at head (the migrations
    made it: auth_service.bootstrap)."""
    sessions: sessionmaker[Session] = make_session_factory(engine)
    return lambda: SqlAlchemyAuthUnitOfWork(sessions)
