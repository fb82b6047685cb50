"""The gateway in front of the real auth_service: 429 with Retry-After, the same body for an unknown email,
the password policy's 400s, and profile-password failures that never block sign-in."""

from __future__ import annotations

import pytest

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.adapters.migrations import HISTORY
from auth_service.adapters.unit_of_work import unit_of_work_factory
from auth_service.bootstrap import build
from auth_service.config import Config
from auth_service.entrypoints.server import create_auth_server
from tests.integration.gateway.conftest import gateway_before
from tests.schema import migrated_engine
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY, FakeDeviceRegistry

PASSWORD = "correct horse battery"


@pytest.fixture
async def client(pki, tmp_path):
    """A real gateway and a real auth_service (SQLite); fake device_service and parental_service."""
    engine = migrated_engine(f"sqlite:///{tmp_path / 'auth.db'}", HISTORY)
    deps = build(
        Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY),
        unit_of_work_factory(engine),
        AccessTokenCodec([SigningKey.generate()], 900),
        FakeDeviceRegistry(),
    )
    auth = create_auth_server(deps, "127.0.0.1:0", tls=pki.identity("auth_service"), metrics=False)
    try:
        async with gateway_before(pki, auth) as client:
            yield client
    finally:
        engine.dispose()


async def create(client, email="ann@example.com", password=PASSWORD):
    return await client.post("/v1/accounts", json={"email": email, "password": password})


async def sign_in(client, email="ann@example.com", password="wrong password", client_id="attacker"):
    device = {"client_id": client_id, "name": "A device", "type": "tv"}
    return await client.post("/v1/sign-in", json={"email": email, "password": password, "device": device})


async def test_a_throttled_sign_in_is_429_with_retry_after_and_the_same_body_for_an_unknown_email(client):
    assert (await create(client)).status == 201
    answers = {}
    for email in ("ann@example.com", "nobody@example.com"):
        statuses = [(await sign_in(client, email)).status for _ in range(5)]
        assert statuses == [401] * 5
        throttled = await sign_in(client, email)
        answers[email] = (throttled.status, await throttled.json(), throttled.headers.get("Retry-After"))
    assert answers["ann@example.com"][:2] == answers["nobody@example.com"][:2]
    status, body, retry_after = answers["ann@example.com"]
    assert status == 429 and body["error"]["code"] == "sign_in_throttled"
    assert retry_after is not None and 299 <= int(retry_after) <= 300
    assert answers["nobody@example.com"][2] is not None


async def test_the_owners_known_device_gets_in_while_an_attacker_gets_429(client):
    await create(client)
    assert (await sign_in(client, password=PASSWORD, client_id="living-room-tv")).status == 200
    for _ in range(8):
        await sign_in(client)
    assert (await sign_in(client, password=PASSWORD)).status == 429  # the attacker, even with the password
    assert (await sign_in(client, password=PASSWORD, client_id="living-room-tv")).status == 200


@pytest.mark.parametrize(
    ("password", "code"),
    [("password", "password_too_common"), ("12345678", "password_too_common"), (" " * 8, "password_too_short")],
)
async def test_a_weak_password_is_400_with_its_code(client, password, code):
    response = await create(client, password=password)
    assert response.status == 400
    assert (await response.json())["error"]["code"] == code


async def test_a_password_too_long_or_empty_is_400_at_the_gateway_too(client):
    for password, code in (
        ("p" * 129, "password_too_long"),
        ("", "password_too_short"),
        ("\ufdfa" * 8, "password_too_long"),
    ):
        response = await create(client, password=password)
        assert (response.status, (await response.json())["error"]["code"]) == (400, code)


async def test_a_password_change_to_a_common_password_is_400(client):
    await create(client)
    tokens = await (await sign_in(client, password=PASSWORD, client_id="phone")).json()
    response = await client.post(
        "/v1/password",
        json={"current_password": PASSWORD, "new_password": "iloveyou1"},
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert response.status == 400
    assert (await response.json())["error"]["code"] == "password_too_common"


async def test_wrong_profile_passwords_get_429_with_retry_after_and_never_block_sign_in(client):
    await create(client)
    tokens = await (await sign_in(client, password=PASSWORD, client_id="phone")).json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    statuses = []
    for _ in range(7):
        response = await client.put(
            "/v1/profiles/p-1/maturity", json={"password": "wrong password", "maturity_level": "13+"}, headers=bearer
        )
        statuses.append(response.status)
    assert statuses == [401] * 5 + [429] * 2
    assert response.headers["Retry-After"] == "60"
    assert (await response.json())["error"]["code"] == "password_throttled"
    assert (await sign_in(client, password=PASSWORD, client_id="new-tablet")).status == 200


async def test_the_openapi_document_names_retry_after_and_the_password_policy(client):
    document = await (await client.get("/openapi.json")).json()
    assert document["components"]["responses"]["Error429"]["headers"]["Retry-After"]["schema"]["type"] == "integer"
    assert "password_too_common" in document["components"]["responses"]["Error400"]["description"]
    new_password = document["components"]["schemas"]["NewAccount"]["properties"]["password"]
    assert "10,000 most common" in new_password["description"]
