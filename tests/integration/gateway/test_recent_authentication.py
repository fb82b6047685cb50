"""Recent authentication at the gateway: account-level changes need the account password entered on this session,
under the profile selected now, within STEP_UP_SECONDS (600 s); otherwise 403 reauthentication_required.

The fake auth_service keeps the confirmation on the session as auth_service does (tests/unit/auth_service and
tests/integration/auth_service test the real one); its clock moves with `world.clock_offset_us`.
"""

from tests.integration.gateway.conftest import bearer
from tests.integration.gateway.test_playback_and_profiles import PASSWORD, profiles_of

STEP_UP_US = 600 * 1_000_000
TV = "tv-parents"


async def household(stack):
    """The parents' TV and the kids' tablet, both signed in a moment ago; the profiles Ada (owner), Teen (standard,
    no PIN) and Kid (kids)."""
    parents = await stack.sign_in(client_id=TV)
    tablet = await stack.sign_in(client_id="tablet-kids")
    return parents, tablet, await profiles_of(stack, parents)


async def select(stack, tokens, profile_id: str) -> dict[str, str]:
    """`tokens` with the access token scoped to `profile_id`."""
    selected = await stack.client.post(f"/v1/profiles/{profile_id}/select", json={}, headers=bearer(tokens))
    assert selected.status == 200, await selected.text()
    return {**tokens, "access_token": (await selected.json())["access_token"]}


async def error_of(response) -> tuple[int, str]:
    return response.status, (await response.json())["error"]["code"]


def sign_out(stack, tokens, device_id: str):
    return stack.client.post(f"/v1/devices/{device_id}/sign-out", headers=bearer(tokens))


def confirm(stack, tokens, password: str = PASSWORD):
    return stack.client.post("/v1/session/confirm-password", json={"password": password}, headers=bearer(tokens))


async def test_a_kids_profile_switched_to_an_unlocked_standard_profile_cannot_sign_the_parents_tv_out(stack):
    parents, tablet, profiles = await household(stack)
    as_kid = await select(stack, tablet, profiles["Kid"]["profile_id"])
    assert await error_of(await sign_out(stack, as_kid, parents["device_id"])) == (403, "kids_profile")

    as_teen = await select(stack, as_kid, profiles["Teen"]["profile_id"])  # allowed without a PIN, as at Netflix
    refused = [
        await sign_out(stack, as_teen, parents["device_id"]),
        await stack.client.delete(f"/v1/devices/{parents['device_id']}", headers=bearer(as_teen)),
        await stack.client.post("/v1/sign-out-all", json={"include_current": False}, headers=bearer(as_teen)),
    ]
    for response in refused:
        assert await error_of(response) == (403, "reauthentication_required")
    assert "password" in (await refused[0].json())["error"]["message"]
    assert stack.world.revoke_requests == [] and "device.RemoveDevice" not in stack.world.calls
    assert (await stack.client.get("/v1/session", headers=bearer(parents))).status == 200


async def test_after_confirming_the_password_it_works_and_a_wrong_password_is_401_wrong_password(stack):
    parents, tablet, profiles = await household(stack)
    as_teen = await select(stack, tablet, profiles["Teen"]["profile_id"])

    wrong = await confirm(stack, as_teen, "a guess")
    assert await error_of(wrong) == (401, "wrong_password")
    assert "invalid_token" not in wrong.headers.get("WWW-Authenticate", "")
    assert await error_of(await sign_out(stack, as_teen, parents["device_id"])) == (403, "reauthentication_required")

    confirmed = await confirm(stack, as_teen)
    assert confirmed.status == 200
    assert (await confirmed.json())["recently_authenticated_until"].endswith("Z")
    request = stack.world.requests["auth.ConfirmPassword"][-1]
    assert (request.session_id, request.profile_id) == (tablet["session_id"], profiles["Teen"]["profile_id"])

    assert (await sign_out(stack, as_teen, parents["device_id"])).status == 200
    assert (await stack.client.get("/v1/session", headers=bearer(parents))).status == 401


