"""device_service's unit of work: one SQLAlchemy session and transaction over its repositories."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from common import db
from common.db import make_engine, make_session_factory
from device_service.adapters.repositories import (
    SqlAlchemyActivityLog,
    SqlAlchemyAppliedRevocations,
    SqlAlchemyDeviceRepository,
    SqlAlchemyDownloads,
)
from device_service.service_layer.unit_of_work import UnitOfWork


class SqlAlchemyUnitOfWork(db.SqlAlchemyUnitOfWork, UnitOfWork):
    def open(self, session: Session) -> None:
        self.devices = SqlAlchemyDeviceRepository(session)
        self.applied_revocations = SqlAlchemyAppliedRevocations(session)
        self.activity = SqlAlchemyActivityLog(session)
        self.downloads = SqlAlchemyDownloads(session)


def session_factory(url: str) -> tuple[Engine, sessionmaker[Session]]:
    """The engine and session factory of the database at `url`; its schema is made by the migrations
    (bootstrap runs them), not here."""
    engine = make_engine(url)
    return engine, make_session_factory(engine)
