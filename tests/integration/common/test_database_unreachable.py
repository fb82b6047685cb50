"""A database that goes away is UNAVAILABLE (HTTP 503, try again), never INTERNAL: a PostgreSQL restart ends
every connection mid-transaction, and refuses new ones until it is back (common.db.as_domain_error)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from common.db import DATABASE_UNREACHABLE, SqlAlchemyUnitOfWork, make_engine, make_session_factory
from common.errors import Unavailable
from tests.postgres import SERVER_URL, postgres_schema_url
from tests.support import free_port

pytestmark = pytest.mark.postgres


def test_a_connection_the_server_ends_mid_transaction_is_unavailable_and_the_next_one_works():
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with postgres_schema_url() as url:
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        try:
            with pytest.raises(Unavailable, match=DATABASE_UNREACHABLE), SqlAlchemyUnitOfWork(sessions) as uow:
                backend = uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
                with admin.connect() as db:  # what a restart does to every connection
                    db.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
                uow.session.execute(text("SELECT 1"))
            with SqlAlchemyUnitOfWork(sessions) as uow:  # the pool checks connections before lending them
                assert uow.session.execute(text("SELECT 1")).scalar_one() == 1
        finally:
            engine.dispose()
            admin.dispose()


def test_a_server_that_refuses_connections_is_unavailable():
    engine = make_engine(f"postgresql+psycopg2://postgres@127.0.0.1:{free_port()}/test?connect_timeout=2")
    try:
        with pytest.raises(Unavailable), SqlAlchemyUnitOfWork(make_session_factory(engine)) as uow:
            uow.session.execute(text("SELECT 1"))
    finally:
        engine.dispose()


def test_a_bug_stays_a_bug():
    """A statement that cannot work (here: no such table) is not the database being away."""
    engine = make_engine("sqlite://")
    with (
        pytest.raises(OperationalError, match="no such table"),
        SqlAlchemyUnitOfWork(make_session_factory(engine)) as uow,
    ):
        uow.session.execute(text("SELECT * FROM missing"))
