from remotesignout.parental.v1 import parental_pb2

from tests.integration.gateway.conftest import bearer

PASSWORD = "correct horse"


async def profiles_of(stack, tokens) -> dict[str, dict]:
    for name, kind, level in (("Ada", "owner", "18+"), ("Teen", "standard", "13+"), ("Kid", "kids", "7+")):
        await stack.client.post(
            "/v1/profiles", json={"name": name, "kind": kind, "maturity_level": level}, headers=bearer(tokens)
        )
    listed = await (await stack.client.get("/v1/profiles", headers=bearer(tokens))).json()
    return {p["name"]: p for p in listed["profiles"]}


def add_titles(stack) -> None:
    stack.world.titles["tt-13"] = parental_pb2.Title(
        title_id="tt-13", name="Teen Show", maturity_rating=parental_pb2.MATURITY_LEVEL_13_PLUS
    )
    stack.world.titles["tt-18"] = parental_pb2.Title(
        title_id="tt-18", name="Adult Film", maturity_rating=parental_pb2.MATURITY_LEVEL_18_PLUS
    )


async def test_an_allowed_playback_is_decided_for_the_callers_device_and_recorded(stack):
    tokens = await stack.sign_in()
    profiles = await profiles_of(stack, tokens)
    add_titles(stack)
    response = await stack.client.post(
        "/v1/playback", json={"profile_id": profiles["Teen"]["profile_id"], "title_id": "tt-13"}, headers=bearer(tokens)
    )
    assert response.status == 200
    assert await response.json() == {
        "allowed": True,
        "reason": None,
        "message": "",
        "title": {"title_id": "tt-13", "name": "Teen Show", "maturity_rating": "13+"},
    }
    assert stack.world.requests["parental.DecidePlayback"][0].device_id == tokens["device_id"]
    recorded = stack.world.requests["device.RecordPlayback"][0]
    assert (recorded.device_id, recorded.profile_name, recorded.title, recorded.ip_address) == (
        tokens["device_id"],
        "Teen",
        "Teen Show",
        "127.0.0.1",
    )


async def test_a_denied_playback_is_200_with_a_lowercase_reason_and_nothing_recorded(stack):
    tokens = await stack.sign_in()
    profiles = await profiles_of(stack, tokens)
    add_titles(stack)
    response = await stack.client.post(
        "/v1/playback", json={"profile_id": profiles["Teen"]["profile_id"], "title_id": "tt-18"}, headers=bearer(tokens)
    )
    assert response.status == 200
    body = await response.json()
    assert (body["allowed"], body["reason"]) == (False, "maturity")
    assert "maturity" in body["message"]
    assert "device.RecordPlayback" not in stack.world.calls


async def test_stopping_playback_ends_it_for_the_callers_device(stack):
    tokens = await stack.sign_in()
    response = await stack.client.post("/v1/playback/stop", headers=bearer(tokens))
    assert await response.json() == {"ended": True}
    assert stack.world.requests["parental.EndPlayback"][0].device_id == tokens["device_id"]


async def test_a_session_in_a_kids_profile_is_refused_account_settings_with_403_kids_profile(stack):
    tokens = await stack.sign_in()
    other = await stack.sign_in(client_id="phone-1")
    profiles = await profiles_of(stack, tokens)
    kid = profiles["Kid"]["profile_id"]
    selected = await stack.client.post(f"/v1/profiles/{kid}/select", json={}, headers=bearer(tokens))
    assert selected.status == 200
    tokens = {**tokens, "access_token": (await selected.json())["access_token"]}  # scoped to the kids profile
    refused = [
        await stack.client.get("/v1/devices", headers=bearer(tokens)),
        await stack.client.delete(f"/v1/devices/{other['device_id']}", headers=bearer(tokens)),
        await stack.client.post(f"/v1/devices/{other['device_id']}/sign-out", headers=bearer(tokens)),
        await stack.client.post("/v1/sign-out-all", json={"include_current": False}, headers=bearer(tokens)),
        await stack.client.post(
            "/v1/password", json={"current_password": PASSWORD, "new_password": "x" * 10}, headers=bearer(tokens)
        ),
        await stack.client.put(
            f"/v1/profiles/{kid}/maturity", json={"maturity_level": "18+", "password": PASSWORD}, headers=bearer(tokens)
        ),
        await stack.client.patch(f"/v1/profiles/{kid}", json={"name": "Grown"}, headers=bearer(tokens)),
    ]
    assert [r.status for r in refused] == [403] * len(refused)
    error = (await refused[0].json())["error"]
    assert error["code"] == "kids_profile" and "kids profile" in error["message"]
    assert stack.world.revoke_requests == []
    assert not {"auth.VerifyPassword", "parental.SetMaturityLevel", "auth.ChangePassword"} & set(stack.world.calls)
    assert (await stack.client.get("/v1/titles", headers=bearer(tokens))).status == 200
    assert (await stack.client.get("/v1/devices", headers=bearer(other))).status == 200
    owner = await stack.client.post(f"/v1/profiles/{profiles['Ada']['profile_id']}/select", headers=bearer(tokens))
    assert owner.status == 200
    tokens = {**tokens, "access_token": (await owner.json())["access_token"]}
    assert (await stack.client.get("/v1/devices", headers=bearer(tokens))).status == 200


