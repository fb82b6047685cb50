import pytest

from tests.integration.gateway.conftest import bearer

DEVICE = {"client_id": "tv-1", "name": "TV", "type": "tv"}


async def test_malformed_json_is_400_invalid_json(stack):
    response = await stack.client.post("/v1/accounts", data=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert (await response.json())["error"]["code"] == "invalid_json"


async def test_a_body_that_is_not_utf8_is_400(stack):
    response = await stack.client.post("/v1/accounts", data=b"\xff\xfe", headers={"Content-Type": "application/json"})
    assert response.status == 400


async def test_a_json_array_body_is_400(stack):
    response = await stack.client.post("/v1/sign-in", json=[1, 2])
    assert response.status == 400
    assert (await response.json())["error"]["message"] == "The request body must be a JSON object."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": "correct horse", "device": DEVICE}, "'email'"),
        ({"email": 5, "password": "correct horse", "device": DEVICE}, "'email'"),
        ({"email": "a@b.c", "password": "correct horse"}, "'device'"),
        ({"email": "a@b.c", "password": "correct horse", "device": "tv"}, "'device'"),
        ({"email": "a@b.c", "password": "correct horse", "device": {"name": "TV", "type": "tv"}}, "'device.client_id'"),
        ({"email": "a@b.c", "password": "correct horse", "device": {**DEVICE, "platform": 3}}, "'device.platform'"),
    ],
)
async def test_a_missing_or_wrongly_typed_field_is_422_naming_it(stack, body, field):
    response = await stack.client.post("/v1/sign-in", json=body)
    assert response.status == 422
    error = (await response.json())["error"]
    assert error["code"] == "invalid_argument"
    assert field in error["message"]
    assert stack.world.sign_in_requests == []


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"email": "a" * 255}, "email"),
        ({"password": "p" * 129}, "password"),
        ({"device": {**DEVICE, "client_id": "c" * 129}}, "device.client_id"),
        ({"device": {**DEVICE, "name": "n" * 101}}, "device.name"),
    ],
)
async def test_an_over_long_string_is_422_before_any_service_is_called(stack, override, field):
    body = {"email": "a@b.c", "password": "correct horse", "device": DEVICE, **override}
    response = await stack.client.post("/v1/sign-in", json=body)
    assert response.status == 422
    assert field in (await response.json())["error"]["message"]
    assert stack.world.sign_in_requests == []


async def test_an_over_long_email_on_account_creation_is_422_without_creating_it(stack):
    response = await stack.client.post("/v1/accounts", json={"email": "a" * 255, "password": "correct horse"})
    assert response.status == 422
    assert stack.world.accounts == {}


@pytest.mark.parametrize("body", [{}, {"include_current": "yes"}, {"include_current": 1}, {"include_current": None}])
async def test_sign_out_all_needs_a_boolean_include_current(stack, body):
    tokens = await stack.sign_in()
    response = await stack.client.post("/v1/sign-out-all", json=body, headers=bearer(tokens))
    assert response.status == 422
    assert "'include_current'" in (await response.json())["error"]["message"]
    assert stack.world.revoke_requests == []


@pytest.mark.parametrize("size", ["0", "101", "ten", "-1"])
async def test_a_page_size_out_of_range_is_422(stack, size):
    tokens = await stack.sign_in()
    response = await stack.client.get(f"/v1/devices?page_size={size}", headers=bearer(tokens))
    assert response.status == 422
    assert "'page_size'" in (await response.json())["error"]["message"]


@pytest.mark.parametrize(
    "body",
    [{"name": "Kid"}, {"name": "Kid", "kind": "adult"}, {"name": "Kid", "kind": "kids", "maturity_level": "12+"}],
)
async def test_a_profile_with_a_missing_or_unknown_kind_or_level_is_422(stack, body):
    tokens = await stack.sign_in()
    response = await stack.client.post("/v1/profiles", json=body, headers=bearer(tokens))
    assert response.status == 422
    assert stack.world.profiles == {}


async def test_an_unknown_route_is_404_json(stack):
    response = await stack.client.get("/v1/nothing-here")
    assert response.status == 404
    assert (await response.json())["error"]["code"] == "not_found"


async def test_a_wrong_method_is_405_json_with_allow(stack):
    response = await stack.client.delete("/v1/sign-in")
    assert response.status == 405
    assert response.headers["Allow"] == "POST"
    assert (await response.json())["error"]["code"] == "method_not_allowed"
