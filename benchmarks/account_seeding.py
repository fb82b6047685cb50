"""Accounts with N signed-in devices, as N first sign-ins leave them, in a second instead of N argon2 hashes.

A first sign-in writes, in device_service, the device's row and a SIGN_IN entry
of its streaming activity, and in auth_service, the session on that device (plus
a refresh token and a known device, which no sign-out reads). `SignedInDevices`
has the services' own repositories build those rows once from the domain objects
a sign-in makes (`Device.first_sign_in`, `StreamingActivity.of`, auth's
`Session`), handed a `_Rows` that stands in for the SQLAlchemy session and keeps
what they add. `insert` then writes a copy for one account, every identifier
fresh, with one bulk INSERT per table, on SQLite or PostgreSQL alike.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from sqlalchemy import Engine, Table, insert
from sqlalchemy.orm import Session as DbSession

from auth_service.adapters.repository import SqlAlchemySessions
from auth_service.domain.model import Session
from common.clock import now_us
from device_service.adapters.repositories import SqlAlchemyActivityLog, SqlAlchemyDeviceRepository
from device_service.domain.activity import StreamingActivity, StreamingKind
from device_service.domain.model import LOCAL_NETWORK, Device, DeviceDetails, DeviceType

DAY_US = 24 * 3600 * 1_000_000
PLACEHOLDER_ACCOUNT = "seeded-account"

Rows = list[tuple[Table, list[dict[str, object]]]]


class _Rows:
    """What a repository needs of a SQLAlchemy session to add new rows: nothing is found, every row added is kept."""

    def __init__(self) -> None:
        self.added: list[Any] = []

    def get(self, *_: object) -> None:
        return None

    def add(self, row: object) -> None:
        self.added.append(row)

    def flush(self) -> None:
        pass

    def session(self) -> DbSession:
        return cast(DbSession, self)

    def by_table(self) -> Rows:
        """The rows added, as column values per table (column defaults filled in as the ORM would)."""
        tables: dict[Table, list[dict[str, object]]] = {}
        for row in self.added:
            table = cast(Table, row.__table__)
            values = {}
            for column in table.columns:
                value = getattr(row, column.key)
                if value is None and column.default is not None and column.default.is_scalar:
                    value = getattr(column.default, "arg", None)
                values[column.key] = value
            tables.setdefault(table, []).append(values)
        return list(tables.items())


class SignedInDevices:
    """The rows `count` first sign-ins a minute before make, for any number of accounts."""

    def __init__(self, count: int) -> None:
        self.count = count
        now = now_us() - 60_000_000
        device_rows, auth_rows = _Rows(), _Rows()
        devices = SqlAlchemyDeviceRepository(device_rows.session())
        activity = SqlAlchemyActivityLog(device_rows.session())
        sessions = SqlAlchemySessions(auth_rows.session())
        self.ids: set[str] = {PLACEHOLDER_ACCOUNT}
        for n in range(count):
            details = DeviceDetails(f"seeded-{uuid.uuid4().hex}", f"Seeded TV {n}", DeviceType.TV)
            device = Device.first_sign_in(PLACEHOLDER_ACCOUNT, details, "127.0.0.1", LOCAL_NETWORK, now)
            devices.save(device)
            sign_in = StreamingActivity.of(device, StreamingKind.SIGN_IN, now)
            activity.add_streaming(sign_in)
            session = Session(str(uuid.uuid4()), PLACEHOLDER_ACCOUNT, device.device_id, now, now, now + 30 * DAY_US)
            sessions.add(session)
            self.ids |= {device.device_id, device.client_id, sign_in.activity_id, session.session_id}
        self.device_rows, self.auth_rows = device_rows.by_table(), auth_rows.by_table()

    def insert(self, device_engine: Engine, auth_engine: Engine, account_id: str) -> None:
        """The rows for `account_id`, every other identifier (device, client, activity, session) a new one."""
        fresh = {old: str(uuid.uuid4()) for old in self.ids}
        fresh[PLACEHOLDER_ACCOUNT] = account_id
        for engine, rows in ((device_engine, self.device_rows), (auth_engine, self.auth_rows)):
            with engine.begin() as db:
                for table, values in rows:
                    copies = [
                        {k: fresh.get(v, v) if isinstance(v, str) else v for k, v in row.items()} for row in values
                    ]
                    db.execute(insert(table), copies)