async def test_a_profile_with_a_pin_needs_it_to_be_selected(stack):
    tokens = await stack.sign_in()
    profiles = await profiles_of(stack, tokens)
    teen = profiles["Teen"]["profile_id"]
    set_pin = await stack.client.put(
        f"/v1/profiles/{teen}/pin", json={"pin": "1234", "password": PASSWORD}, headers=bearer(tokens)
    )
    assert set_pin.status == 200 and (await set_pin.json())["profile"]["has_pin"] is True
    missing = await stack.client.post(f"/v1/profiles/{teen}/select", json={}, headers=bearer(tokens))
    wrong = await stack.client.post(f"/v1/profiles/{teen}/select", json={"pin": "0000"}, headers=bearer(tokens))
    right = await stack.client.post(f"/v1/profiles/{teen}/select", json={"pin": "1234"}, headers=bearer(tokens))
    assert (missing.status, (await missing.json())["error"]["code"]) == (403, "pin_required")
    assert (wrong.status, (await wrong.json())["error"]["code"]) == (401, "wrong_pin")
    assert "invalid_token" not in wrong.headers.get("WWW-Authenticate", "")
    assert right.status == 200
    assert stack.world.requests["parental.SelectProfile"][-1].device_id == tokens["device_id"]
    bad_pin = await stack.client.put(
        f"/v1/profiles/{teen}/pin", json={"pin": "12a4", "password": PASSWORD}, headers=bearer(tokens)
    )
    assert bad_pin.status == 422


async def test_password_protected_changes_verify_the_password_first_and_pass_the_actor(stack):
    tokens = await stack.sign_in()
    profiles = await profiles_of(stack, tokens)
    owner, teen = profiles["Ada"]["profile_id"], profiles["Teen"]["profile_id"]
    selected = await stack.client.post(f"/v1/profiles/{owner}/select", headers=bearer(tokens))
    tokens = {**tokens, "access_token": (await selected.json())["access_token"]}
    calls = [
        ("put", f"/v1/profiles/{teen}/maturity", {"maturity_level": "16+"}, "parental.SetMaturityLevel"),
        ("put", f"/v1/profiles/{teen}/pin", {"pin": "4321"}, "parental.SetProfilePin"),
        ("delete", f"/v1/profiles/{teen}/pin", {}, "parental.RemoveProfilePin"),
        ("post", f"/v1/profiles/{teen}/unlock", {}, "parental.UnlockProfile"),
        ("post", f"/v1/profiles/{teen}/blocked-titles", {"title_id": "tt-18"}, "parental.BlockTitle"),
        ("delete", f"/v1/profiles/{teen}/blocked-titles/tt-18", {}, "parental.UnblockTitle"),
        (
            "put",
            f"/v1/profiles/{teen}/schedule",
            {
                "time_zone": "Europe/Lisbon",
                "windows": [{"weekday": "monday", "start_minute": 1080, "end_minute": 1200}],
            },
            "parental.SetViewingSchedule",
        ),
    ]
    for method, path, body, rpc in calls:
        stack.world.calls.clear()
        response = await getattr(stack.client, method)(
            path, json={**body, "password": PASSWORD}, headers=bearer(tokens)
        )
        assert response.status in (200, 201), (path, await response.text())
        assert stack.world.calls == ["auth.VerifyPassword", rpc]
        actor = stack.world.requests[rpc][-1].actor
        assert (actor.device_id, actor.profile_id) == (tokens["device_id"], owner)
    schedule = stack.world.requests["parental.SetViewingSchedule"][0].schedule
    assert (schedule.time_zone, schedule.windows[0].weekday, schedule.windows[0].end_minute) == (
        "Europe/Lisbon",
        parental_pb2.WEEKDAY_MONDAY,
        1200,
    )
    blocked = await (
        await stack.client.post(
            f"/v1/profiles/{teen}/blocked-titles",
            json={"title_id": "tt-13", "password": PASSWORD},
            headers=bearer(tokens),
        )
    ).json()
    assert blocked["stopped_playbacks"][0]["title_id"] == "tt-13"
    assert blocked["stopped_playbacks"][0]["reason"] == "blocked_title"


