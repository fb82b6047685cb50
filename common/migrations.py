"""Schema migrations: one Alembic history per service, run from code (no alembic.ini at run time).

Each service describes its history once (`History`, in `<service>/adapters/migrations/__init__.py`) and
its env.py hands that to `run_environment`. Start-up and `python -m <service> migrate` go through
`prepare_schema` and `upgrade`; nothing in production creates tables any other way.

Why the pieces are as they are:
- One transaction for the whole upgrade, on PostgreSQL behind `pg_advisory_xact_lock` (one key per
  version table): replicas that all run `migrate` at once queue on the lock, the first upgrades, the
  others then find the schema at head. Nothing in-process stands in for that guarantee.
- SQLite rebuilds a table to drop a column (Alembic's batch mode): with foreign keys enforced, dropping
  the old copy of a referenced table would fail, so an upgrade runs with `foreign_keys=OFF` (it can
  only change outside a transaction), checks every key before it commits, and turns them back on.
- A database made before migrations existed (by `create_all`) has this service's tables and no
  version table: it is stamped "0001" (today's schema when migrations came) and upgraded from there.
"""

from __future__ import annotations

import contextlib
import logging
import pathlib
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, MetaData, inspect, text

from common.db import make_engine

log = logging.getLogger(__name__)

INITIAL = "0001"
"""Every history's first revision: the schema `create_all` made before migrations existed."""


class _OnlyTheSteps(logging.Filter):
    """Alembic names its dialect each time a migration context opens (a few times per start): keep only
    what it does."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(("Context impl", "Will assume"))


logging.getLogger("alembic.runtime.migration").addFilter(_OnlyTheSteps())

_alembic_state = threading.Lock()
"""Alembic's `context` and `op` are module-wide proxies: two upgrades in one process take turns (this says
nothing about other processes; the database's own lock does)."""


@dataclass(frozen=True)
class History:
    """One service's migration history and what its head must match."""

    service: str
    """The process name: the `migrate` command's output starts with it, and refusals name its command."""
    script_location: pathlib.Path
    """The folder holding env.py, script.py.mako and versions/."""
    version_table: str
    metadata: MetaData
    """The service's tables as its ORM declares them: autogenerate's target, the schema at head."""
    initial_tables: frozenset[str]
    """The tables of revision "0001": some of them and no version table means a database made before
    migrations."""

    def config(self, connection: Connection | None = None) -> Config:
        """An Alembic Config built in code; env.py runs on `connection` when given."""
        config = Config()
        config.set_main_option("script_location", str(self.script_location))
        config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
        config.attributes["history"] = self
        if connection is not None:
            config.attributes["connection"] = connection
        return config

    def lock_key(self) -> int:
        """The PostgreSQL advisory lock key of this history (a signed 32-bit number, stable across processes)."""
        return zlib.crc32(self.version_table.encode()) - 2**31


class SchemaNotAtHead(SystemExit):
    """The database's schema is not what this release needs, and this process may not migrate it.

    Like every refusal to start, its message follows the process name on one line (common.runner):
    `auth_service cannot start: database schema is at 0001, this release needs 0002: run ...`."""


@dataclass(frozen=True)
class Upgrade:
    """What `upgrade` did: `before` is None for an empty database."""

    before: str | None
    after: str
    made_before_migrations: bool = False

    @property
    def changed(self) -> bool:
        return self.made_before_migrations or self.before != self.after

    def describe(self, service: str) -> str:
        """One line for the log or the `migrate` command."""
        if self.made_before_migrations:
            then = " (head)" if self.after == INITIAL else f", upgraded to {self.after}"
            return f"{service}: database schema made before migrations: stamped {INITIAL}{then}"
        if not self.changed:
            return f"{service}: database schema is at {self.after} (head), nothing to do"
        return f"{service}: database schema upgraded from {self.before or 'nothing (empty database)'} to {self.after}"


def head(history: History) -> str:
    """The revision this release's code needs."""
    found = ScriptDirectory.from_config(history.config()).get_current_head()
    if found is None:
        raise RuntimeError(f"{history.service}: no migration in {history.script_location}")
    return found


def current(target: Engine | str, history: History) -> str | None:
    """The revision the database is at; None when it has no version table (empty, or made before migrations)."""
    with _engine(target) as engine, engine.connect() as connection:
        return _current(connection, history)


