"""parental_service's unit of work: one SQLAlchemy session and transaction over its repositories."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from common import db
from common.db import make_engine, make_session_factory
from parental_service.adapters import repositories
from parental_service.service_layer.unit_of_work import UnitOfWork


class SqlAlchemyUnitOfWork(db.SqlAlchemyUnitOfWork, UnitOfWork):
    def open(self, session: Session) -> None:
        self.profiles = repositories.SqlProfileRepository(session)
        self.playbacks = repositories.SqlPlaybackRepository(session)
        self.revocations = repositories.SqlRevocationLog(session)
        self.blocks = repositories.SqlBlockRepository(session)
        self.schedules = repositories.SqlScheduleRepository(session)
        self.pin_entries = repositories.SqlPinEntryRepository(session)
        self.audit = repositories.SqlAuditLog(session)


def session_factory(url: str) -> tuple[Engine, sessionmaker[Session]]:
    """The engine and session factory of the database at `url`; its schema is made by the migrations
    (bootstrap runs them), not here."""
    engine = make_engine(url)
    return engine, make_session_factory(engine)
