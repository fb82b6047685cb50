"""The engine and session factory of device_service's database."""

from __future__ import annotations

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from common.db import make_engine, make_session_factory
from device_service.adapters.orm import Base


def engine_for(url: str) -> Engine:
    """common.db's engine; on SQLite every transaction takes the write lock at
    BEGIN, so two read-then-write transactions wait for each other instead of
    failing with "database is locked"."""
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _manual_transactions(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin_immediate(connection):  # type: ignore[no-untyped-def]
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def session_factory_for(url: str) -> tuple[Engine, sessionmaker[Session]]:
    """The engine and session factory, tables created if missing."""
    engine = engine_for(url)
    return engine, make_session_factory(engine, Base)