def upgrade(target: Engine | str, history: History, to: str = "head") -> Upgrade:
    """Upgrade the database to head (or `to`), in one transaction (PostgreSQL: behind the history's
    advisory lock)."""
    with _engine(target) as engine, _migrating(engine, history) as connection:
        before = _current(connection, history)
        legacy = before is None and _made_before_migrations(connection, history)
        _check_known(before, history)
        with _alembic_state:
            if legacy:
                command.stamp(history.config(connection), INITIAL)
            command.upgrade(history.config(connection), to)
        after = _current(connection, history)
    assert after is not None
    return Upgrade(INITIAL if legacy else before, after, legacy)


def prepare_schema(target: Engine | str, history: History, *, migrate: bool) -> None:
    """At start-up: upgrade to head (MIGRATE_ON_START, the default), or refuse to start unless at head."""
    if migrate:
        done = upgrade(target, history)
        if done.changed:
            log.info("%s", done.describe(history.service))
        return
    with _engine(target) as engine, engine.connect() as connection:
        at = _current(connection, history)
        legacy = at is None and _made_before_migrations(connection, history)
    needed = head(history)
    if at != needed:
        where = f"nothing ({'made before migrations' if legacy else 'empty database'})" if at is None else at
        raise SchemaNotAtHead(
            f"database schema is at {where}, this release needs {needed}: run `python -m {history.service} migrate`"
        )


def run_environment(history: History) -> None:
    """The body of every env.py: configure Alembic's context for `history` and run what was asked.

    Called by `upgrade` (a connection in `config.attributes`), or by the `alembic` command line with
    the repository's alembic.ini (`alembic -n <service> ...`), which names a database by URL.
    """
    from alembic import context  # a proxy Alembic sets only while it runs env.py

    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection, history)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError(f"{history.service}: no connection given and no sqlalchemy.url in the alembic config")
    engine = make_engine(url)
    try:
        with _migrating(engine, history) as opened:
            _configure_and_run(opened, history)
    finally:
        engine.dispose()


def _configure_and_run(connection: Connection, history: History) -> None:
    from alembic import context

    context.configure(
        connection=connection,
        target_metadata=history.metadata,
        version_table=history.version_table,
        render_as_batch=True,  # SQLite alters a table by rebuilding it
        compare_type=True,
        compare_server_default=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _current(connection: Connection, history: History) -> str | None:
    context = MigrationContext.configure(connection, opts={"version_table": history.version_table})
    return context.get_current_revision()


def _made_before_migrations(connection: Connection, history: History) -> bool:
    """True when the database holds this service's tables but no version table; SystemExit when only some."""
    present = history.initial_tables & set(inspect(connection).get_table_names())
    if not present:
        return False
    missing = history.initial_tables - present
    if missing:
        raise SystemExit(
            "the database was made before migrations but lacks the tables "
            f"{', '.join(sorted(missing))}: it cannot be stamped {INITIAL}; start from an empty database"
        )
    return True


def _check_known(revision: str | None, history: History) -> None:
    if revision is None:
        return
    script = ScriptDirectory.from_config(history.config())
    try:
        script.get_revision(revision)
    except (CommandError, RevisionError):
        raise SystemExit(
            f"database schema is at {revision}, which this release does not know "
            f"(its newest is {head(history)}): a newer release migrated it"
        ) from None


@contextlib.contextmanager
def _engine(target: Engine | str) -> Iterator[Engine]:
    """`target` itself, or an engine for the URL, disposed after."""
    if isinstance(target, Engine):
        yield target
        return
    engine = make_engine(target)
    try:
        yield engine
    finally:
        engine.dispose()


@contextlib.contextmanager
def _migrating(engine: Engine, history: History) -> Iterator[Connection]:
    """A connection in one transaction for a whole upgrade: PostgreSQL holds the history's advisory lock
    until commit; SQLite enforces no foreign keys while tables are rebuilt."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _pragma(connection, "foreign_keys=OFF")
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": history.lock_key()})
                yield connection
                if sqlite:
                    _check_foreign_keys(connection)
        finally:
            if sqlite:
                _pragma(connection, "foreign_keys=ON")


def _check_foreign_keys(connection: Connection) -> None:
    """With enforcement off, a migration could leave a row pointing nowhere: refuse to commit that."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration leaves rows whose foreign keys point nowhere: {broken[:5]}")


def _pragma(connection: Connection, setting: str) -> None:
    """Run a PRAGMA on the driver's connection, outside any transaction (where SQLite ignores some)."""
    driver = connection.connection.dbapi_connection
    assert driver is not None
    cursor = driver.cursor()
    cursor.execute(f"PRAGMA {setting}")
    cursor.close()