async def test_a_wrong_password_changes_nothing_and_keeps_the_session(stack):
    tokens = await stack.sign_in()
    profiles = await profiles_of(stack, tokens)
    teen = profiles["Teen"]["profile_id"]
    response = await stack.client.put(
        f"/v1/profiles/{teen}/maturity", json={"maturity_level": "18+", "password": "guess"}, headers=bearer(tokens)
    )
    assert response.status == 401
    assert (await response.json())["error"]["code"] == "wrong_password"
    assert "parental.SetMaturityLevel" not in stack.world.calls
    assert (await stack.client.get("/v1/session", headers=bearer(tokens))).status == 200


async def test_a_schedule_with_a_bad_window_is_422_before_any_call(stack):
    tokens = await stack.sign_in()
    response = await stack.client.put(
        "/v1/profiles/pro-1/schedule",
        json={
            "time_zone": "UTC",
            "windows": [{"weekday": "funday", "start_minute": 0, "end_minute": 10}],
            "password": PASSWORD,
        },
        headers=bearer(tokens),
    )
    assert response.status == 422
    assert "auth.VerifyPassword" not in stack.world.calls


async def test_profiles_are_renamed_deleted_and_their_rules_read(stack):
    tokens = await stack.sign_in()
    profiles = await profiles_of(stack, tokens)
    teen = profiles["Teen"]["profile_id"]
    renamed = await stack.client.patch(f"/v1/profiles/{teen}", json={"name": "Older"}, headers=bearer(tokens))
    assert (await renamed.json())["profile"]["name"] == "Older"
    rules = await (await stack.client.get(f"/v1/profiles/{teen}/rules", headers=bearer(tokens))).json()
    assert rules["blocked_title_ids"] == ["tt-blocked"] and rules["schedule"] is None
    assert set(rules["profile"]) >= {"has_pin", "locked_until"}
    deleted = await stack.client.delete(f"/v1/profiles/{teen}", headers=bearer(tokens))
    assert await deleted.json() == {"stopped_playbacks": []}
    assert stack.world.requests["parental.DeleteProfile"][0].actor.device_id == tokens["device_id"]


async def test_titles_and_audit_events_are_listed(stack):
    tokens = await stack.sign_in()
    add_titles(stack)
    titles = await (await stack.client.get("/v1/titles", headers=bearer(tokens))).json()
    assert [t["name"] for t in titles["titles"]] == ["Adult Film", "Teen Show"]
    audit = await (await stack.client.get("/v1/audit-events?profile_id=pro-x", headers=bearer(tokens))).json()
    assert audit["events"][0]["change"] == "pin"
    assert audit["events"][0]["actor"] == {"device_id": "dev-x", "profile_id": None}
    assert stack.world.requests["parental.ListAuditEvents"][0].profile_id == "pro-x"


async def test_a_token_scoped_to_a_kids_profile_cannot_play_as_another_profile(stack):
    tokens = await stack.sign_in()
    profiles = await profiles_of(stack, tokens)
    add_titles(stack)
    selected = await stack.client.post(
        f"/v1/profiles/{profiles['Kid']['profile_id']}/select", json={}, headers=bearer(tokens)
    )
    kid = {**tokens, "access_token": (await selected.json())["access_token"]}
    claimed = await stack.client.post(
        "/v1/playback", json={"profile_id": profiles["Ada"]["profile_id"], "title_id": "tt-18"}, headers=bearer(kid)
    )
    assert claimed.status == 403 and (await claimed.json())["error"]["code"] == "other_profile"
    assert "parental.DecidePlayback" not in stack.world.calls
    own = await stack.client.post("/v1/playback", json={"title_id": "tt-13"}, headers=bearer(kid))
    assert own.status == 200
    assert stack.world.requests["parental.DecidePlayback"][-1].profile_id == profiles["Kid"]["profile_id"]
