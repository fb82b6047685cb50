"""The one ORM helper module: the database engine, the session factory (built once at start-up), the
column types every service's tables share, and the SQLAlchemy unit of work. Tables are made by each
service's migrations (common.migrations), never here."""

from __future__ import annotations

import pathlib
from types import TracebackType
from typing import Annotated, Any, Self

from sqlalchemy import BigInteger, Engine, String, create_engine, event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, mapped_column, sessionmaker

from common.unit_of_work import Conflict, UnitOfWork

Id = Annotated[str, mapped_column(String(64))]
"""An identifier column (uuid4 strings and the like)."""
Micros = Annotated[int, mapped_column(BigInteger)]
"""A time column: microseconds since the epoch."""


def make_engine(url: str) -> Engine:
    """An engine for `url`.

    SQLite files get WAL, full sync, foreign keys, and transactions that take
    the write lock at BEGIN (BEGIN IMMEDIATE): two read-then-write transactions
    then wait for each other instead of one failing with "database is locked"
    when its snapshot went stale while the other committed.
    """
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
            dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event below starts transactions

        @event.listens_for(engine, "begin")
        def _begin_immediate(connection: Any) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """The session factory of `engine`. It creates no table: common.migrations makes the schema."""
    return sessionmaker(engine, expire_on_commit=False)


class SqlAlchemyUnitOfWork(UnitOfWork):
    """One session, one transaction; subclasses attach their repositories in `open`."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def __enter__(self) -> Self:
        self.session = self.sessions()
        self.open(self.session)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        super().__exit__(kind, error, traceback)
        self.session.close()

    def open(self, session: Session) -> None:
        """Attach the repositories of this service to `session`."""

    def commit(self) -> None:
        try:
            self.session.commit()
        except IntegrityError as error:
            self.session.rollback()
            raise Conflict(str(error.orig)) from error

    def rollback(self) -> None:
        self.session.rollback()
