"""Every process's log, as the real processes write it (tools.supervisor: stdout and stderr to
`<log_dir>/<process>.log`): one JSON object per line with the agreed keys; one request's X-Request-ID
in the gateway's access line and in the line of every service it called for it; callers' mistakes at
INFO; and not one token, refresh token, password or PIN the flow used, in any form, anywhere."""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from tests.support import log_lines
from tools.json_http import Reply, call
from tools.supervisor import Suite, SuiteConfig

PROCESSES = ("auth_service", "device_service", "parental_service", "gateway")
REQUIRED = ("time", "level", "process", "logger", "message", "request_id")
PASSWORD, NEW_PASSWORD, WRONG_PASSWORD = "correct horse battery", "staple gun 42 lantern", "a wrong password"
PIN, WRONG_PIN = "7294", "5183"
CLIENT = base64.b64encode(b"resource-server:resource-server-secret").decode()
SENT_ID = "e2e-logs.0001_sign-in"


@pytest.fixture(scope="module")
def suite(tmp_path_factory) -> Iterator[Suite]:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("logs")
    config = SuiteConfig.on_free_ports(root / "data", {"GRACE_SECONDS": "2", "GATEWAY_ACCESS_LOG": "1"})
    with Suite(config, log_dir=root / "logs") as running:
        yield running


