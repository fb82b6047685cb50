"""The SQLAlchemy unit of work: one session, one transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from parental_service.adapters import repositories
from parental_service.service_layer.unit_of_work import UnitOfWork


class SqlAlchemyUnitOfWork(UnitOfWork):
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def __enter__(self) -> SqlAlchemyUnitOfWork:
        self.session = self.session_factory()
        self.profiles = repositories.SqlProfileRepository(self.session)
        self.playbacks = repositories.SqlPlaybackRepository(self.session)
        self.revocations = repositories.SqlRevocationLog(self.session)
        self.blocks = repositories.SqlBlockRepository(self.session)
        self.schedules = repositories.SqlScheduleRepository(self.session)
        self.pin_entries = repositories.SqlPinEntryRepository(self.session)
        self.audit = repositories.SqlAuditLog(self.session)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
