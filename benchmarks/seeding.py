"""Bulk-inserting stored sessions straight into auth_service's tables (no argon2, no RPCs)."""

from __future__ import annotations

import io
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, cast

from sqlalchemy import Table, create_engine

if TYPE_CHECKING:
    import psycopg2.extensions

from auth_service.adapters.migrations import HISTORY
from auth_service.adapters.orm import AccountRow, SessionRow
from common.clock import now_us
from common.db import make_engine
from common.migrations import upgrade

POSTGRES_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
POSTGRES_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=test"
ACCOUNTS = 1000
DAY_US = 24 * 3600 * 1_000_000


SESSION_FIELDS = (
    "session_id",
    "account_id",
    "device_id",
    "created_at_us",
    "last_used_at_us",
    "expires_at_us",
    "revoked_at_us",
)
ACCOUNT_FIELDS = (
    "account_id",
    "email",
    "password_hash",
    "created_at_us",
    "closed_at_us",
)


def _columns(table: Table, fields: tuple[str, ...]) -> tuple[list[str], tuple[object, ...]]:
    """Every column of `table` and the constant tail of values for those not in `fields` (their defaults),
    so seeding keeps working when the ORM gains a column with a default."""
    names = list(fields)
    tail = []
    for column in table.columns:
        if column.name not in fields:
            default = (
                getattr(column.default, "arg", None)
                if column.default is not None and column.default.is_scalar
                else None
            )
            names.append(column.name)
            tail.append(default)
    return names, tuple(tail)


def _session_rows(count: int, account_ids: list[str]) -> tuple[list[str], Iterator[tuple[object, ...]]]:
    names, tail = _columns(cast(Table, SessionRow.__table__), SESSION_FIELDS)

    def rows() -> Iterator[tuple[object, ...]]:
        now = now_us()
        base = uuid.uuid4().int >> 32 << 32
        for i in range(count):
            yield (
                str(uuid.UUID(int=base | i)),
                account_ids[i % len(account_ids)],
                f"device-{i % 5000:08d}",
                now - DAY_US,
                now - DAY_US,
                now + 300 * DAY_US,
                None,
                *tail,
            )

    return names, rows()


def _account_rows(prefix: str) -> tuple[list[str], list[tuple[object, ...]]]:
    names, tail = _columns(cast(Table, AccountRow.__table__), ACCOUNT_FIELDS)
    now = now_us()
    return names, [
        (f"{prefix}-account-{i:08d}", f"{prefix}-{i}@seed.example.com", "$argon2id$seeded", now, None, *tail)
        for i in range(ACCOUNTS)
    ]


def _insert(db: sqlite3.Connection, table: str, names: list[str], rows: Iterable[tuple[object, ...]]) -> None:
    marks = ", ".join("?" for _ in names)
    db.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", rows)


def _copy(cur: psycopg2.extensions.cursor, table: str, names: list[str], rows: Iterable[tuple[object, ...]]) -> None:
    cur.copy_expert(f"COPY {table} ({', '.join(names)}) FROM STDIN", _tsv(rows))


def seed_sqlite(path: str, sessions: int, prefix: str = "seed") -> None:
    """Make auth_service's tables in the SQLite file (its migrations); insert `sessions` sessions over 1,000
    accounts."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, HISTORY)
    engine.dispose()
    account_names, accounts = _account_rows(prefix)
    db = sqlite3.connect(path)
    try:
        with db:
            _insert(db, "accounts", account_names, accounts)
            _insert(db, "sessions", *_session_rows(sessions, [str(a[0]) for a in accounts]))
    finally:
        db.close()


def insert_sqlite_sessions(path: str, account_id: str, count: int) -> None:
    """Add `count` sessions of one existing account to a running service's SQLite file (WAL)."""
    db = sqlite3.connect(path, timeout=30)
    try:
        with db:
            _insert(db, "sessions", *_session_rows(count, [account_id]))
    finally:
        db.close()


def postgres_available() -> bool:
    try:
        import psycopg2

        psycopg2.connect(POSTGRES_DSN, connect_timeout=3).close()
        return True
    except Exception:
        return False


def postgres_url(schema: str) -> str:
    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"


def seed_postgres(schema: str, sessions: int) -> str:
    """A fresh schema with auth_service's tables and `sessions` sessions (COPY); returns its URL."""
    import psycopg2

    drop_postgres(schema)
    conn = psycopg2.connect(POSTGRES_DSN)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(f'CREATE SCHEMA "{schema}"')
        engine = create_engine(postgres_url(schema))
        upgrade(engine, HISTORY)
        engine.dispose()
        account_names, accounts = _account_rows(schema)
        with conn, conn.cursor() as cur:
            cur.execute(f'SET search_path TO "{schema}"')
            _copy(cur, "accounts", account_names, accounts)
            _copy(cur, "sessions", *_session_rows(sessions, [str(a[0]) for a in accounts]))
            cur.execute("ANALYZE sessions")
    finally:
        conn.close()
    return postgres_url(schema)


def drop_postgres(schema: str) -> None:
    import psycopg2

    conn = psycopg2.connect(POSTGRES_DSN)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        conn.close()


def _tsv(rows: Iterable[tuple[object, ...]]) -> io.StringIO:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(r"\N" if v is None else str(v) for v in row))
        buffer.write("\n")
    buffer.seek(0)
    return buffer