async def test_600_seconds_later_it_is_403_again_until_confirmed_again(stack):
    parents, tablet, profiles = await household(stack)
    as_teen = await select(stack, tablet, profiles["Teen"]["profile_id"])
    assert (await confirm(stack, as_teen)).status == 200

    stack.world.clock_offset_us = STEP_UP_US - 1_000_000
    allowed = await stack.client.post(f"/v1/devices/{parents['device_id']}/allow", headers=bearer(as_teen))
    assert allowed.status == 200
    stack.world.clock_offset_us = STEP_UP_US
    assert await error_of(await sign_out(stack, as_teen, parents["device_id"])) == (403, "reauthentication_required")

    assert (await confirm(stack, as_teen)).status == 200
    assert (await sign_out(stack, as_teen, parents["device_id"])).status == 200


async def test_selecting_another_profile_ends_it(stack):
    parents, tablet, profiles = await household(stack)
    as_teen = await select(stack, tablet, profiles["Teen"]["profile_id"])
    assert (await confirm(stack, as_teen)).status == 200
    as_owner = await select(stack, as_teen, profiles["Ada"]["profile_id"])
    assert await error_of(await sign_out(stack, as_owner, parents["device_id"])) == (403, "reauthentication_required")
    # The older token, of the profile the session left, gets nothing from a confirmation under the new one.
    assert (await confirm(stack, as_owner)).status == 200
    assert await error_of(await sign_out(stack, as_teen, parents["device_id"])) == (403, "reauthentication_required")
    assert await error_of(await confirm(stack, as_teen)) == (403, "other_profile")
    assert (await sign_out(stack, as_owner, parents["device_id"])).status == 200


async def test_signing_in_counts_as_entering_the_password_for_600_seconds(stack):
    parents, tablet, _ = await household(stack)
    assert (await stack.client.post(f"/v1/devices/{parents['device_id']}/allow", headers=bearer(tablet))).status == 200
    stack.world.clock_offset_us = STEP_UP_US
    assert await error_of(await sign_out(stack, tablet, parents["device_id"])) == (403, "reauthentication_required")


async def test_signing_this_device_out_and_reading_stay_free(stack):
    _, tablet, profiles = await household(stack)
    as_teen = await select(stack, tablet, profiles["Teen"]["profile_id"])
    stack.world.clock_offset_us = 2 * STEP_UP_US
    assert (await stack.client.get("/v1/devices", headers=bearer(as_teen))).status == 200
    assert (await stack.client.get("/v1/profiles", headers=bearer(as_teen))).status == 200
    assert (await stack.client.get("/v1/session", headers=bearer(as_teen))).status == 200
    assert (await stack.client.post("/v1/sign-out", headers=bearer(as_teen))).status == 200
    assert (await stack.client.get("/v1/session", headers=bearer(as_teen))).status == 401


async def test_a_kids_profile_gets_kids_profile_first_even_when_confirming(stack):
    _, tablet, profiles = await household(stack)
    as_kid = await select(stack, tablet, profiles["Kid"]["profile_id"])
    assert await error_of(await confirm(stack, as_kid)) == (403, "kids_profile")
    assert "auth.ConfirmPassword" not in stack.world.calls


