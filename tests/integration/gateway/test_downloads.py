from tests.integration.gateway.conftest import bearer


async def test_a_download_is_recorded_for_the_callers_device_and_listed(stack):
    tokens = await stack.sign_in()
    created = await stack.client.post("/v1/downloads", json={"profile_name": "Ada", "title": "Teen Show"},
                                      headers=bearer(tokens))
    assert created.status == 201
    download = (await created.json())["download"]
    assert (download["device_id"], download["status"], download["cancel_reason"]) == (
        tokens["device_id"], "active", None)
    listed = await (await stack.client.get("/v1/downloads", headers=bearer(tokens))).json()
    assert [d["download_id"] for d in listed["downloads"]] == [download["download_id"]]


async def test_a_removed_devices_download_license_is_no_longer_valid(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    created = await stack.client.post("/v1/downloads", json={"profile_name": "Ada", "title": "Film"},
                                      headers=bearer(tv))
    download_id = (await created.json())["download"]["download_id"]
    valid = await (await stack.client.get(f"/v1/downloads/{download_id}/license", headers=bearer(tv))).json()
    assert (valid["valid"], valid["reason"]) == (True, None)
    await stack.client.delete(f"/v1/devices/{tv['device_id']}", headers=bearer(phone))
    cancelled = await (await stack.client.get(f"/v1/downloads/{download_id}/license", headers=bearer(phone))).json()
    assert (cancelled["valid"], cancelled["reason"]) == (False, "device_removed")


async def test_another_accounts_download_is_404(stack):
    tv = await stack.sign_in(client_id="tv-1")
    eve = await stack.sign_in("eve@example.com", client_id="eve-tv")
    created = await stack.client.post("/v1/downloads", json={"profile_name": "Eve", "title": "Film"},
                                      headers=bearer(eve))
    download_id = (await created.json())["download"]["download_id"]
    response = await stack.client.get(f"/v1/downloads/{download_id}/license", headers=bearer(tv))
    assert response.status == 404
