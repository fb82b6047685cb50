from prometheus_client import REGISTRY
from remotesignout.auth.v1 import auth_pb2

from tests.integration.gateway.conftest import bearer


def latency_count(scope: str) -> float:
    return REGISTRY.get_sample_value("remotesignout_sign_out_duration_seconds_count", {"scope": scope}) or 0.0


async def test_removing_a_device_bans_it_first_then_revokes_it_and_fans_out(stack):
    phone = await stack.sign_in(client_id="phone-1")
    tv = await stack.sign_in(client_id="tv-1")
    before = latency_count("device")
    response = await stack.client.delete(f"/v1/devices/{tv['device_id']}", headers=bearer(phone))
    assert response.status == 200, await response.text()
    body = await response.json()
    # The ban comes before the revocation, so no sign-in can slip a session in after the cutoff.
    assert stack.world.calls[:4] == [
        "device.GetDevice",
        "device.RemoveDevice",
        "auth.RevokeSessions",
        "parental.ApplyRevocation",
    ]
    request = stack.world.revoke_requests[0]
    assert (request.scope, request.reason, request.device_id) == (
        auth_pb2.REVOCATION_SCOPE_DEVICE,
        auth_pb2.REVOCATION_REASON_DEVICE_REMOVED,
        tv["device_id"],
    )
    assert (body["revocation"]["scope"], body["revocation"]["reason"]) == ("device", "device_removed")
    assert body["propagation"] == {"device_service": "applied", "parental_service": "applied"}
    assert body["device"]["device_id"] == tv["device_id"] and body["device"]["status"] == "removed"
    assert latency_count("device") == before + 1
    assert (await stack.client.get("/v1/session", headers=bearer(tv))).status == 401
    assert (await stack.client.get("/v1/session", headers=bearer(phone))).status == 200


async def test_a_failed_ban_is_503_and_changes_nothing(stack):
    phone = await stack.sign_in(client_id="phone-1")
    tv = await stack.sign_in(client_id="tv-1")
    stack.world.removal_fails = True
    response = await stack.client.delete(f"/v1/devices/{tv['device_id']}", headers=bearer(phone))
    assert response.status == 503
    error = (await response.json())["error"]
    assert error["code"] == "device_removal_incomplete"
    assert "nothing changed" in error["message"] and "try again" in error["message"]
    assert stack.world.revoke_requests == []
    assert (await stack.client.get("/v1/session", headers=bearer(tv))).status == 200
    stack.world.removal_fails = False  # a retry finishes the job
    assert (await stack.client.delete(f"/v1/devices/{tv['device_id']}", headers=bearer(phone))).status == 200
    assert (await stack.client.get("/v1/session", headers=bearer(tv))).status == 401


async def test_a_failed_parental_fan_out_still_removes_the_device_with_pending(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    stack.world.failing.add("parental")
    response = await stack.client.delete(f"/v1/devices/{tv['device_id']}", headers=bearer(phone))
    assert response.status == 200
    assert (await response.json())["propagation"] == {"device_service": "applied", "parental_service": "pending"}


async def test_another_accounts_device_cannot_be_removed_allowed_or_read(stack):
    mine = await stack.sign_in(client_id="tv-1")
    theirs = await stack.sign_in("eve@example.com", client_id="eve-tv")
    device_id = theirs["device_id"]
    answers = [
        await stack.client.delete(f"/v1/devices/{device_id}", headers=bearer(mine)),
        await stack.client.post(f"/v1/devices/{device_id}/allow", headers=bearer(mine)),
        await stack.client.get(f"/v1/devices/{device_id}/activity", headers=bearer(mine)),
    ]
    unknown = await stack.client.delete("/v1/devices/no-such-device", headers=bearer(mine))
    assert [a.status for a in answers] == [404, 404, 404]
    assert all([await a.json() == await unknown.json() for a in answers])
    assert stack.world.revoke_requests == []
    assert not {"device.RemoveDevice", "device.AllowDevice", "device.ListStreamingActivity"} & set(stack.world.calls)
    assert (await stack.client.get("/v1/session", headers=bearer(theirs))).status == 200


async def test_a_removed_device_is_banned_until_it_is_allowed_again(stack):
    phone = await stack.sign_in(client_id="phone-1")
    tv = await stack.sign_in(client_id="tv-1")
    await stack.client.delete(f"/v1/devices/{tv['device_id']}", headers=bearer(phone))
    refused = await stack.client.post(
        "/v1/sign-in",
        json={
            "email": "ada@example.com",
            "password": "correct horse",
            "device": {"client_id": "tv-1", "name": "TV", "type": "tv"},
        },
    )
    assert refused.status == 403 and (await refused.json())["error"]["code"] == "device_banned"
    allowed = await stack.client.post(f"/v1/devices/{tv['device_id']}/allow", headers=bearer(phone))
    assert allowed.status == 200
    assert (await allowed.json())["device"]["status"] == "signed_out"
    await stack.sign_in(client_id="tv-1")


async def test_the_device_list_passes_include_inactive(stack):
    tokens = await stack.sign_in()
    await stack.client.get("/v1/devices", headers=bearer(tokens))
    await stack.client.get("/v1/devices?include_inactive=true", headers=bearer(tokens))
    bad = await stack.client.get("/v1/devices?include_inactive=maybe", headers=bearer(tokens))
    assert [r.include_inactive for r in stack.world.list_requests] == [False, True]
    assert bad.status == 422


async def test_a_devices_streaming_activity_is_listed_with_its_location(stack):
    tokens = await stack.sign_in()
    response = await stack.client.get(f"/v1/devices/{tokens['device_id']}/activity?page_size=5", headers=bearer(tokens))
    assert response.status == 200
    body = await response.json()
    assert body["next_page_token"] == "next"
    assert body["activities"] == [
        {
            "kind": "sign_in",
            "ip_address": "127.0.0.1",
            "location": {"country": "", "region": "", "city": "", "description": "local network"},
            "occurred_at": body["activities"][0]["occurred_at"],
        }
    ]
    assert body["activities"][0]["occurred_at"].endswith("Z")
    assert stack.world.requests["device.ListStreamingActivity"][0].page_size == 5


async def test_viewing_activity_needs_a_profile_name_and_lists_what_it_watched(stack):
    tokens = await stack.sign_in()
    missing = await stack.client.get("/v1/activity", headers=bearer(tokens))
    assert missing.status == 422
    response = await stack.client.get("/v1/activity?profile_name=Ada", headers=bearer(tokens))
    assert response.status == 200
    assert await response.json() == {"activities": [], "next_page_token": ""}
    assert stack.world.requests["device.ListViewingActivity"][0].profile_name == "Ada"
