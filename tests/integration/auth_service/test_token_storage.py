"""No string in the database or the logs works as a token."""

import logging
import re
import sqlite3

import grpc
import pytest
from remotesignout.auth.v1 import auth_pb2 as pb

from auth_service.domain.tokens import hash_refresh_token, legacy_refresh_token_hash
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY

PASSWORD = "correct horse battery"
CANDIDATE = re.compile(r"[A-Za-z0-9_\-\.]{20,}")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # it reads the SQLite file directly
async def test_no_string_in_the_database_or_logs_validates(auth, database_url, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    await auth.CreateAccount(pb.CreateAccountRequest(email="ann@example.com", password=PASSWORD))
    device = pb.Device(client_id="c1", name="TV", type=pb.DEVICE_TYPE_TV)
    signed = await auth.SignIn(pb.SignInRequest(email="ann@example.com", password=PASSWORD, device=device))
    refreshed = await auth.RefreshToken(pb.RefreshTokenRequest(refresh_token=signed.refresh_token))
    live = {refreshed.access_token, refreshed.refresh_token}

    with sqlite3.connect(tmp_path / "auth.db") as db:
        tables = [name for (name,) in db.execute("select name from sqlite_master where type='table'")]
        cells = [str(cell) for table in tables for row in db.execute(f"select * from {table}") for cell in row]
    text = "\n".join(cells + [record.getMessage() for record in caplog.records])
    candidates = set(CANDIDATE.findall(text))
    assert hash_refresh_token(refreshed.refresh_token, TEST_REFRESH_TOKEN_KEY) in candidates  # the token hashes
    assert legacy_refresh_token_hash(refreshed.refresh_token) not in candidates  # keyed, not bare SHA-256
    assert not candidates & live
    assert PASSWORD not in text
    for candidate in candidates:
        introspected = await auth.IntrospectToken(pb.IntrospectTokenRequest(token=candidate))
        assert not introspected.active, "a stored or logged string works as a token"
    assert (await auth.IntrospectToken(pb.IntrospectTokenRequest(token=refreshed.refresh_token))).active


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # it rewrites the SQLite file directly
async def test_a_refresh_token_stored_before_keyed_hashes_refreshes_once_then_is_stored_keyed(
    auth, database_url, tmp_path
):
    await auth.CreateAccount(pb.CreateAccountRequest(email="ann@example.com", password=PASSWORD))
    device = pb.Device(client_id="c1", name="TV", type=pb.DEVICE_TYPE_TV)
    signed = await auth.SignIn(pb.SignInRequest(email="ann@example.com", password=PASSWORD, device=device))
    keyed, legacy = (
        hash_refresh_token(signed.refresh_token, TEST_REFRESH_TOKEN_KEY),
        legacy_refresh_token_hash(signed.refresh_token),
    )
    with sqlite3.connect(tmp_path / "auth.db") as db:
        assert db.execute("update refresh_tokens set token_hash = ? where token_hash = ?", (legacy, keyed)).rowcount

    refreshed = await auth.RefreshToken(pb.RefreshTokenRequest(refresh_token=signed.refresh_token))
    with sqlite3.connect(tmp_path / "auth.db") as db:
        stored = {hash_: used for hash_, used in db.execute("select token_hash, used_at_us from refresh_tokens")}
    assert stored[legacy] is not None  # spent
    assert stored[hash_refresh_token(refreshed.refresh_token, TEST_REFRESH_TOKEN_KEY)] is None
    assert legacy_refresh_token_hash(refreshed.refresh_token) not in stored
    with pytest.raises(grpc.aio.AioRpcError) as reuse:
        await auth.RefreshToken(pb.RefreshTokenRequest(refresh_token=signed.refresh_token))
    assert reuse.value.code() == grpc.StatusCode.UNAUTHENTICATED
