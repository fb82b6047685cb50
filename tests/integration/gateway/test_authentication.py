import datetime
import time

import pytest

from common.access_tokens import INVALID
from tests.integration.gateway.conftest import bearer
from tests.integration.gateway.fakes import SESSION_DAYS


def iso(micros: int) -> str:
    return datetime.datetime.fromtimestamp(micros / 1e6, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


PROTECTED = [
    ("GET", "/v1/session"),
    ("GET", "/v1/devices"),
    ("GET", "/v1/devices/d-1"),
    ("POST", "/v1/devices/d-1/sign-out"),
    ("POST", "/v1/sign-out-all"),
    ("POST", "/v1/sign-out"),
    ("GET", "/v1/events"),
    ("GET", "/v1/profiles"),
    ("POST", "/v1/profiles"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
async def test_every_protected_route_without_a_bearer_token_is_401_asking_to_sign_in(stack, method, path):
    response = await stack.client.request(method, path)
    assert response.status == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert await response.json() == {
        "error": {"code": "unauthenticated", "message": "Sign in first: send 'Authorization: Bearer <access token>'."}
    }


async def test_a_basic_authorization_header_is_401(stack):
    response = await stack.client.get("/v1/session", headers={"Authorization": "Basic YWRhOnB3"})
    assert response.status == 401
    assert (await response.json())["error"]["code"] == "unauthenticated"


async def test_an_unknown_token_is_401_invalid_token(stack):
    response = await stack.client.get("/v1/session", headers={"Authorization": "Bearer not-a-token"})
    assert response.status == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert (await response.json())["error"] == {"code": "unauthenticated", "message": INVALID}  # checked at the gateway


async def test_the_session_is_shown_with_iso_times_and_is_401_once_signed_out(stack):
    tokens = await stack.sign_in()
    response = await stack.client.get("/v1/session", headers=bearer(tokens))
    assert response.status == 200
    session = stack.world.sessions[tokens["session_id"]]
    body = await response.json()
    assert body == {
        "session_id": tokens["session_id"],
        "account_id": stack.world.accounts["ada@example.com"][0],
        "device_id": tokens["device_id"],
        "created_at": iso(session.signed_in_at_us),
        "last_used_at": body["last_used_at"],  # the token's iat: whole seconds, at most a second before now
        "expires_at": iso(session.signed_in_at_us + SESSION_DAYS * 86_400_000_000),
        "revoked": False,
        "profile_id": "",
    }
    issued = datetime.datetime.fromisoformat(body["last_used_at"]).timestamp()
    assert time.time() - 2 < issued <= time.time() and body["last_used_at"].endswith(".000000Z")
    assert (await stack.client.post("/v1/sign-out", headers=bearer(tokens))).status == 200
    after = await stack.client.get("/v1/session", headers=bearer(tokens))
    assert after.status == 401
