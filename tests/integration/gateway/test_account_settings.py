from prometheus_client import REGISTRY
from remotesignout.auth.v1 import auth_pb2

from tests.integration.gateway.conftest import bearer


def latency_count(scope: str) -> float:
    return REGISTRY.get_sample_value("remotesignout_sign_out_duration_seconds_count", {"scope": scope}) or 0.0


async def test_changing_the_password_signs_the_other_devices_out_by_default_and_fans_out(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    before = latency_count("all_others")
    response = await stack.client.post(
        "/v1/password",
        json={"current_password": "correct horse", "new_password": "battery staple"},
        headers=bearer(phone),
    )
    assert response.status == 200, await response.text()
    body = await response.json()
    request = stack.world.requests["auth.ChangePassword"][0]
    assert request.keep_other_devices_signed_in is False and request.session_id == phone["session_id"]
    assert (body["revocation"]["scope"], body["revocation"]["reason"]) == ("all_others", "password_changed")
    assert body["propagation"] == {"device_service": "applied", "parental_service": "applied"}
    assert latency_count("all_others") == before + 1
    assert (await stack.client.get("/v1/session", headers=bearer(tv))).status == 401
    assert (await stack.client.get("/v1/session", headers=bearer(phone))).status == 200


async def test_changing_the_password_can_keep_the_other_devices_signed_in(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    response = await stack.client.post(
        "/v1/password",
        json={
            "current_password": "correct horse",
            "new_password": "battery staple",
            "sign_out_other_devices": False,
        },
        headers=bearer(phone),
    )
    assert response.status == 200
    assert await response.json() == {"revocation": None, "propagation": {}, "receipt": None}
    assert stack.world.requests["auth.ChangePassword"][0].keep_other_devices_signed_in is True
    assert "device.ApplyRevocation" not in stack.world.calls
    assert (await stack.client.get("/v1/session", headers=bearer(tv))).status == 200


async def test_a_wrong_current_password_is_401_wrong_password_and_the_session_stays_valid(stack):
    tokens = await stack.sign_in()
    response = await stack.client.post(
        "/v1/password", json={"current_password": "not it", "new_password": "battery staple"}, headers=bearer(tokens)
    )
    assert response.status == 401
    assert (await response.json())["error"]["code"] == "wrong_password"
    assert "invalid_token" not in response.headers.get("WWW-Authenticate", "")
    assert (await stack.client.get("/v1/session", headers=bearer(tokens))).status == 200


async def test_sign_out_other_devices_must_be_a_boolean(stack):
    tokens = await stack.sign_in()
    response = await stack.client.post(
        "/v1/password",
        json={
            "current_password": "correct horse",
            "new_password": "battery staple",
            "sign_out_other_devices": "yes",
        },
        headers=bearer(tokens),
    )
    assert response.status == 422
    assert "auth.ChangePassword" not in stack.world.calls


async def test_closing_the_account_signs_every_device_out_and_fans_out(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    response = await stack.client.post("/v1/account/close", json={"password": "correct horse"}, headers=bearer(tv))
    assert response.status == 200
    body = await response.json()
    assert (body["revocation"]["scope"], body["revocation"]["reason"]) == ("all", "account_closed")
    assert body["propagation"] == {"device_service": "applied", "parental_service": "applied"}
    assert stack.world.applied["device"][0].reason == auth_pb2.REVOCATION_REASON_ACCOUNT_CLOSED
    for tokens in (tv, phone):
        assert (await stack.client.get("/v1/session", headers=bearer(tokens))).status == 401
