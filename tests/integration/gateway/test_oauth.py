import base64

from tests.integration.gateway.conftest import bearer

CLIENT = ("resource-server", "resource-server-secret")


def basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


async def test_introspecting_an_active_access_token_describes_it_as_rfc_7662_says(stack):
    tokens = await stack.sign_in()
    response = await stack.client.post(
        "/oauth2/introspect", data={"token": tokens["access_token"]}, headers=basic(*CLIENT)
    )
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert await response.json() == {
        "active": True,
        "token_type": "Bearer",
        "token_use": "access_token",
        "scope": "streaming account",
        "client_id": "remote-signout-app",
        "username": "ada@example.com",
        "sub": stack.world.accounts["ada@example.com"][0],
        "sid": tokens["session_id"],
        "device_id": tokens["device_id"],
        "iat": 1_700_000_000,
        "exp": 1_700_000_900,
        "iss": "remote-signout",
    }


async def test_client_credentials_may_come_as_form_fields(stack):
    tokens = await stack.sign_in()
    response = await stack.client.post(
        "/oauth2/introspect",
        data={
            "token": tokens["refresh_token"],
            "token_type_hint": "refresh_token",
            "client_id": CLIENT[0],
            "client_secret": CLIENT[1],
        },
    )
    assert response.status == 200
    assert (await response.json())["token_type"] == "Bearer"
    assert (await response.json())["token_use"] == "refresh_token"
    assert stack.world.requests["auth.IntrospectToken"][0].token_type_hint == "refresh_token"


async def test_a_revoked_token_introspects_as_exactly_inactive(stack):
    tokens = await stack.sign_in()
    revoked = await stack.client.post("/oauth2/revoke", data={"token": tokens["refresh_token"]}, headers=basic(*CLIENT))
    assert revoked.status == 200
    assert await revoked.read() == b""
    assert revoked.headers["Cache-Control"] == "no-store"
    assert (await stack.client.get("/v1/session", headers=bearer(tokens))).status == 401
    response = await stack.client.post(
        "/oauth2/introspect", data={"token": tokens["access_token"]}, headers=basic(*CLIENT)
    )
    assert await response.json() == {"active": False}


async def test_revoking_an_unknown_token_is_still_200(stack):
    response = await stack.client.post("/oauth2/revoke", data={"token": "never-issued"}, headers=basic(*CLIENT))
    assert response.status == 200


async def test_a_wrong_or_missing_client_secret_is_401_invalid_client_with_a_basic_challenge(stack):
    tokens = await stack.sign_in()
    for headers, data in (
        (basic(CLIENT[0], "wrong"), {"token": tokens["access_token"]}),
        (basic("someone-else", CLIENT[1]), {"token": tokens["access_token"]}),
        ({}, {"token": tokens["access_token"]}),
        ({"Authorization": "Basic !!!"}, {"token": tokens["access_token"]}),
        ({}, {"token": tokens["access_token"], "client_id": CLIENT[0], "client_secret": "nope"}),
    ):
        for path in ("/oauth2/introspect", "/oauth2/revoke"):
            response = await stack.client.post(path, data=data, headers=headers)
            assert response.status == 401, (path, headers)
            assert await response.json() == {
                "error": "invalid_client",
                "error_description": "Client authentication failed.",
            }
            assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert "auth.RevokeToken" not in stack.world.calls
    assert (await stack.client.get("/v1/session", headers=bearer(tokens))).status == 200


async def test_a_missing_token_or_a_json_body_is_400_invalid_request(stack):
    missing = await stack.client.post(
        "/oauth2/introspect", data={"token_type_hint": "access_token"}, headers=basic(*CLIENT)
    )
    as_json = await stack.client.post("/oauth2/revoke", json={"token": "x"}, headers=basic(*CLIENT))
    both = await stack.client.post(
        "/oauth2/revoke",
        data={"token": "x", "client_id": CLIENT[0], "client_secret": CLIENT[1]},
        headers=basic(*CLIENT),
    )
    for response in (missing, as_json, both):
        assert response.status == 400
        body = await response.json()
        assert body.keys() == {"error", "error_description"} and body["error"] == "invalid_request"
        assert body["error_description"]
    assert "auth.RevokeToken" not in stack.world.calls
