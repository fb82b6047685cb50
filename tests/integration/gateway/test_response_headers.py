"""Every response: nosniff, no referrer, no version banner; every /v1 and /oauth2 answer: never stored; HSTS over
TLS only; HEAD wherever GET."""

from __future__ import annotations

import base64

import pytest

from gateway.events import STREAMS
from tests.integration.gateway.conftest import bearer
from tests.integration.gateway.test_page_headers import assert_page_headers

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
CLIENT = "Basic " + base64.b64encode(b"resource-server:resource-server-secret").decode()


def assert_every_response_headers(headers) -> None:  # type: ignore[no-untyped-def]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers.get("Server", "remote-signout") == "remote-signout"
    assert "Strict-Transport-Security" not in headers  # plain HTTP from an untrusted peer


def assert_never_stored(headers) -> None:  # type: ignore[no-untyped-def]
    assert {name: headers.get(name) for name in NO_STORE} == NO_STORE


async def test_every_answer_that_carries_a_token_or_personal_data_is_never_stored(stack):
    sign_in = await stack.client.post(
        "/v1/sign-in",
        json={
            "email": "ada@example.com",
            "password": "correct horse",
            "device": {"client_id": "tv-1", "name": "TV", "type": "tv"},
        },
    )
    assert sign_in.status == 401  # no account yet: errors are never stored either
    assert_never_stored(sign_in.headers)
    tokens = await stack.sign_in()
    refreshed = await stack.client.post("/v1/token/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status == 200
    assert_never_stored(refreshed.headers)
    tokens = await refreshed.json()
    answers = []
    for path in ("/v1/session", "/v1/devices", "/v1/profiles", "/v1/activity?profile_name=Ada", "/v1/downloads"):
        answers.append(await stack.client.get(path, headers=bearer(tokens)))
    answers += [
        await stack.client.post(
            "/v1/sign-in",
            json={
                "email": "ada@example.com",
                "password": "correct horse",
                "device": {"client_id": "tv-2", "name": "TV", "type": "tv"},
            },
        ),
        await stack.client.post(
            "/oauth2/token", data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
        ),
        await stack.client.post(
            "/oauth2/introspect", data={"token": tokens["access_token"]}, headers={"Authorization": CLIENT}
        ),
    ]
    answers.append(await stack.client.get("/v1/nothing-here"))
    for answer in answers:
        assert answer.status in (200, 404), (answer.url, await answer.text())
        assert_never_stored(answer.headers)
        assert_every_response_headers(answer.headers)


async def test_sign_in_answers_carry_no_store_exactly_as_rfc_6749_asks(stack):
    tokens = await stack.sign_in()
    response = await stack.client.post("/v1/token/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Pragma"] == "no-cache"


@pytest.mark.parametrize(
    "path", ["/healthz", "/openapi.json", "/metrics", "/.well-known/jwks.json", "/nothing", "/static/none.js"]
)
async def test_every_other_response_has_nosniff_no_referrer_and_no_version_banner(stack, path):
    response = await stack.client.get(path)
    assert_every_response_headers(response.headers)
    assert "aiohttp" not in response.headers.get("Server", "") and "Python" not in response.headers.get("Server", "")


async def test_the_page_keeps_its_own_headers(stack):
    for path in ("/", "/static/main.js"):
        response = await stack.client.get(path)
        assert_page_headers(response.headers)
        assert_every_response_headers(response.headers)


async def test_a_claimed_https_from_an_untrusted_peer_gets_no_hsts(stack):
    response = await stack.client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize(
    "path",
    [
        "/v1/session",
        "/v1/devices",
        "/v1/profiles",
        "/v1/titles",
        "/v1/downloads",
        "/healthz",
        "/openapi.json",
        "/metrics",
        "/.well-known/oauth-authorization-server",
        "/",
        "/static/main.js",
    ],
)
async def test_head_answers_wherever_get_does_with_the_same_headers_and_no_body(stack, path):
    tokens = await stack.sign_in()
    got = await stack.client.get(path, headers=bearer(tokens))
    head = await stack.client.head(path, headers=bearer(tokens))
    assert (head.status, got.status) == (200, 200)
    assert await head.read() == b""
    for name in ("Content-Type", "Content-Length", "Cache-Control", "X-Content-Type-Options", "Referrer-Policy"):
        if name == "Content-Length" and path == "/metrics":  # the counters move between the two requests
            continue
        assert head.headers.get(name) == got.headers.get(name), (path, name)


async def test_head_on_the_event_stream_checks_the_token_without_opening_the_stream(stack):
    tokens = await stack.sign_in()
    head = await stack.client.head("/v1/events", headers=bearer(tokens))
    assert head.status == 200
    assert head.headers["Content-Type"].startswith("text/event-stream")
    assert await head.read() == b""
    assert not stack.client.app[STREAMS].hubs
    refused = await stack.client.head("/v1/events", headers={"Authorization": "Bearer nope"})
    assert refused.status == 401
    assert (await stack.client.head("/v1/devices")).status == 401


async def test_head_on_a_route_without_get_is_still_405(stack):
    response = await stack.client.head("/v1/sign-in")
    assert response.status == 405
