"""Every service's migration history, on SQLite and on a PostgreSQL database of its own: from nothing to head
the schema is exactly what the models declare (an empty autogenerate diff); "0001" is exactly what
`create_all` made before migrations; upgrading keeps every row; a database made before migrations is
stamped and upgraded by the start-up path; and without MIGRATE_ON_START an old schema refuses to start."""

from __future__ import annotations

import contextlib
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import BigInteger, Column, Engine, LargeBinary, MetaData, String, Table, inspect

from common.db import make_engine
from common.migrations import INITIAL, History, SchemaNotAtHead, current, head, prepare_schema, upgrade
from tests.postgres import postgres_database_url
from tests.schema import AUTH, DEVICE, HISTORIES, PARENTAL, made_by_create_all, one_row_everywhere, rows_now


def schema_diff(engine: Engine, history: History, metadata: MetaData) -> list[object]:
    """Alembic autogenerate's diff between the database and `metadata` (empty when they agree)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"version_table": history.version_table, "compare_type": True, "compare_server_default": True},
        )
        return list(compare_metadata(context, metadata))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def new_database(request, tmp_path):
    """Makes empty databases: SQLite files, or PostgreSQL databases made for the test and dropped after."""
    with contextlib.ExitStack() as cleanup:

        def new() -> Engine:
            if request.param == "sqlite":
                url = f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.db'}"
            else:
                url = cleanup.enter_context(postgres_database_url())
            engine = make_engine(url)
            cleanup.callback(engine.dispose)
            return engine

        yield new


@pytest.fixture
def engine(new_database) -> Engine:
    return new_database()


@pytest.fixture(params=sorted(HISTORIES))
def history(request) -> History:
    return HISTORIES[request.param]


def test_an_empty_database_upgrades_to_head_and_then_is_exactly_what_the_models_declare(engine, history):
    done = upgrade(engine, history)

    assert (done.before, done.after) == (None, head(history))
    assert current(engine, history) == head(history)
    assert schema_diff(engine, history, history.metadata) == []


def test_upgrading_again_does_nothing(engine, history):
    upgrade(engine, history)
    again = upgrade(engine, history)

    assert (again.before, again.after, again.changed) == (head(history), head(history), False)


def test_revision_0001_is_exactly_what_create_all_made_before_migrations(engine, history):
    upgrade(engine, history, INITIAL)

    assert current(engine, history) == INITIAL
    assert schema_diff(engine, history, made_by_create_all(history)) == []


def test_revision_0001_makes_what_create_all_made_column_for_column(new_database, history):
    """Beyond autogenerate's diff: every column's reflected type, nullability, default and autoincrement (a
    PostgreSQL BIGSERIAL, say), every key, index and unique constraint with its name, as the database tells."""
    by_create_all, by_migration = new_database(), new_database()
    made_by_create_all(history).create_all(by_create_all)
    upgrade(by_migration, history, INITIAL)

    assert everything_reflected(by_migration) == everything_reflected(by_create_all)


def everything_reflected(engine: Engine) -> dict[str, object]:
    found = inspect(engine)
    return {
        table: {
            "columns": [{**column, "type": str(column["type"])} for column in found.get_columns(table)],
            "primary_key": found.get_pk_constraint(table),
            "foreign_keys": found.get_foreign_keys(table),
            "indexes": sorted(found.get_indexes(table), key=lambda index: str(index["name"])),
            "unique": sorted(found.get_unique_constraints(table), key=lambda unique: str(unique["name"])),
        }
        for table in found.get_table_names()
        if not table.startswith("alembic_version")
    }


def test_upgrading_from_0001_keeps_every_row(engine, history):
    upgrade(engine, history, INITIAL)
    before = one_row_everywhere(engine)

    upgrade(engine, history)

    after = rows_now(engine)
    assert set(after) == set(history.metadata.tables)
    for table, rows in after.items():
        if table not in before:  # made by a later revision
            assert rows == [], table
            continue
        (row,) = rows
        kept = {name: value for name, value in row.items() if name in before[table]}
        assert kept == {name: value for name, value in before[table].items() if name in row}, table


def test_a_database_made_before_migrations_is_stamped_0001_then_upgraded_at_start(engine, history):
    made_by_create_all(history).create_all(engine)
    before = one_row_everywhere(engine)

    prepare_schema(engine, history, migrate=True)  # what each service's bootstrap runs

    assert current(engine, history) == head(history)
    assert schema_diff(engine, history, history.metadata) == []
    counts = {table: len(rows) for table, rows in rows_now(engine).items()}
    assert counts == dict.fromkeys(before, 1) | dict.fromkeys(set(counts) - set(before), 0)


def test_without_migrate_on_start_a_schema_behind_head_refuses_to_start(engine, history):
    with pytest.raises(SchemaNotAtHead) as empty:
        prepare_schema(engine, history, migrate=False)
    made_by_create_all(history).create_all(engine)
    with pytest.raises(SchemaNotAtHead) as unstamped:
        prepare_schema(engine, history, migrate=False)

    needed, command = head(history), f"run `python -m {history.service} migrate`"
    assert str(empty.value) == f"database schema is at nothing (empty database), this release needs {needed}: {command}"
    assert str(unstamped.value) == (
        f"database schema is at nothing (made before migrations), this release needs {needed}: {command}"
    )
    upgrade(engine, history)
    prepare_schema(engine, history, migrate=False)  # at head: starts


def test_auth_service_at_0001_refuses_to_start_without_migrate_on_start(engine):
    upgrade(engine, AUTH, INITIAL)

    with pytest.raises(SchemaNotAtHead) as refused:
        prepare_schema(engine, AUTH, migrate=False)

    assert str(refused.value) == (
        "database schema is at 0001, this release needs 0003: run `python -m auth_service migrate`"
    )


def test_a_database_made_before_migrations_without_all_of_its_tables_is_not_stamped(engine):
    made_by_create_all(DEVICE).tables["devices"].create(engine)

    with pytest.raises(SystemExit, match="lacks the tables applied_revocations, downloads, feed_cursor"):
        upgrade(engine, DEVICE)
    assert current(engine, DEVICE) is None


def test_a_schema_from_a_newer_release_is_named_not_migrated(engine):
    upgrade(engine, PARENTAL)
    with engine.begin() as db:
        db.execute(
            Table(PARENTAL.version_table, MetaData(), Column("version_num", String(32))).update(),
            {"version_num": "9999"},
        )

    with pytest.raises(SystemExit, match="at 9999, which this release does not know"):
        upgrade(engine, PARENTAL)


def test_auth_service_0002_drops_the_legacy_signing_keys_table_with_its_secrets(engine):
    made_by_create_all(AUTH).create_all(engine)
    legacy = Table(
        "signing_keys",
        MetaData(),
        Column("key_id", String(32), primary_key=True),
        Column("secret", LargeBinary(64)),
        Column("created_at_us", BigInteger),
    )
    legacy.create(engine)
    with engine.begin() as db:
        db.execute(legacy.insert().values(key_id="k1", secret=b"hmac secret", created_at_us=1))

    prepare_schema(engine, AUTH, migrate=True)

    assert "signing_keys" not in rows_now(engine)
    assert schema_diff(engine, AUTH, AUTH.metadata) == []
