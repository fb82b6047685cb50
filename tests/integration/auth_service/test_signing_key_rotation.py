"""Signing keys on a running AuthService: `keys rotate` and `keys retire` (the real CLI, a subprocess)
take effect without a restart; the keys are nowhere in the database; no usable key, no start."""

from __future__ import annotations

import asyncio
import base64
import os
import pathlib
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass

import grpc
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from grpc import aio
from remotesignout.auth.v1 import auth_pb2 as pb
from remotesignout.auth.v1 import auth_pb2_grpc

from auth_service.adapters.migrations import HISTORY
from auth_service.adapters.signing_keys import ensure_signing_key, load_codec, read_manifest
from auth_service.adapters.unit_of_work import unit_of_work_factory
from auth_service.bootstrap import build
from auth_service.config import Config
from auth_service.entrypoints.server import create_auth_server
from tests.schema import migrated_engine
from tests.support import log_lines
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY, FakeDeviceRegistry
from tools.local_secrets import prepare

REPO = pathlib.Path(__file__).resolve().parents[3]
RELOAD_SECONDS = 0.25
# The watcher looks every RELOAD_SECONDS; the rest is slack for a loaded 2-core machine.
NOTICED_WITHIN = RELOAD_SECONDS + 0.75
PASSWORD = "correct horse battery"


@dataclass
class Served:
    stub: auth_pb2_grpc.AuthServiceStub
    keys: pathlib.Path
    database: pathlib.Path


@pytest.fixture
async def served(tmp_path, pki):
    """A real AuthService whose keys come from a key directory, reloaded every RELOAD_SECONDS."""
    keys, database = tmp_path / "signing_keys", tmp_path / "auth.db"
    ensure_signing_key(keys)
    codec, watcher = load_codec(keys, 900)
    engine = migrated_engine(f"sqlite:///{database}", HISTORY)
    deps = build(
        Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY), unit_of_work_factory(engine), codec, FakeDeviceRegistry()
    )
    server = create_auth_server(deps, "127.0.0.1:0", tls=pki.identity("auth_service"), metrics=False)
    await server.start()
    reloads = asyncio.create_task(watcher.run(RELOAD_SECONDS))
    channel = pki.identity("gateway").channel(f"127.0.0.1:{server.port}", "auth_service")
    yield Served(auth_pb2_grpc.AuthServiceStub(channel), keys, database)
    reloads.cancel()
    await channel.close()
    await server.stop(None)
    engine.dispose()


