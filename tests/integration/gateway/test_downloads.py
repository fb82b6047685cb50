from tests.integration.gateway.conftest import bearer
from tests.integration.gateway.test_playback_and_profiles import add_titles, profiles_of


async def download(stack, tokens, profile_id: str, title_id: str = "tt-13"):
    return await stack.client.post(
        "/v1/downloads", json={"profile_id": profile_id, "title_id": title_id}, headers=bearer(tokens)
    )


async def test_a_download_is_decided_by_parental_rules_recorded_for_the_callers_device_and_listed(stack):
    tokens = await stack.sign_in()
    profiles = await profiles_of(stack, tokens)
    add_titles(stack)
    created = await download(stack, tokens, profiles["Teen"]["profile_id"])
    assert created.status == 201
    body = (await created.json())["download"]
    assert (body["device_id"], body["status"], body["cancel_reason"]) == (tokens["device_id"], "active", None)
    decision = stack.world.requests["parental.DecidePlayback"][-1]
    assert decision.check_only and decision.profile_id == profiles["Teen"]["profile_id"]
    recorded = stack.world.requests["device.RecordDownload"][-1]
    assert (recorded.profile_name, recorded.title) == ("Teen", "Teen Show")
    listed = await (await stack.client.get("/v1/downloads", headers=bearer(tokens))).json()
    assert [d["download_id"] for d in listed["downloads"]] == [body["download_id"]]


async def test_a_title_the_profile_may_not_watch_cannot_be_downloaded(stack):
    tokens = await stack.sign_in()
    profiles = await profiles_of(stack, tokens)
    add_titles(stack)
    refused = await download(stack, tokens, profiles["Teen"]["profile_id"], "tt-18")
    assert refused.status == 403 and (await refused.json())["error"]["code"] == "maturity"
    assert "device.RecordDownload" not in stack.world.calls
    selected = await stack.client.post(
        f"/v1/profiles/{profiles['Kid']['profile_id']}/select", json={}, headers=bearer(tokens)
    )
    kid = {**tokens, "access_token": (await selected.json())["access_token"]}
    claimed = await download(stack, kid, profiles["Ada"]["profile_id"], "tt-18")
    assert claimed.status == 403 and (await claimed.json())["error"]["code"] == "other_profile"


async def test_a_removed_devices_download_license_is_no_longer_valid(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    profiles = await profiles_of(stack, tv)
    add_titles(stack)
    created = await download(stack, tv, profiles["Ada"]["profile_id"], "tt-18")
    download_id = (await created.json())["download"]["download_id"]
    valid = await (await stack.client.get(f"/v1/downloads/{download_id}/license", headers=bearer(tv))).json()
    assert (valid["valid"], valid["reason"]) == (True, None)
    await stack.client.delete(f"/v1/devices/{tv['device_id']}", headers=bearer(phone))
    cancelled = await (await stack.client.get(f"/v1/downloads/{download_id}/license", headers=bearer(phone))).json()
    assert (cancelled["valid"], cancelled["reason"]) == (False, "device_removed")


async def test_another_accounts_download_is_404(stack):
    tv = await stack.sign_in(client_id="tv-1")
    eve = await stack.sign_in("eve@example.com", client_id="eve-tv")
    profiles = await profiles_of(stack, eve)
    add_titles(stack)
    created = await download(stack, eve, profiles["Ada"]["profile_id"])
    download_id = (await created.json())["download"]["download_id"]
    response = await stack.client.get(f"/v1/downloads/{download_id}/license", headers=bearer(tv))
    assert response.status == 404
