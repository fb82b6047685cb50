"""RFC 8414 metadata, RFC 6749 refresh at /oauth2/token, RFC 6749 error bodies everywhere under /oauth2/, and
client-secret guessing throttled."""

from __future__ import annotations

import asyncio
import base64

from tests.integration.gateway.conftest import bearer

CLIENT = ("resource-server", "resource-server-secret")


def basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


async def test_the_authorization_server_metadata_names_every_endpoint(stack):
    response = await stack.client.get("/.well-known/oauth-authorization-server", headers={"Host": "tv.example.com"})
    assert response.status == 200
    assert response.headers["Cache-Control"] == "public, max-age=60"
    base = "http://tv.example.com"
    assert await response.json() == {
        "issuer": base,
        "token_endpoint": f"{base}/oauth2/token",
        "token_endpoint_auth_methods_supported": ["none"],
        "grant_types_supported": ["refresh_token", "urn:ietf:params:oauth:grant-type:device_code"],
        "device_authorization_endpoint": f"{base}/oauth2/device_authorization",
        "response_types_supported": [],
        "revocation_endpoint": f"{base}/oauth2/revoke",
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "introspection_endpoint": f"{base}/oauth2/introspect",
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "jwks_uri": f"{base}/.well-known/jwks.json",
        "scopes_supported": ["streaming", "account"],
        "service_documentation": f"{base}/openapi.json",
    }


async def test_a_malformed_host_gets_no_metadata(stack):
    response = await stack.client.get("/.well-known/oauth-authorization-server", headers={"Host": "evil.com/x?"})
    assert response.status == 400


async def test_the_metadata_endpoints_exist(stack):
    tokens = await stack.sign_in()
    revoke = await stack.client.post("/oauth2/revoke", data={"token": "unknown"}, headers=basic(*CLIENT))
    introspect = await stack.client.post("/oauth2/introspect", data={"token": "unknown"}, headers=basic(*CLIENT))
    token = await stack.client.post(
        "/oauth2/token", data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert (revoke.status, introspect.status, token.status) == (200, 200, 200)


async def test_a_refresh_grant_at_the_token_endpoint_rotates_the_pair(stack):
    tokens = await stack.sign_in()
    response = await stack.client.post(
        "/oauth2/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": "remote-signout-app",
        },
    )
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    pair = await response.json()
    assert pair["token_type"] == "Bearer" and pair["expires_in"] == 900
    assert pair["refresh_token"] != tokens["refresh_token"] and pair["session_id"] == tokens["session_id"]
    assert (await stack.client.get("/v1/session", headers=bearer(pair))).status == 200

    spent = await stack.client.post(
        "/oauth2/token", data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert spent.status == 400
    assert (await spent.json())["error"] == "invalid_grant"
    assert (await spent.json())["error_description"]


async def test_a_device_app_refreshes_as_itself_and_an_unknown_client_cannot(stack):
    tokens = await stack.sign_in()

    def refresh(refresh_token: str, client_id: str):  # type: ignore[no-untyped-def]
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id}
        return stack.client.post("/oauth2/token", data=form)

    as_tv = await refresh(tokens["refresh_token"], "tv-app")  # GATEWAY_DEVICE_FLOW_CLIENTS
    assert as_tv.status == 200, await as_tv.text()
    pair = await as_tv.json()
    stranger = await refresh(pair["refresh_token"], "some-other-app")
    assert (stranger.status, (await stranger.json())["error"]) == (401, "invalid_client")
    assert (await refresh(pair["refresh_token"], "tv-app")).status == 200  # the stranger spent nothing


async def test_the_token_endpoint_refuses_other_grants_clients_and_bodies(stack):
    tokens = await stack.sign_in()
    cases = [
        ({"grant_type": "password", "username": "a", "password": "b"}, 400, "unsupported_grant_type"),
        ({"refresh_token": tokens["refresh_token"]}, 400, "invalid_request"),
        ({"grant_type": "refresh_token"}, 400, "invalid_request"),
        ({"grant_type": "refresh_token", "refresh_token": "x", "client_id": "someone"}, 401, "invalid_client"),
    ]
    for form, status, error in cases:
        response = await stack.client.post("/oauth2/token", data=form)
        assert response.status == status, form
        body = await response.json()
        assert body["error"] == error and body["error_description"], form
    as_json = await stack.client.post(
        "/oauth2/token", json={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert as_json.status == 400 and (await as_json.json())["error"] == "invalid_request"
    assert (await stack.client.get("/v1/session", headers=bearer(tokens))).status == 200


async def test_every_oauth_error_has_an_error_description_in_rfc_6749s_shape(stack):
    wrong_method = await stack.client.get("/oauth2/introspect")
    assert wrong_method.status == 405
    assert wrong_method.headers["Allow"] == "POST"
    nowhere = await stack.client.post("/oauth2/nothing")
    assert nowhere.status == 404
    await stack.servers["auth"].stop(0)
    down = await stack.client.post("/oauth2/introspect", data={"token": "x"}, headers=basic(*CLIENT))
    assert down.status == 503
    for response in (wrong_method, nowhere, down):
        body = await response.json()
        assert body.keys() == {"error", "error_description"}, body
        assert isinstance(body["error"], str) and body["error_description"]
        assert response.headers["Cache-Control"] == "no-store"
    assert (await down.json())["error"] == "temporarily_unavailable"


async def test_a_kids_profile_token_introspects_with_the_streaming_scope_only(stack):
    tokens = await stack.sign_in()
    created = await stack.client.post("/v1/profiles", json={"name": "Robin", "kind": "kids"}, headers=bearer(tokens))
    assert created.status == 201, await created.text()
    profile_id = (await created.json())["profile_id"]
    selected = await stack.client.post(f"/v1/profiles/{profile_id}/select", json={}, headers=bearer(tokens))
    assert selected.status == 200, await selected.text()
    kids_token = (await selected.json())["access_token"]
    response = await stack.client.post("/oauth2/introspect", data={"token": kids_token}, headers=basic(*CLIENT))
    body = await response.json()
    assert (body["active"], body["scope"], body["token_use"]) == (True, "streaming", "access_token")


async def test_three_hundred_wrong_client_secrets_are_throttled_with_retry_after(stack):
    tokens = await stack.sign_in()

    async def guess(n: int):  # type: ignore[no-untyped-def]
        return await stack.client.post(
            "/oauth2/introspect", data={"token": tokens["access_token"]}, headers=basic(CLIENT[0], f"guess-{n}")
        )

    answers = await asyncio.gather(*(guess(n) for n in range(300)))
    statuses = [answer.status for answer in answers]
    assert statuses.count(401) == 20 and statuses.count(429) == 280
    throttled = next(answer for answer in answers if answer.status == 429)
    assert 1 <= int(throttled.headers["Retry-After"]) <= 60
    body = await throttled.json()
    assert body["error"] == "slow_down" and "Try again in" in body["error_description"]
    # While the window is full nothing is checked, the right secret included: a guess learns nothing.
    right = await stack.client.post(
        "/oauth2/introspect", data={"token": tokens["access_token"]}, headers=basic(*CLIENT)
    )
    assert right.status == 429
    assert "auth.IntrospectToken" not in stack.world.calls