async def keys_cli(directory: pathlib.Path, *args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "auth_service",
        "keys",
        *args,
        cwd=REPO,
        env={**os.environ, "AUTH_SIGNING_KEYS_DIR": str(directory)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def kid(token: str) -> str:
    return str(jwt.get_unverified_header(token)["kid"])


async def listed(stub) -> list[str]:
    return [key.kid for key in (await stub.ListSigningKeys(pb.ListSigningKeysRequest())).keys]


async def accepted(stub, token: str) -> bool:
    try:
        await stub.ValidateToken(pb.ValidateTokenRequest(access_token=token))
    except aio.AioRpcError as error:
        assert error.code() == grpc.StatusCode.UNAUTHENTICATED
        return False
    return True


async def within(seconds: float, condition) -> float:  # type: ignore[no-untyped-def]
    """Poll `condition` (async, -> bool) until true; returns how long it took, fails after `seconds`."""
    started = time.monotonic()
    while not await condition():
        assert time.monotonic() - started < seconds, f"not within {seconds} s"
        await asyncio.sleep(0.02)
    return time.monotonic() - started


async def test_rotate_then_retire_with_the_cli_while_the_server_runs(served):
    stub = served.stub
    await stub.CreateAccount(pb.CreateAccountRequest(email="ann@example.com", password=PASSWORD))
    device = pb.Device(client_id="c1", name="TV", type=pb.DEVICE_TYPE_TV)
    signed = await stub.SignIn(pb.SignInRequest(email="ann@example.com", password=PASSWORD, device=device))
    old = kid(signed.access_token)
    assert await listed(stub) == [old]

    code, out, _ = await keys_cli(served.keys, "rotate")
    assert code == 0
    new = read_manifest(served.keys)[-1].kid
    assert new in out and new != old
    await within(NOTICED_WITHIN, lambda: _equals(listed(stub), [old, new]))
    refreshed = await stub.RefreshToken(pb.RefreshTokenRequest(refresh_token=signed.refresh_token))
    assert kid(refreshed.access_token) == new, "new tokens use the new key"
    assert await accepted(stub, signed.access_token), "old-key tokens still verify"
    assert await accepted(stub, refreshed.access_token)

    code, out, err = await keys_cli(served.keys, "retire", "no-such-key")
    assert code == 2 and "no key no-such-key" in err
    code, out, _ = await keys_cli(served.keys, "retire", old)
    assert code == 0 and old in out
    took = await within(NOTICED_WITHIN, lambda: _not(accepted(stub, signed.access_token)))
    assert took < NOTICED_WITHIN
    assert await accepted(stub, refreshed.access_token)
    assert await listed(stub) == [new], "a retired key leaves the public key list"

    code, out, _ = await keys_cli(served.keys, "list")
    assert code == 0
    states = {line.split()[0]: line.split()[1] for line in out.splitlines()[1:]}
    assert states == {old: "retired", new: "signs"}


async def test_list_signing_keys_gives_jwk_fields_that_verify_a_token(served):
    stub = served.stub
    await stub.CreateAccount(pb.CreateAccountRequest(email="bo@example.com", password=PASSWORD))
    device = pb.Device(client_id="c1", name="TV", type=pb.DEVICE_TYPE_TV)
    signed = await stub.SignIn(pb.SignInRequest(email="bo@example.com", password=PASSWORD, device=device))
    [key] = (await stub.ListSigningKeys(pb.ListSigningKeysRequest())).keys
    assert (key.kty, key.crv, key.alg, key.use, key.kid) == ("OKP", "Ed25519", "EdDSA", "sig", kid(signed.access_token))
    public = jwt.PyJWK({"kty": key.kty, "crv": key.crv, "x": key.x, "kid": key.kid, "alg": key.alg})
    assert jwt.decode(signed.access_token, public, algorithms=["EdDSA"])["sid"] == signed.session_id


async def test_the_signing_key_is_nowhere_in_the_database(served):
    stub = served.stub
    await stub.CreateAccount(pb.CreateAccountRequest(email="cy@example.com", password=PASSWORD))
    device = pb.Device(client_id="c1", name="TV", type=pb.DEVICE_TYPE_TV)
    await stub.SignIn(pb.SignInRequest(email="cy@example.com", password=PASSWORD, device=device))
    pem = next(served.keys.glob("*.pem")).read_bytes()
    private = serialization.load_pem_private_key(pem, password=None)
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    with sqlite3.connect(served.database) as db:
        tables = [name for (name,) in db.execute("select name from sqlite_master where type='table'")]
        cells = [cell for table in tables for row in db.execute(f"select * from {table}") for cell in row]
    assert "signing_keys" not in tables
    assert any(isinstance(cell, str) and "@example.com" in cell for cell in cells), "the dump holds the rows"
    spellings = [
        raw,
        raw.hex().encode(),
        base64.b64encode(raw),
        base64.urlsafe_b64encode(raw).rstrip(b"="),
        pem.split(b"\n")[1],
    ]
    for cell in cells:
        blob = cell if isinstance(cell, bytes) else str(cell).encode()
        assert not any(spelling in blob for spelling in spellings)


@pytest.mark.parametrize("setup", ["empty", "malformed"])
def test_auth_service_refuses_to_start_with_one_clear_line(tmp_path, setup):
    prepare(tmp_path / "secrets")  # every other secret and certificate is there
    keys = tmp_path / "signing_keys"
    if setup == "malformed":
        ensure_signing_key(keys)
        next(keys.glob("*.pem")).write_bytes(b"-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n")
    env = {
        **os.environ,
        "AUTH_SIGNING_KEYS_DIR": str(keys),
        "AUTH_DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}",
        "REMOTESIGNOUT_DATA_DIR": str(tmp_path),
        "AUTH_ADDRESS": "127.0.0.1:0",
        "AUTH_METRICS_PORT": "0",
    }
    run = subprocess.run(
        [sys.executable, "-m", "auth_service"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    [entry] = log_lines(run.stderr)
    assert entry["level"] == "critical" and entry["process"] == "auth_service"
    line = str(entry["message"])
    assert line.startswith("auth_service cannot start: AUTH_SIGNING_KEYS_DIR:")
    assert ("keys rotate" if setup == "empty" else "keys retire") in line
    assert not (tmp_path / "a.db").exists(), "it stops before touching the database"


async def _equals(value, expected) -> bool:  # type: ignore[no-untyped-def]
    return await value == expected


async def _not(value) -> bool:  # type: ignore[no-untyped-def]
    return not await value
