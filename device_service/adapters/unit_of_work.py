"""The SQLAlchemy unit of work: one session, one transaction."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from device_service.adapters.activity_repository import SqlAlchemyActivityLog
from device_service.adapters.database import session_factory_for
from device_service.adapters.download_repository import SqlAlchemyDownloads
from device_service.adapters.repository import SqlAlchemyAppliedRevocations, SqlAlchemyDeviceRepository
from device_service.service_layer.ports import Conflict, UnitOfWork


class SqlAlchemyUnitOfWork(UnitOfWork):
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def __enter__(self) -> UnitOfWork:
        self.session = self.session_factory()
        self.devices = SqlAlchemyDeviceRepository(self.session)
        self.applied_revocations = SqlAlchemyAppliedRevocations(self.session)
        self.activity = SqlAlchemyActivityLog(self.session)
        self.downloads = SqlAlchemyDownloads(self.session)
        return self

    def __exit__(self, *exc: object) -> None:
        super().__exit__(*exc)
        self.session.close()

    def commit(self) -> None:
        try:
            self.session.commit()
        except IntegrityError as error:
            self.session.rollback()
            raise Conflict(str(error.orig)) from error

    def rollback(self) -> None:
        self.session.rollback()


__all__ = ["SqlAlchemyUnitOfWork", "session_factory_for"]
