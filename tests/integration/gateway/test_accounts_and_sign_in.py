from remotesignout.auth.v1 import auth_pb2

from tests.integration.gateway.conftest import bearer


async def test_creating_an_account_answers_201_with_its_id(stack):
    response = await stack.client.post("/v1/accounts", json={"email": "ada@example.com", "password": "correct horse"})
    assert response.status == 201
    body = await response.json()
    assert body == {"account_id": stack.world.accounts["ada@example.com"][0], "email": "ada@example.com"}


async def test_creating_an_account_twice_is_409_with_the_services_reason(stack):
    await stack.client.post("/v1/accounts", json={"email": "ada@example.com", "password": "correct horse"})
    response = await stack.client.post("/v1/accounts", json={"email": "ada@example.com", "password": "other one"})
    assert response.status == 409
    assert await response.json() == {"error": {"code": "email_taken", "message": "An account with this email exists."}}


async def test_signing_in_returns_a_bearer_token_pair_and_forwards_device_and_address(stack):
    tokens = await stack.sign_in(client_id="tv-1")
    assert set(tokens) == {"access_token", "refresh_token", "token_type", "expires_in", "session_id", "device_id"}
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 900
    sent = stack.world.sign_in_requests[-1]
    assert sent.device.type == auth_pb2.DEVICE_TYPE_TV
    assert sent.device.client_id == "tv-1"
    assert sent.ip_address == "127.0.0.1"


async def test_signing_in_with_optional_platform_and_app_version_forwards_them(stack):
    await stack.client.post("/v1/accounts", json={"email": "ada@example.com", "password": "correct horse"})
    response = await stack.client.post(
        "/v1/sign-in",
        json={
            "email": "ada@example.com",
            "password": "correct horse",
            "device": {
                "client_id": "p-1",
                "name": "Phone",
                "type": "streaming_player",
                "platform": "Android 15",
                "app_version": "8.1",
            },
        },
    )
    assert response.status == 200
    sent = stack.world.sign_in_requests[-1]
    assert sent.device.type == auth_pb2.DEVICE_TYPE_STREAMING_PLAYER
    assert (sent.device.platform, sent.device.app_version) == ("Android 15", "8.1")


async def test_an_unknown_device_type_is_422_listing_the_allowed_types_without_calling_auth(stack):
    response = await stack.client.post(
        "/v1/sign-in",
        json={
            "email": "ada@example.com",
            "password": "correct horse",
            "device": {"client_id": "x", "name": "Fridge", "type": "fridge"},
        },
    )
    assert response.status == 422
    error = (await response.json())["error"]
    assert error["code"] == "invalid_device_type"
    for allowed in ("tv", "phone", "tablet", "computer", "browser", "console", "streaming_player"):
        assert allowed in error["message"]
    assert stack.world.sign_in_requests == []


async def test_a_wrong_password_is_401_with_the_services_reason(stack):
    await stack.client.post("/v1/accounts", json={"email": "ada@example.com", "password": "correct horse"})
    response = await stack.client.post(
        "/v1/sign-in",
        json={
            "email": "ada@example.com",
            "password": "wrong horse",
            "device": {"client_id": "tv-1", "name": "TV", "type": "tv"},
        },
    )
    assert response.status == 401
    assert (await response.json())["error"] == {"code": "invalid_credentials", "message": "Wrong email or password."}


async def test_refreshing_returns_a_new_pair_of_the_same_session(stack):
    tokens = await stack.sign_in()
    response = await stack.client.post("/v1/token/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert response.status == 200
    renewed = await response.json()
    assert renewed["session_id"] == tokens["session_id"]
    assert renewed["token_type"] == "Bearer"
    assert renewed["access_token"] != tokens["access_token"]
    session = await stack.client.get("/v1/session", headers=bearer(renewed))
    assert session.status == 200


async def test_refreshing_with_a_spent_token_is_401(stack):
    tokens = await stack.sign_in()
    await stack.client.post("/v1/token/refresh", json={"refresh_token": tokens["refresh_token"]})
    response = await stack.client.post("/v1/token/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert response.status == 401
    assert (await response.json())["error"]["code"] == "invalid_refresh_token"
