"""The migrations as the processes run them: at start-up (MIGRATE_ON_START, default true), refused in one
line when false and the schema is behind, and `python -m <service> migrate` run by several replicas at once
on PostgreSQL (the advisory lock queues them)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import Column, LargeBinary, MetaData, String, Table, text

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.adapters.migrations import HISTORY as AUTH
from auth_service.adapters.unit_of_work import unit_of_work_factory
from auth_service.bootstrap import build
from auth_service.config import Config as AuthConfig
from common.db import make_engine
from common.migrations import INITIAL, SchemaNotAtHead, current, head, upgrade
from common.tls import TlsIdentity
from device_service import bootstrap as device_bootstrap
from device_service.config import Config as DeviceConfig
from parental_service import bootstrap as parental_bootstrap
from parental_service.config import Config as ParentalConfig
from tests.feeds import FakeFeedEntries
from tests.postgres import postgres_database_url
from tests.schema import HISTORIES, made_by_create_all, one_row_everywhere, rows_now
from tests.support import free_port, stop_message
from tests.unit.auth_service.bound import Auth
from tests.unit.auth_service.conftest import device
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY, FakeDeviceRegistry
from tools.local_secrets import prepare

PASSWORD = "correct horse battery"
URL_VARIABLES = {
    "auth_service": "AUTH_DATABASE_URL",
    "device_service": "DEVICE_DATABASE_URL",
    "parental_service": "PARENTAL_DATABASE_URL",
}


def process_env(data_dir, **changes: str) -> dict[str, str]:
    return {**os.environ, "REMOTESIGNOUT_DATA_DIR": str(data_dir), "GRACE_SECONDS": "0", **changes}


async def test_auth_service_upgrades_a_database_made_before_migrations_in_place_when_it_starts(tmp_path):
    """Made by `create_all` before migrations (the throttle columns, the HMAC `signing_keys` of older
    releases): `python -m auth_service` stamps it 0001 and upgrades it; every row stays, the dead parts go."""
    prepare(tmp_path / "secrets")
    url = f"sqlite:///{tmp_path / 'auth_service.db'}"
    engine = make_engine(url)
    made_by_create_all(AUTH).create_all(engine)
    legacy_keys = Table(
        "signing_keys", MetaData(), Column("key_id", String(32), primary_key=True), Column("secret", LargeBinary(64))
    )
    legacy_keys.create(engine)
    legacy = made_by_create_all(AUTH)
    old_account = {
        "account_id": "acc-1",
        "email": "old@example.com",
        "password_hash": "$argon2id$old",
        "created_at_us": 1,
        "closed_at_us": None,
        "failed_sign_ins": 0,
        "throttled_until_us": 0,
    }
    with engine.begin() as db:
        db.execute(legacy.tables["accounts"].insert().values(old_account))
        db.execute(legacy_keys.insert().values(key_id="k1", secret=b"an HMAC secret of an older release"))
    port = free_port()
    env = process_env(tmp_path, AUTH_ADDRESS=f"127.0.0.1:{port}", AUTH_METRICS_PORT="0")
    process = subprocess.Popen([sys.executable, "-m", "auth_service"], env=env, stderr=subprocess.PIPE)
    try:
        operator = TlsIdentity.from_dir("operator", tmp_path / "secrets" / "pki")
        async with operator.channel(f"127.0.0.1:{port}", "auth_service") as channel:
            answer = await health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service="remotesignout.auth.v1.AuthService"),
                timeout=30,
                wait_for_ready=True,
            )
        assert answer.status == health_pb2.HealthCheckResponse.SERVING
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr.decode()
    assert (
        f"auth_service: database schema made before migrations: stamped 0001, upgraded to {head(AUTH)}"
        in stderr.decode()
    )

    assert current(engine, AUTH) == head(AUTH)
    after = rows_now(engine)
    assert "signing_keys" not in after
    assert after["accounts"] == [{name: old_account[name] for name in after["accounts"][0]}]
    assert set(after["accounts"][0]) == set(old_account) - {"failed_sign_ins", "throttled_until_us"}
    deps = build(
        AuthConfig(refresh_token_key=TEST_REFRESH_TOKEN_KEY),
        unit_of_work_factory(engine),
        AccessTokenCodec([SigningKey.generate()], 900),
        FakeDeviceRegistry(),
    )
    account = await Auth(deps).create_account("new@example.com", PASSWORD)
    await Auth(deps).sign_in("new@example.com", PASSWORD, device(1), "")
    with deps.uow() as uow:
        assert uow.known_devices.contains(account.account_id, "client-1")
    engine.dispose()


def test_with_migrate_on_start_false_auth_service_refuses_a_schema_behind_head_in_one_line(tmp_path):
    prepare(tmp_path / "secrets")
    url = f"sqlite:///{tmp_path / 'auth_service.db'}"
    upgrade(url, AUTH, INITIAL)
    env = process_env(
        tmp_path, AUTH_ADDRESS=f"127.0.0.1:{free_port()}", AUTH_METRICS_PORT="0", MIGRATE_ON_START="false"
    )

    result = subprocess.run([sys.executable, "-m", "auth_service"], env=env, capture_output=True, text=True, timeout=60)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert stop_message(result.stderr) == (
        f"auth_service cannot start: database schema is at 0001, this release needs {head(AUTH)}: "
        "run `python -m auth_service migrate`"
    )
    assert current(url, AUTH) == INITIAL


def start_device_service(url: str, migrate: bool) -> None:
    device_bootstrap.bootstrap(DeviceConfig(database_url=url, migrate_on_start=migrate), FakeFeedEntries())


def start_parental_service(url: str, migrate: bool) -> None:
    config = ParentalConfig(database_url=url, migrate_on_start=migrate, pin_pepper=b"p" * 32)
    parental_bootstrap.bootstrap(config, FakeFeedEntries())


STARTS = {"device_service": start_device_service, "parental_service": start_parental_service}


@pytest.mark.parametrize("service", sorted(STARTS))
def test_device_and_parental_bootstrap_stamp_and_upgrade_a_database_made_before_migrations(tmp_path, service):
    history, url = HISTORIES[service], f"sqlite:///{tmp_path / 'service.db'}"
    engine = make_engine(url)
    made_by_create_all(history).create_all(engine)
    before = one_row_everywhere(engine)

    STARTS[service](url, True)

    assert current(engine, history) == head(history)
    counts = {table: len(rows) for table, rows in rows_now(engine).items()}
    assert counts == dict.fromkeys(before, 1) | dict.fromkeys(set(counts) - set(before), 0)
    engine.dispose()


@pytest.mark.parametrize("service", sorted(STARTS))
def test_device_and_parental_bootstrap_without_migrate_on_start_refuse_an_empty_database(tmp_path, service):
    url = f"sqlite:///{tmp_path / 'service.db'}"

    needed = head(HISTORIES[service])
    with pytest.raises(SchemaNotAtHead, match=f"this release needs {needed}: run `python -m {service} migrate`"):
        STARTS[service](url, False)
    upgrade(url, HISTORIES[service])
    STARTS[service](url, False)


async def migrate(service: str, url: str, data_dir) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        service,
        "migrate",
        env=process_env(data_dir, **{URL_VARIABLES[service]: url}),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, stdout.decode().strip(), stderr.decode()


@pytest.mark.postgres
@pytest.mark.parametrize("service", sorted(HISTORIES))
async def test_two_concurrent_migrates_on_postgresql_both_succeed(tmp_path, service):
    history = HISTORIES[service]
    with postgres_database_url() as url:
        results = await asyncio.gather(migrate(service, url, tmp_path), migrate(service, url, tmp_path))

        assert [code for code, _, _ in results] == [0, 0], results
        assert sorted(out for _, out, _ in results) == [
            f"{service}: database schema is at {head(history)} (head), nothing to do",
            f"{service}: database schema upgraded from nothing (empty database) to {head(history)}",
        ]
        assert current(url, history) == head(history)


@pytest.mark.postgres
async def test_migrate_waits_for_the_advisory_lock_another_migrate_holds(tmp_path):
    """What keeps two replicas' upgrades apart is PostgreSQL's lock, not timing: while it is held, `migrate`
    waits, and it finishes once the lock is let go."""
    with postgres_database_url() as url:
        engine = make_engine(url)
        with engine.connect() as holder:
            holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": AUTH.lock_key()})
            waiting = asyncio.create_task(migrate("auth_service", url, tmp_path))
            await until_a_session_waits_for_the_lock(engine)
            assert not waiting.done()
            assert current(engine, AUTH) is None
            holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": AUTH.lock_key()})
            holder.commit()
        code, out, stderr = await waiting
        assert (code, out) == (
            0,
            f"auth_service: database schema upgraded from nothing (empty database) to {head(AUTH)}",
        ), stderr
        engine.dispose()


async def until_a_session_waits_for_the_lock(engine, timeout: float = 30.0) -> None:
    waiting = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
    for _ in range(int(timeout / 0.05)):
        with engine.connect() as db:
            if db.scalar(waiting):
                return
        await asyncio.sleep(0.05)
    raise AssertionError("no session waited for the advisory lock")


def test_migrate_reports_a_database_it_cannot_stamp_in_one_line_and_exit_code_1(tmp_path):
    url = f"sqlite:///{tmp_path / 'device.db'}"
    engine = make_engine(url)
    made_by_create_all(HISTORIES["device_service"]).tables["devices"].create(engine)
    engine.dispose()

    result = subprocess.run(
        [sys.executable, "-m", "device_service", "migrate"],
        env=process_env(tmp_path, DEVICE_DATABASE_URL=url),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert result.stderr.strip().startswith(
        "device_service: the database was made before migrations but lacks the tables applied_revocations,"
    )
    assert len(result.stderr.strip().splitlines()) == 1