def account_level_changes(ids: dict[str, str]) -> list[tuple[str, str, dict[str, object] | None]]:
    """Every account-level change the gateway has, with a valid body (without a password)."""
    teen, device = ids["teen"], ids["device"]
    return [
        ("post", f"/v1/devices/{device}/sign-out", None),
        ("post", "/v1/sign-out-all", {"include_current": False}),
        ("delete", f"/v1/devices/{device}", None),
        ("post", f"/v1/devices/{device}/allow", None),
        ("post", "/v1/profiles", {"name": "New", "kind": "standard"}),
        ("patch", f"/v1/profiles/{teen}", {"name": "Renamed"}),
        ("put", f"/v1/profiles/{teen}/maturity", {"maturity_level": "16+"}),
        ("put", f"/v1/profiles/{teen}/pin", {"pin": "4321"}),
        ("delete", f"/v1/profiles/{teen}/pin", None),
        ("post", f"/v1/profiles/{teen}/unlock", None),
        ("post", f"/v1/profiles/{teen}/blocked-titles", {"title_id": "tt-18"}),
        ("delete", f"/v1/profiles/{teen}/blocked-titles/tt-18", None),
        ("put", f"/v1/profiles/{teen}/schedule", {"time_zone": "UTC", "windows": []}),
        ("delete", f"/v1/profiles/{teen}", None),
    ]


async def test_every_account_level_change_needs_it_and_calls_nothing_without_it(stack):
    parents, tablet, profiles = await household(stack)
    as_teen = await select(stack, tablet, profiles["Teen"]["profile_id"])
    ids = {"teen": profiles["Teen"]["profile_id"], "device": parents["device_id"]}
    for method, path, body in account_level_changes(ids):
        stack.world.calls.clear()
        response = await getattr(stack.client, method)(path, json=body, headers=bearer(as_teen))
        assert await error_of(response) == (403, "reauthentication_required"), (method, path)
        assert stack.world.calls == [], (method, path)
    # Changing the password and closing the account take the password in their body, as before.
    wrong = await stack.client.post("/v1/account/close", json={"password": "a guess"}, headers=bearer(as_teen))
    assert await error_of(wrong) == (401, "wrong_password")


async def test_after_confirming_every_account_level_change_goes_through(stack):
    parents, tablet, profiles = await household(stack)
    as_teen = await select(stack, tablet, profiles["Teen"]["profile_id"])
    assert (await confirm(stack, as_teen)).status == 200
    ids = {"teen": profiles["Teen"]["profile_id"], "device": parents["device_id"]}
    for method, path, body in account_level_changes(ids):
        response = await getattr(stack.client, method)(path, json=body, headers=bearer(as_teen))
        assert response.status in (200, 201), (method, path, await response.text())
    assert "auth.VerifyPassword" not in stack.world.calls  # no password in the bodies: the confirmation counted


async def test_the_openapi_document_shows_the_route_and_the_403(stack):
    document = await (await stack.client.get("/openapi.json")).json()
    confirm_op = document["paths"]["/v1/session/confirm-password"]["post"]
    assert (confirm_op["operationId"], confirm_op["tags"]) == ("confirmPassword", ["accounts"])
    assert confirm_op["requestBody"]["content"]["application/json"]["example"]["password"]
    answer = confirm_op["responses"]["200"]["content"]["application/json"]["example"]
    assert answer["recently_authenticated_until"].endswith("Z")
    assert {"401", "403", "429"} <= set(confirm_op["responses"])

    reauthenticate = document["components"]["responses"]["Error403ReauthenticationRequired"]
    example = reauthenticate["content"]["application/json"]["example"]
    assert example["error"]["code"] == "reauthentication_required"
    assert "STEP_UP_SECONDS" in reauthenticate["description"]
    ref = {"$ref": "#/components/responses/Error403ReauthenticationRequired"}
    for path, method in [
        ("/v1/devices/{device_id}/sign-out", "post"),
        ("/v1/sign-out-all", "post"),
        ("/v1/devices/{device_id}", "delete"),
        ("/v1/devices/{device_id}/allow", "post"),
        ("/v1/profiles", "post"),
        ("/v1/profiles/{profile_id}/pin", "put"),
        ("/v1/profiles/{profile_id}/schedule", "put"),
    ]:
        assert document["paths"][path][method]["responses"]["403"] == ref, (method, path)
    assert "403" not in document["paths"]["/v1/sign-out"]["post"]["responses"]
    maturity = document["components"]["schemas"]["MaturityChange"]
    assert "password" in maturity["properties"] and "password" not in maturity.get("required", [])
