"""A throw-away PostgreSQL schema (or database) per test, on the server at 127.0.0.1:5432."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from tests.support import require_service

SERVER_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")


@contextmanager
def postgres_schema_url() -> Iterator[str]:
    """A URL whose connections use a new, empty schema, dropped afterwards."""
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as db:
            db.execute(text(f"CREATE SCHEMA {schema}"))
    except OperationalError as error:
        admin.dispose()
        require_service(f"PostgreSQL at {SERVER_URL} is not reachable: {error.orig}")
    try:
        yield f"{SERVER_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as db:
            db.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@contextmanager
def postgres_database_url(prefix: str = "migrations") -> Iterator[str]:
    """A URL of a new, empty database of its own (not a schema: what a service gets in a deployment),
    dropped afterwards, even with connections still open."""
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as db:
            db.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        require_service(f"PostgreSQL at {SERVER_URL} is not reachable: {error.orig}")
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as db:
            db.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
