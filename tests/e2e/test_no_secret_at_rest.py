"""No string stored in any service's database or written to any process's log works as a token,
no password is stored or logged in the clear, and no private key or secret is in either."""

from __future__ import annotations

import base64
import json
import pathlib
import re
import sqlite3
import urllib.parse
import urllib.request

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from auth_service.domain.tokens import hash_refresh_token, legacy_refresh_token_hash
from tools.json_http import call

PASSWORD = "correct horse battery"
CANDIDATE = re.compile(r"[A-Za-z0-9_\-\.]{20,}")
CLIENT = base64.b64encode(b"resource-server:resource-server-secret").decode()


def introspect(base: str, token: str) -> dict:
    request = urllib.request.Request(
        base + "/oauth2/introspect",
        data=urllib.parse.urlencode({"token": token}).encode(),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Basic {CLIENT}"},
    )
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
    signed = call(
        base, "POST", "/v1/sign-in", {"email": "rest@example.com", "password": PASSWORD, "device": device}
    ).body
    refreshed = call(base, "POST", "/v1/token/refresh", {"refresh_token": signed["refresh_token"]}).body
    call(base, "GET", "/v1/devices", token=refreshed["access_token"])
    call(base, "POST", "/v1/sign-in", {"email": "rest@example.com", "password": "a wrong password", "device": device})
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


def key_material(secrets: pathlib.Path) -> dict[str, list[bytes]]:
    """Every private key and secret under the suite's secrets folder, in each form it could leak in:
    raw bytes, hex, base64 and base64url, and the DER of a PEM key."""
    needles: dict[str, list[bytes]] = {}
    for path in sorted(p for p in secrets.rglob("*") if p.is_file()):
        content = path.read_bytes()
        if b"PRIVATE KEY" in content:
            key = serialization.load_pem_private_key(content, password=None)
            der = key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            if isinstance(key, ec.EllipticCurvePrivateKey):
                raw = key.private_numbers().private_value.to_bytes(32, "big")
            else:
                raw = key.private_bytes_raw()  # type: ignore[attr-defined]
            forms = [raw, der]
        elif path.suffix in {".crt", ".json", ".lock"} or not content.strip():
            continue  # certificates and manifests are public, lock files empty
        else:
            text = content.strip()
            forms = [text, *([bytes.fromhex(text.decode())] if re.fullmatch(rb"[0-9a-f]+", text) else [])]
        encoded = [
            encoding(form).rstrip(b"=") for form in forms for encoding in (base64.b64encode, base64.urlsafe_b64encode)
        ]
        needles[str(path.relative_to(secrets))] = [*forms, *encoded, *(form.hex().encode() for form in forms)]
    return needles


def test_no_database_file_or_log_holds_any_private_key_or_secret(suite) -> None:  # type: ignore[no-untyped-def]
    base = suite.gateway_url
    assert call(base, "POST", "/v1/accounts", {"email": "keys@example.com", "password": PASSWORD}).status == 201
    signed = call(
        base,
        "POST",
        "/v1/sign-in",
        {
            "email": "keys@example.com",
            "password": PASSWORD,
            "device": {"client_id": "keys-tv", "name": "TV", "type": "tv"},
        },
    )
    assert signed.status == 200
    data_dir = suite.suite.config.data_dir
    needles = key_material(data_dir / "secrets")
    assert {"pki/ca.key", "pki/auth_service.key", "pin_pepper", "refresh_token_key"} <= set(needles)
    at_rest = [p for p in data_dir.rglob("*") if p.is_file() and "secrets" not in p.relative_to(data_dir).parts]
    at_rest += sorted(suite.suite.log_dir.glob("*.log"))
    assert any(p.name.endswith(".db") for p in at_rest) and any(p.suffix == ".log" for p in at_rest)
    for path in at_rest:
        content = path.read_bytes()  # the whole file, free pages and journals included
        assert b"PRIVATE KEY" not in content, path
        for name, forms in needles.items():
            assert not any(form in content for form in forms), f"{name} is in {path}"
