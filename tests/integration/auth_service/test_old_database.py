"""An auth_service SQLite database made before the throttle left it still takes new accounts and sign-ins
(its accounts table has NOT NULL throttle columns without a server default; there are no migrations yet)."""

import sqlite3

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.adapters.unit_of_work import unit_of_work_factory
from auth_service.bootstrap import build
from auth_service.config import Config
from common.db import make_engine
from tests.unit.auth_service.bound import Auth
from tests.unit.auth_service.conftest import device
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY, FakeDeviceRegistry

OLD_ACCOUNTS_TABLE = """CREATE TABLE accounts (
    account_id VARCHAR(36) NOT NULL PRIMARY KEY, email VARCHAR(254) NOT NULL UNIQUE,
    password_hash VARCHAR(200) NOT NULL, created_at_us BIGINT NOT NULL, closed_at_us BIGINT,
    failed_sign_ins INTEGER NOT NULL, throttled_until_us BIGINT NOT NULL)"""


async def test_a_database_made_before_takes_new_accounts_and_remembers_devices(tmp_path):
    with sqlite3.connect(tmp_path / "auth.db") as db:
        db.execute(OLD_ACCOUNTS_TABLE)
    engine = make_engine(f"sqlite:///{tmp_path / 'auth.db'}")
    deps = build(
        Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY),
        unit_of_work_factory(engine),
        AccessTokenCodec([SigningKey.generate()], 900),
        FakeDeviceRegistry(),
    )
    app = Auth(deps)
    try:
        account = await app.create_account("old@example.com", "correct horse battery")
        await app.sign_in("old@example.com", "correct horse battery", device(1), "")
        with deps.uow() as uow:
            assert uow.known_devices.contains(account.account_id, "client-1")
    finally:
        engine.dispose()
