"""No string in the database or the logs works as a token."""

import logging
import re
import sqlite3

import pytest
from remotesignout.auth.v1 import auth_pb2 as pb

from auth_service.domain.tokens import hash_refresh_token

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
    assert hash_refresh_token(refreshed.refresh_token) in candidates  # the dump really holds token hashes
    assert not candidates & live
    assert PASSWORD not in text
    for candidate in candidates:
        introspected = await auth.IntrospectToken(pb.IntrospectTokenRequest(token=candidate))
        assert not introspected.active, "a stored or logged string works as a token"
    assert (await auth.IntrospectToken(pb.IntrospectTokenRequest(token=refreshed.refresh_token))).active
