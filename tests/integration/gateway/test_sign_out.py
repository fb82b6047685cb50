from prometheus_client import REGISTRY
from remotesignout.auth.v1 import auth_pb2

from tests.integration.gateway.conftest import bearer


def failures(service: str) -> float:
    return REGISTRY.get_sample_value("remotesignout_fanout_failures_total", {"service": service}) or 0.0


def latency_count(scope: str) -> float:
    return REGISTRY.get_sample_value("remotesignout_sign_out_duration_seconds_count", {"scope": scope}) or 0.0


async def test_signing_out_a_device_revokes_in_auth_first_then_fans_out_to_both_services(stack):
    phone = await stack.sign_in(client_id="phone-1")
    tv = await stack.sign_in(client_id="tv-1")
    response = await stack.client.post(f"/v1/devices/{tv['device_id']}/sign-out", headers=bearer(phone))
    assert response.status == 200
    body = await response.json()
    assert stack.world.calls[:2] == ["device.GetDevice", "auth.RevokeSessions"]
    assert sorted(stack.world.calls[2:]) == ["device.ApplyRevocation", "parental.ApplyRevocation"]
    request = stack.world.revoke_requests[0]
    assert request.scope == auth_pb2.REVOCATION_SCOPE_DEVICE
    assert request.reason == auth_pb2.REVOCATION_REASON_REMOTE_SIGN_OUT
    assert request.device_id == tv["device_id"]
    assert body["propagation"] == {"device_service": "applied", "parental_service": "applied"}
    revocation = body["revocation"]
    assert (revocation["scope"], revocation["reason"], revocation["device_id"]) == (
        "device",
        "remote_sign_out",
        tv["device_id"],
    )
    assert revocation["sequence"] == 1 and revocation["revoked_at"].endswith("Z")
    assert stack.world.applied["device"][0].sequence == stack.world.applied["parental"][0].sequence == 1
    assert (await stack.client.get("/v1/session", headers=bearer(tv))).status == 401
    assert (await stack.client.get("/v1/session", headers=bearer(phone))).status == 200


async def test_signing_out_ones_own_device_uses_reason_sign_out(stack):
    tv = await stack.sign_in(client_id="tv-1")
    response = await stack.client.post(f"/v1/devices/{tv['device_id']}/sign-out", headers=bearer(tv))
    assert response.status == 200
    assert stack.world.revoke_requests[0].reason == auth_pb2.REVOCATION_REASON_SIGN_OUT


async def test_another_accounts_device_is_404_and_nothing_is_revoked(stack):
    mine = await stack.sign_in(client_id="tv-1")
    theirs = await stack.sign_in("eve@example.com", client_id="eve-tv")
    other = await stack.client.post(f"/v1/devices/{theirs['device_id']}/sign-out", headers=bearer(mine))
    unknown = await stack.client.post("/v1/devices/no-such-device/sign-out", headers=bearer(mine))
    assert other.status == unknown.status == 404
    assert await other.json() == await unknown.json()
    assert stack.world.revoke_requests == []
    assert "device.ApplyRevocation" not in stack.world.calls
    assert (await stack.client.get("/v1/session", headers=bearer(theirs))).status == 200


async def test_a_failed_fan_out_still_answers_200_with_pending_and_counts_the_failure(stack):
    tokens = await stack.sign_in(client_id="tv-1")
    before = failures("parental_service")
    stack.world.failing.add("parental")
    response = await stack.client.post(f"/v1/devices/{tokens['device_id']}/sign-out", headers=bearer(tokens))
    assert response.status == 200
    assert (await response.json())["propagation"] == {"device_service": "applied", "parental_service": "pending"}
    assert failures("parental_service") == before + 1


async def test_a_service_answering_applied_false_is_pending_and_counted(stack):
    tokens = await stack.sign_in(client_id="tv-1")
    before = failures("device_service")
    stack.world.unconfirmed.add("device")
    response = await stack.client.post(f"/v1/devices/{tokens['device_id']}/sign-out", headers=bearer(tokens))
    assert response.status == 200
    assert (await response.json())["propagation"] == {"device_service": "pending", "parental_service": "applied"}
    assert failures("device_service") == before + 1


async def test_a_fan_out_call_past_its_deadline_is_pending_not_an_error(stack):
    tokens = await stack.sign_in(client_id="tv-1")
    before = failures("device_service")
    stack.world.hanging.add("device")
    response = await stack.client.post("/v1/sign-out", headers=bearer(tokens))
    assert response.status == 200
    assert (await response.json())["propagation"] == {"device_service": "pending", "parental_service": "applied"}
    assert failures("device_service") == before + 1


async def test_a_downed_fan_out_service_still_answers_200_with_pending(stack):
    tokens = await stack.sign_in(client_id="tv-1")
    await stack.servers["device"].stop(0)
    response = await stack.client.post("/v1/sign-out", headers=bearer(tokens))
    assert response.status == 200
    assert (await response.json())["propagation"]["device_service"] == "pending"


async def test_sign_out_all_including_current_revokes_every_session(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    response = await stack.client.post("/v1/sign-out-all", json={"include_current": True}, headers=bearer(phone))
    assert response.status == 200
    body = await response.json()
    assert (body["revocation"]["scope"], body["revocation"]["reason"]) == ("all", "sign_out_all")
    assert stack.world.revoke_requests[0].scope == auth_pb2.REVOCATION_SCOPE_ALL
    for tokens in (tv, phone):
        assert (await stack.client.get("/v1/session", headers=bearer(tokens))).status == 401


async def test_sign_out_all_others_keeps_the_callers_session(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    response = await stack.client.post("/v1/sign-out-all", json={"include_current": False}, headers=bearer(phone))
    assert response.status == 200
    request = stack.world.revoke_requests[0]
    assert request.scope == auth_pb2.REVOCATION_SCOPE_ALL_OTHERS
    assert request.reason == auth_pb2.REVOCATION_REASON_SIGN_OUT_ALL
    assert request.session_id == phone["session_id"]
    assert (await response.json())["propagation"] == {"device_service": "applied", "parental_service": "applied"}
    assert (await stack.client.get("/v1/session", headers=bearer(tv))).status == 401
    assert (await stack.client.get("/v1/session", headers=bearer(phone))).status == 200


async def test_signing_out_revokes_the_callers_session_with_reason_sign_out(stack):
    tokens = await stack.sign_in()
    response = await stack.client.post("/v1/sign-out", headers=bearer(tokens))
    assert response.status == 200
    request = stack.world.revoke_requests[0]
    assert (request.scope, request.reason, request.session_id) == (
        auth_pb2.REVOCATION_SCOPE_SESSION,
        auth_pb2.REVOCATION_REASON_SIGN_OUT,
        tokens["session_id"],
    )
    assert (await response.json())["revocation"]["session_id"] == tokens["session_id"]


async def test_every_sign_out_observes_the_sign_out_duration_by_scope(stack):
    before = {scope: latency_count(scope) for scope in ("session", "device", "all", "all_others")}
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    await stack.client.post(f"/v1/devices/{tv['device_id']}/sign-out", headers=bearer(phone))
    await stack.client.post("/v1/sign-out-all", json={"include_current": False}, headers=bearer(phone))
    await stack.client.post("/v1/sign-out", headers=bearer(phone))
    other = await stack.sign_in(client_id="tablet-1")
    await stack.client.post("/v1/sign-out-all", json={"include_current": True}, headers=bearer(other))
    after = {scope: latency_count(scope) for scope in before}
    assert {scope: after[scope] - before[scope] for scope in before} == {
        "session": 1,
        "device": 1,
        "all": 1,
        "all_others": 1,
    }
