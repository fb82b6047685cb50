"""No string stored in any service's database or written to any process's log works as a token,
and no password is stored or logged in the clear."""

from __future__ import annotations

import base64
import json
import re
import sqlite3
import urllib.parse
import urllib.request

from auth_service.domain.tokens import hash_refresh_token, legacy_refresh_token_hash
from tests.e2e.http import call

PASSWORD = "correct horse battery"
CANDIDATE = re.compile(r"[A-Za-z0-9_\-\.]{20,}")
CLIENT = base64.b64encode(b"resource-server:resource-server-secret").decode()


def introspect(base: str, token: str) -> dict:
    request = urllib.request.Request(
        base + "/oauth2/introspect", data=urllib.parse.urlencode({"token": token}).encode(), method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Basic {CLIENT}"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.loads(reply.read())  # type: ignore[no-any-return]


def everything_at_rest(suite) -> str:  # type: ignore[no-untyped-def]
    data_dir = suite.suite.config.data_dir
    cells = []
    for database in sorted(data_dir.glob("*.db")):
        with sqlite3.connect(database) as db:
            tables = [name for (name,) in db.execute("select name from sqlite_master where type='table'")]
            cells += [str(cell) for table in tables for row in db.execute(f"select * from {table}") for cell in row]
    logs = [path.read_text(errors="replace") for path in sorted(suite.suite.log_dir.glob("*.log"))]
    return "\n".join(cells + logs)


def test_nothing_at_rest_validates_and_no_password_is_in_the_clear(suite) -> None:  # type: ignore[no-untyped-def]
    base = suite.gateway_url
    assert call(base, "POST", "/v1/accounts", {"email": "rest@example.com", "password": PASSWORD}).status == 201
    device = {"client_id": "rest-tv", "name": "TV", "type": "tv"}
    signed = call(base, "POST", "/v1/sign-in", {"email": "rest@example.com", "password": PASSWORD,
                                                "device": device}).body
    refreshed = call(base, "POST", "/v1/token/refresh", {"refresh_token": signed["refresh_token"]}).body
    call(base, "GET", "/v1/devices", token=refreshed["access_token"])
    call(base, "POST", "/v1/sign-in", {"email": "rest@example.com", "password": "a wrong password",
                                       "device": device})
    live = {refreshed["access_token"], refreshed["refresh_token"]}
    assert introspect(base, refreshed["access_token"])["active"] is True

    text = everything_at_rest(suite)
    assert PASSWORD not in text and "a wrong password" not in text
    candidates = set(CANDIDATE.findall(text))
    assert not candidates & live
    assert signed["session_id"] in text  # the dump really holds the session rows
    key_file = suite.suite.cwd / suite.suite.config.data_dir / "secrets" / "refresh_token_key"
    key = key_file.read_bytes().strip()  # what auth_service read at start-up; the database never holds it
    assert hash_refresh_token(refreshed["refresh_token"], key) in candidates  # and the token hashes
    assert legacy_refresh_token_hash(refreshed["refresh_token"]) not in candidates  # keyed, not bare SHA-256
    assert key.decode() not in text
    for candidate in candidates:
        assert introspect(base, candidate) == {"active": False}, "a stored or logged string works as a token"
