"""The edge against the four real processes: hostile strings and headers get a clear 4xx before any service (never
a 500), only a canonical access token is accepted, the headers every answer carries, and the OAuth endpoints."""

from __future__ import annotations

import base64
import json
import socket
import urllib.parse

import pytest

from tools.json_http import Reply, call

PASSWORD = "correct horse battery"
OAUTH_CLIENT = ("resource-server", "resource-server-secret")  # the gateway's demo default


class Client:
    def __init__(self, base: str) -> None:
        self.base = base

    def __call__(self, method: str, path: str, body=None, token=None, **kwargs) -> Reply:  # type: ignore[no-untyped-def]
        return call(self.base, method, path, body, token, **kwargs)

    def sign_in(self, email: str, client_id: str) -> dict:
        assert self("POST", "/v1/accounts", {"email": email, "password": PASSWORD}).status == 201
        device = {"client_id": client_id, "name": client_id, "type": "tv"}
        reply = self("POST", "/v1/sign-in", {"email": email, "password": PASSWORD, "device": device})
        assert reply.status == 200, reply.body
        return reply.body

    def form(self, path: str, fields: dict[str, str]) -> Reply:
        secret = base64.b64encode(":".join(OAUTH_CLIENT).encode()).decode()
        return self(
            "POST",
            path,
            raw=urllib.parse.urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Basic {secret}"},
        )


@pytest.fixture(scope="module")
def http(suite) -> Client:  # type: ignore[no-untyped-def]
    return Client(suite.gateway_url)


def raw(address: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    host, _, port = address.rpartition(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    return int(status_line.split()[1]), dict(line.split(": ", 1) for line in lines), body


def test_strings_that_are_not_text_are_400_and_never_reach_a_service(http: Client) -> None:
    for email in ("nul\u0000@example.com", "sur\ud800@example.com", "esc\u001b@example.com"):
        body = json.dumps({"email": email, "password": PASSWORD}).encode()
        reply = http("POST", "/v1/accounts", raw=body)
        assert reply.status == 400, reply.body
        assert reply.error_code == "invalid_text"
    device = {"client_id": "tv", "name": "TV\u0000", "type": "tv"}
    body = json.dumps({"email": "x@example.com", "password": PASSWORD, "device": device}).encode()
    assert http("POST", "/v1/sign-in", raw=body).error_code == "invalid_text"


def test_a_json_body_of_another_media_type_is_415(http: Client) -> None:
    body = json.dumps({"email": "plain@example.com", "password": PASSWORD}).encode()
    reply = http("POST", "/v1/accounts", raw=body, headers={"Content-Type": "text/plain"})
    assert (reply.status, reply.error_code) == (415, "unsupported_media_type")


def test_an_authorization_that_is_not_ascii_is_401_never_500(http: Client, suite) -> None:  # type: ignore[no-untyped-def]
    for value in (b"Bearer \xff\xfe", "Bearer caf\u00e9".encode(), b"Basic \xed\xa0\x80"):
        path = b"/oauth2/introspect" if value.startswith(b"Basic") else b"/v1/devices"
        method = b"POST" if value.startswith(b"Basic") else b"GET"
        status, headers, body = raw(
            suite.gateway_address,
            method + b" " + path + b" HTTP/1.1\r\nHost: x\r\nAuthorization: " + value + b"\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\nConnection: close\r\n\r\n"
            b"token=x",
        )
        assert status == 401, body
        assert headers["Server"] == "remote-signout"


def test_only_the_canonical_form_of_an_access_token_is_accepted(http: Client) -> None:
    tv = http.sign_in("canon@example.com", "canon-tv")
    token = tv["access_token"]
    header, payload, signature = token.split(".")
    variants = [
        f"{token}=",
        f"{token}==",
        f"{header}=.{payload}.{signature}",
        f"{header}.{payload}=.{signature}",
        f"{header}.{payload}.{signature}A",
        f"{header}.{payload}.{signature[:-1]}",
        f"{token}.",
        f"{token}.x",
        f"{header}.{payload}.{signature.replace('-', '+').replace('_', '/')}"
        if "-" in signature or "_" in signature
        else f"{header}.{payload}.{signature}!",
        token.swapcase(),
        f" {token}x",
    ]
    for variant in variants:
        reply = http("GET", "/v1/session", token=variant)
        assert reply.status == 401, variant
    assert http("GET", "/v1/session", token=token).status == 200


def test_answers_are_never_stored_and_carry_no_version_banner(http: Client) -> None:
    tv = http.sign_in("headers@example.com", "headers-tv")
    reply = http("GET", "/v1/devices", token=tv["access_token"])
    assert (reply.headers["Cache-Control"], reply.headers["Pragma"]) == ("no-store", "no-cache")
    for path in ("/v1/devices", "/healthz", "/", "/nothing"):
        reply = http("GET", path, token=tv["access_token"])
        assert reply.headers["Server"] == "remote-signout"
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert reply.headers["Referrer-Policy"] == "no-referrer"
        assert "Strict-Transport-Security" not in reply.headers
    head = http("HEAD", "/v1/devices", token=tv["access_token"])
    assert head.status == 200 and head.body is None


def test_the_http_servers_own_errors_carry_no_version_banner(suite) -> None:  # type: ignore[no-untyped-def]
    status, headers, _ = raw(suite.gateway_address, b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == 400
    assert headers["Server"] == "remote-signout"


def test_introspection_names_the_user_the_scope_and_the_client(http: Client) -> None:
    tv = http.sign_in("Intro@Example.com", "intro-tv")
    reply = http.form("/oauth2/introspect", {"token": tv["access_token"]})
    assert reply.status == 200
    body = reply.body
    assert (body["active"], body["token_type"], body["token_use"]) == (True, "Bearer", "access_token")
    assert (body["username"], body["scope"], body["client_id"]) == (
        "intro@example.com",
        "streaming account",
        "remote-signout-app",
    )
    assert body["sid"] == tv["session_id"]
    refresh = http.form("/oauth2/introspect", {"token": tv["refresh_token"], "token_type_hint": "refresh_token"})
    assert (refresh.body["token_use"], refresh.body["username"]) == ("refresh_token", "intro@example.com")


def test_the_metadata_points_at_endpoints_that_answer(http: Client, suite) -> None:  # type: ignore[no-untyped-def]
    metadata = http("GET", "/.well-known/oauth-authorization-server").body
    assert metadata["issuer"] == suite.gateway_url
    assert http("GET", urllib.parse.urlparse(metadata["jwks_uri"]).path).status == 200
    tv = http.sign_in("grant@example.com", "grant-tv")
    token_path = urllib.parse.urlparse(metadata["token_endpoint"]).path
    fields = {"grant_type": "refresh_token", "refresh_token": tv["refresh_token"]}
    reply = http(
        "POST",
        token_path,
        raw=urllib.parse.urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert reply.status == 200, reply.body
    assert http("GET", "/v1/session", token=reply.body["access_token"]).status == 200
    again = http(
        "POST",
        token_path,
        raw=urllib.parse.urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert (again.status, again.body["error"]) == (400, "invalid_grant")
    assert again.body["error_description"]
