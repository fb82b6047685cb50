"""What fuzzing the contract found at the gateway's edge (tests/fuzz), through a real gateway."""

import pytest

from gateway.api import MAX_ID_LENGTH
from tests.integration.gateway.conftest import bearer
from tests.integration.gateway.test_playback_and_profiles import PASSWORD, profiles_of


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", "/v1/profiles/{profile}/blocked-titles/{long}"),
        ("delete", "/v1/profiles/{long}/pin"),
        ("get", "/v1/devices/{long}"),
        ("post", "/v1/devices/{long}/sign-out"),
    ],
)
async def test_a_path_parameter_longer_than_the_schema_allows_is_404_and_reaches_no_service(stack, method, path):
    tokens = await stack.sign_in()
    profile = (await profiles_of(stack, tokens))["Teen"]["profile_id"]
    stack.world.calls.clear()
    response = await stack.client.request(
        method,
        path.format(profile=profile, long="t" * (MAX_ID_LENGTH + 1)),
        json={"password": PASSWORD},
        headers=bearer(tokens),
    )
    assert response.status == 404
    assert (await response.json())["error"]["code"] == "not_found"
    assert [call for call in stack.world.calls if call != "auth.ValidateToken"] == []


async def test_an_id_as_long_as_the_schema_allows_reaches_the_service(stack):
    tokens = await stack.sign_in()
    response = await stack.client.get(f"/v1/devices/{'d' * MAX_ID_LENGTH}", headers=bearer(tokens))
    assert response.status == 404
    assert "device.GetDevice" in stack.world.calls


async def test_the_event_stream_documents_each_event(stack):
    document = await (await stack.client.get("/openapi.json")).json()
    content = document["paths"]["/v1/events"]["get"]["responses"]["200"]["content"]["text/event-stream"]
    assert content["schema"] == {"$ref": "#/components/schemas/ServerSentEvent"}
    assert content["example"] == {"event": "ready", "data": "{}"}
    event = document["components"]["schemas"]["ServerSentEvent"]
    assert set(event["properties"]) == {"event", "data"}
