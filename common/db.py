"""The one ORM helper module: the database engine, the session factory (built once at start-up), the
column types every service's tables share, the SQLAlchemy unit of work, and the two statements that
let concurrent replicas write one row without reading it first (`insert_missing`, `upsert`). Tables are
made by each service's migrations (common.migrations), never here."""

from __future__ import annotations

import pathlib
from types import TracebackType
from typing import Annotated, Any, Self

from sqlalchemy import BigInteger, Connection, CursorResult, Engine, String, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, mapped_column, sessionmaker

from common.errors import Unavailable
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
        if isinstance(error, DBAPIError) and (domain := as_domain_error(error)) is not None:
            raise domain from error  # a statement inside the block lost to a concurrent writer, or lost the database

    def open(self, session: Session) -> None:
        """Attach the repositories of this service to `session`."""

    def commit(self) -> None:
        try:
            self.session.commit()
        except DBAPIError as error:
            self.session.rollback()
            domain = as_domain_error(error)
            if domain is None:
                raise
            raise domain from error

    def rollback(self) -> None:
        self.session.rollback()


LOST_TO_A_CONCURRENT_WRITER = {"40001", "40P01"}
"""PostgreSQL's serialization_failure and deadlock_detected: the transaction was ended so that another
could finish."""


DATABASE_UNREACHABLE = "The database could not be reached. Try again in a moment."


def as_domain_error(error: DBAPIError) -> Conflict | Unavailable | None:
    """What a database error means to the caller: a Conflict (`as_conflict`), Unavailable when the database
    could not be reached or went away mid-transaction (PostgreSQL restarting, a dropped connection: the
    caller may retry; ABORTED and UNAVAILABLE, never INTERNAL), else None (a bug: it stays INTERNAL)."""
    conflict = as_conflict(error)
    if conflict is not None:
        return conflict
    return Unavailable(DATABASE_UNREACHABLE) if unreachable(error) else None


def unreachable(error: DBAPIError) -> bool:
    """A lost or refused connection: SQLAlchemy saw a disconnect, PostgreSQL said so (SQLSTATE class 08,
    connection exception; 57P, operator intervention such as a shutdown), or the PostgreSQL driver could
    not connect at all. SQLite's OperationalErrors (a missing table, a locked file) are not this."""
    if error.connection_invalidated:
        return True
    if str(getattr(error.orig, "pgcode", None) or "").startswith(("08", "57P")):
        return True
    return isinstance(error, OperationalError) and type(error.orig).__module__.split(".")[0] in ("psycopg2", "psycopg")


def as_conflict(error: DBAPIError) -> Conflict | None:
    """The Conflict `error` is (a unique key clash, or a transaction PostgreSQL ended for another), else None."""
    if isinstance(error, IntegrityError) or getattr(error.orig, "pgcode", None) in LOST_TO_A_CONCURRENT_WRITER:
        return Conflict(str(error.orig))
    return None


def _insert(bind: Session | Connection, table: Table | type[DeclarativeBase]) -> postgresql.Insert | sqlite.Insert:
    dialect = bind.get_bind().dialect.name if isinstance(bind, Session) else bind.dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"{dialect}: only SQLite and PostgreSQL are supported")


def insert_missing(bind: Session | Connection, table: Table | type[DeclarativeBase], values: dict[str, Any]) -> bool:
    """INSERT `values` unless a row with the same primary key exists (ON CONFLICT DO NOTHING); True if
    inserted. Under PostgreSQL a concurrent, uncommitted insert of that key makes this one wait for it:
    False once it committed, so exactly one of two racing replicas gets True."""
    result = bind.execute(_insert(bind, table).values(**values).on_conflict_do_nothing())
    assert isinstance(result, CursorResult)  # what an INSERT returns
    return result.rowcount == 1


def upsert(
    bind: Session | Connection, table: Table | type[DeclarativeBase], values: dict[str, Any], key: list[str]
) -> None:
    """INSERT `values`, or UPDATE the other columns of the row with the same `key` columns, in one
    statement: two replicas writing the same row never clash on its unique key."""
    insert = _insert(bind, table).values(**values)
    others = {name: insert.excluded[name] for name in values if name not in key}
    statement = (
        insert.on_conflict_do_update(index_elements=key, set_=others) if others else insert.on_conflict_do_nothing()
    )
    bind.execute(statement)