def form(base: str, path: str, fields: dict[str, str]) -> int:
    request = urllib.request.Request(
        base + path,
        data=urllib.parse.urlencode(fields).encode(),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Basic {CLIENT}"},
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        return int(reply.status)


def ok(reply: Reply, status: int = 200) -> dict:  # type: ignore[type-arg]
    assert reply.status == status, reply.body
    return reply.body  # type: ignore[no-any-return]


def the_flow(base: str) -> set[str]:
    """Accounts, sign-in, refresh, introspection, PIN set and verify, sign-out-all, password change, with a
    wrong password and a wrong PIN on the way; every secret it used."""
    secrets = {PASSWORD, NEW_PASSWORD, WRONG_PASSWORD, PIN, WRONG_PIN}
    ok(call(base, "POST", "/v1/accounts", {"email": "logs@example.com", "password": PASSWORD}), 201)
    device = {"client_id": "logs-tv", "name": "TV", "type": "tv"}
    credentials = {"email": "logs@example.com", "password": PASSWORD, "device": device}
    signed_in = call(base, "POST", "/v1/sign-in", credentials, headers={"X-Request-ID": SENT_ID})
    tv = ok(signed_in)
    assert signed_in.headers["X-Request-ID"] == SENT_ID
    phone = ok(call(base, "POST", "/v1/sign-in", {**credentials, "device": {**device, "client_id": "logs-phone"}}))
    wrong = {**credentials, "password": WRONG_PASSWORD}
    assert call(base, "POST", "/v1/sign-in", wrong).status == 401
    refreshed = ok(call(base, "POST", "/v1/token/refresh", {"refresh_token": tv["refresh_token"]}))
    token = refreshed["access_token"]
    secrets |= {tv["access_token"], tv["refresh_token"], phone["access_token"], phone["refresh_token"]}
    secrets |= {token, refreshed["refresh_token"]}
    assert form(base, "/oauth2/introspect", {"token": token}) == 200
    ok(call(base, "GET", "/v1/devices", token=token))

    ok(call(base, "POST", "/v1/profiles", {"name": "Alex", "kind": "owner"}, token=token), 201)
    profile = ok(call(base, "POST", "/v1/profiles", {"name": "Sam", "kind": "standard"}, token=token), 201)
    pin_path = f"/v1/profiles/{profile['profile_id']}"
    ok(call(base, "PUT", f"{pin_path}/pin", {"pin": PIN, "password": PASSWORD}, token=token))
    assert call(base, "POST", f"{pin_path}/select", {"pin": WRONG_PIN}, token=token).status == 401
    selected = ok(call(base, "POST", f"{pin_path}/select", {"pin": PIN}, token=token))
    token = selected["access_token"]
    secrets.add(token)

    ok(call(base, "POST", "/v1/session/confirm-password", {"password": PASSWORD}, token=token))
    ok(call(base, "POST", "/v1/sign-out-all", {"include_current": False}, token=token))
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    ok(call(base, "POST", "/v1/password", change, token=token))
    again = ok(call(base, "POST", "/v1/sign-in", {**credentials, "password": NEW_PASSWORD}))
    secrets |= {again["access_token"], again["refresh_token"]}
    ok(call(base, "POST", "/v1/sign-out-all", {"include_current": True}, token=again["access_token"]))
    assert call(base, "GET", "/v1/session", token=again["access_token"]).status == 401
    return secrets


def forms(secret: str) -> set[str]:
    """A secret as it could be written: itself, URL-encoded (both ways), JSON-escaped."""
    return {
        secret,
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote_plus(secret),
        json.dumps(secret)[1:-1],
    }


def finds(secret: str, line: str) -> bool:
    """Whether `line` holds `secret` in any form; a 4-digit PIN only as a word of its own (digits occur in
    times and ids)."""
    if secret.isdigit():
        return re.search(rf"(?<![0-9A-Za-z]){secret}(?![0-9A-Za-z])", line) is not None
    return any(form in line for form in forms(secret))


def test_every_line_is_json_with_one_request_id_across_processes_and_no_secret(suite: Suite) -> None:
    secrets = the_flow(suite.gateway_url)
    suite.stop()  # every line written, shutdown's included
    lines = {name: suite.log_path(name).read_text() for name in PROCESSES}
    entries = {name: log_lines(text) for name, text in lines.items()}  # fails on any line that is not JSON

    for name, logged in entries.items():
        assert logged, f"{name} wrote nothing"
        for entry in logged:
            assert all(key in entry for key in REQUIRED), entry
            assert entry["process"] == name and entry["time"].endswith("Z"), entry
            assert entry["level"] in {"debug", "info", "warning", "error", "critical"}, entry

    def for_request(name: str) -> list[dict]:  # type: ignore[type-arg]
        return [entry for entry in entries[name] if entry["request_id"] == SENT_ID]

    [access] = for_request("gateway")
    assert (access["method"], access["route"], access["status"]) == ("POST", "/v1/sign-in", 200)
    assert isinstance(access["duration_ms"], float | int)
    [sign_in] = for_request("auth_service")
    assert sign_in["rpc"] == "/remotesignout.auth.v1.AuthService/SignIn" and sign_in["grpc_code"] == "OK"
    assert sign_in["caller"] == "gateway" and sign_in["level"] == "info"
    [register] = for_request("device_service")  # auth_service passed it on
    assert register["rpc"].endswith("/RegisterDevice") and register["caller"] == "auth_service"

    mistakes = [entry for entry in entries["auth_service"] if entry.get("reason") == "invalid_credentials"]
    wrong_pin = [entry for entry in entries["parental_service"] if entry.get("reason") == "wrong_pin"]
    assert mistakes and wrong_pin
    assert all(entry["level"] == "info" and "exception" not in entry for entry in mistakes + wrong_pin)
    statuses = {entry["status"] for entry in entries["gateway"] if "status" in entry}
    assert {200, 201, 401} <= statuses
    assert not [entry for logged in entries.values() for entry in logged if entry["level"] in {"error", "critical"}]

    # The search finds what it looks for: a secret in each form, a PIN as a word but not inside an id.
    token = next(secret for secret in secrets if len(secret) > 100)
    assert finds(token, f"x={urllib.parse.quote(token, safe='')}") and finds(NEW_PASSWORD, "staple+gun+42+lantern")
    assert finds(PIN, '{"pin": "7294"}') and not finds(PIN, '"request_id": "a7294b"')
    leaks = [
        (name, line[:120])
        for name, text in lines.items()
        for line in text.splitlines()
        for secret in secrets
        if finds(secret, line)
    ]
    assert not leaks
    assert len(secrets) >= 12  # the flow really used them (a refresh within the second may repeat a token)
