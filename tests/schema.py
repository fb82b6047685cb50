"""Test databases get their schema as production does: the service's migrations (common.migrations);
and the helpers that make and read the databases of before migrations.

Measured on this machine: an upgrade from nothing to head takes 6-12 ms on a SQLite file or in memory
(`create_all`: 1.5-4 ms) and about 27 ms in a fresh PostgreSQL schema (`create_all`: about 17 ms): cheap
enough that no test needs a second, test-only way to make tables.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Engine, Integer, MetaData, select

from auth_service.adapters.migrations import HISTORY as AUTH
from common.db import make_engine
from common.migrations import History, upgrade
from device_service.adapters.migrations import HISTORY as DEVICE
from parental_service.adapters.migrations import HISTORY as PARENTAL


def migrated_engine(url: str, history: History) -> Engine:
    """An engine on `url` whose schema is at `history`'s head."""
    engine = make_engine(url)
    upgrade(engine, history)
    return engine


HISTORIES = {"auth_service": AUTH, "device_service": DEVICE, "parental_service": PARENTAL}


def made_by_create_all(history: History) -> MetaData:
    """The tables `create_all` made before migrations existed (what "0001" must equal): today's models, with
    for auth_service the two throttle columns its "0002" drops and without the table its "0003" adds
    (`device_authorizations`), and for device_service without what its "0002" adds (the account cutoffs,
    `devices.cutoff_sequence`, `ix_downloads_active`)."""
    metadata = MetaData()
    for table in history.metadata.sorted_tables:
        if (history is DEVICE and table.name == "account_cutoffs") or (
            history is AUTH and table.name == "device_authorizations"
        ):
            continue
        table.to_metadata(metadata)
    if history is DEVICE:
        devices, downloads = metadata.tables["devices"], metadata.tables["downloads"]
        devices._columns.remove(devices.c.cutoff_sequence)  # no public API removes a column from a Table
        downloads.indexes.difference_update(
            {index for index in downloads.indexes if index.name == "ix_downloads_active"}
        )
    if history is AUTH:
        accounts = metadata.tables["accounts"]
        accounts.append_column(Column("failed_sign_ins", Integer, nullable=False))
        accounts.append_column(Column("throttled_until_us", BigInteger, nullable=False))
    return metadata


def one_row_everywhere(engine: Engine) -> dict[str, dict[str, object]]:
    """Insert one row in every table the database has (foreign keys hold: every string is "k"); returns them."""
    reflected = MetaData()
    reflected.reflect(engine)
    rows: dict[str, dict[str, object]] = {}
    with engine.begin() as db:
        for table in reflected.sorted_tables:
            if table.name.startswith("alembic_version"):
                continue
            row = {column.name: value_for(column) for column in table.columns}
            db.execute(table.insert().values(row))
            rows[table.name] = row
    return rows


def value_for(column: Column[object]) -> object:
    python_type = column.type.python_type
    return {str: "k", int: 7, bytes: b"k"}[python_type]


def rows_now(engine: Engine) -> dict[str, list[dict[str, object]]]:
    reflected = MetaData()
    reflected.reflect(engine)
    with engine.connect() as db:
        return {
            table.name: [dict(row._mapping) for row in db.execute(select(table))]
            for table in reflected.sorted_tables
            if not table.name.startswith("alembic_version")
        }
