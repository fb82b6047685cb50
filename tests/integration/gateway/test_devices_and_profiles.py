from tests.integration.gateway.conftest import bearer


async def test_the_device_list_shows_every_device_of_the_account_and_marks_the_callers(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    await stack.sign_in("eve@example.com", client_id="eve-tv")
    response = await stack.client.get("/v1/devices", headers=bearer(phone))
    assert response.status == 200
    body = await response.json()
    assert body["next_page_token"] == ""
    by_id = {d["device_id"]: d for d in body["devices"]}
    assert set(by_id) == {tv["device_id"], phone["device_id"]}
    assert by_id[phone["device_id"]]["current"] is True
    assert by_id[tv["device_id"]]["current"] is False
    device = by_id[tv["device_id"]]
    assert set(device) == {
        "device_id",
        "name",
        "type",
        "platform",
        "app_version",
        "status",
        "first_seen_at",
        "last_seen_at",
        "last_ip_address",
        "location",
        "last_profile_name",
        "last_title",
        "last_watched_at",
        "current",
        "unusual_location",
    }
    assert device["type"] == "tv"
    assert device["status"] == "active"
    assert device["last_ip_address"] == "127.0.0.1"
    assert device["location"] == {"country": "", "region": "", "city": "", "description": "local network"}
    assert device["first_seen_at"].endswith("Z")
    assert device["last_watched_at"] is None


async def test_the_device_list_pages_with_page_size_and_token(stack):
    tokens = await stack.sign_in(client_id="a")
    await stack.sign_in(client_id="b")
    first = await (await stack.client.get("/v1/devices?page_size=1", headers=bearer(tokens))).json()
    assert len(first["devices"]) == 1 and first["next_page_token"]
    second = await (
        await stack.client.get(f"/v1/devices?page_size=1&page_token={first['next_page_token']}", headers=bearer(tokens))
    ).json()
    assert len(second["devices"]) == 1
    assert second["devices"][0]["device_id"] != first["devices"][0]["device_id"]


async def test_one_device_is_shown_by_id(stack):
    tokens = await stack.sign_in(client_id="tv-1")
    response = await stack.client.get(f"/v1/devices/{tokens['device_id']}", headers=bearer(tokens))
    assert response.status == 200
    body = await response.json()
    assert body["device_id"] == tokens["device_id"]
    assert body["current"] is True


async def test_another_accounts_device_is_404_like_an_unknown_one(stack):
    mine = await stack.sign_in(client_id="tv-1")
    theirs = await stack.sign_in("eve@example.com", client_id="eve-tv")
    other = await stack.client.get(f"/v1/devices/{theirs['device_id']}", headers=bearer(mine))
    unknown = await stack.client.get("/v1/devices/no-such-device", headers=bearer(mine))
    assert other.status == unknown.status == 404
    assert await other.json() == await unknown.json()


async def test_profiles_are_created_and_listed_for_the_callers_account(stack):
    tokens = await stack.sign_in()
    created = await stack.client.post(
        "/v1/profiles", json={"name": "Kid", "kind": "kids", "maturity_level": "7+"}, headers=bearer(tokens)
    )
    assert created.status == 201
    profile = await created.json()
    assert {k: profile[k] for k in ("name", "kind", "maturity_level")} == {
        "name": "Kid",
        "kind": "kids",
        "maturity_level": "7+",
    }
    listed = await (await stack.client.get("/v1/profiles", headers=bearer(tokens))).json()
    assert listed == {"profiles": [profile]}
    other = await stack.sign_in("eve@example.com", client_id="eve-tv")
    assert await (await stack.client.get("/v1/profiles", headers=bearer(other))).json() == {"profiles": []}


async def test_a_profile_name_taken_is_409_with_the_services_reason(stack):
    tokens = await stack.sign_in()
    await stack.client.post("/v1/profiles", json={"name": "Ada", "kind": "owner"}, headers=bearer(tokens))
    response = await stack.client.post("/v1/profiles", json={"name": "Ada", "kind": "standard"}, headers=bearer(tokens))
    assert response.status == 409
    assert (await response.json())["error"]["code"] == "profile_name_taken"
