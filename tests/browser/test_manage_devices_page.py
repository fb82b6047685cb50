"""The web page at / as a person uses it: sign in, see devices, sign them out, remove them.

Each test drives real chromium against the four real processes. Two browser
contexts are two devices of one account.
"""

from __future__ import annotations

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (fails under CI=true) before any test body runs
    expect = None  # type: ignore[assignment]

from tests.browser.conftest import PASSWORD, PHONE, Device, shoot
from tools.json_http import call

SIGNED_OUT_HEADING = "You were signed out of this device"


def signed_in_pair(new_device, email: str) -> tuple[Device, Device]:  # type: ignore[no-untyped-def]
    """Device A creates the account, device B signs in to it; both show the device list."""
    a, b = new_device(), new_device()
    a.create_account(email)
    expect(a.page.locator("#account-screen")).to_be_visible()
    b.sign_in(email)
    expect(b.page.locator("#account-screen")).to_be_visible()
    expect(a.page.locator("#live")).to_have_attribute("data-state", "live")
    expect(b.page.locator("#live")).to_have_attribute("data-state", "live")
    a.page.reload()  # A learns about B
    expect(a.row(b.device_id())).to_be_visible()
    return a, b


def test_a_new_account_signs_in_and_sees_this_device_marked_current(new_device, email) -> None:  # type: ignore[no-untyped-def]
    device = new_device()
    page = device.open()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    shoot(page, "01-sign-in")

    device.create_account(email)

    expect(page.get_by_role("heading", name="Manage access and devices")).to_be_visible()
    rows = page.locator("li.device")
    expect(rows).to_have_count(1)
    mine = device.row(device.device_id())
    expect(mine).to_have_attribute("data-current", "true")
    expect(mine.get_by_text("This device")).to_be_visible()
    expect(mine.get_by_role("heading", name="Chromium on Linux")).to_be_visible()
    expect(mine.get_by_role("img", name="Web browser")).to_be_visible()
    expect(mine.locator(".state")).to_have_text("Signed in")
    expect(page.locator("#who-email")).to_have_text(email)
    expect(page.locator("#live")).to_have_attribute("data-state", "live")
    client_id = page.evaluate("localStorage.getItem('remotesignout.client_id')")
    assert client_id, "the page keeps a stable client_id per browser"
    shoot(page, "02-device-list")
    assert device.foreign_requests() == [], "the page fetched something from outside the gateway"


def test_signing_out_another_device_shows_it_the_signed_out_screen_without_reload(new_device, email) -> None:  # type: ignore[no-untyped-def]
    a, b = signed_in_pair(new_device, email)
    b_id = b.device_id()
    b.page.evaluate("window.__sameDocument = true")
    navigations_before = list(b.navigations)

    with a.page.expect_response(lambda r: r.url.endswith(f"/v1/devices/{b_id}/sign-out")) as answered:
        a.row(b_id).get_by_role("button", name="Sign out").click()
    assert answered.value.status == 200

    expect(b.page.get_by_role("heading", name=SIGNED_OUT_HEADING)).to_be_visible(timeout=1000)
    expect(b.page.locator("#signed-out-reason")).to_have_text("Someone signed this device out from another device.")
    assert b.navigations == navigations_before, "B's page navigated"
    assert b.page.evaluate("window.__sameDocument === true"), "B's page was reloaded"
    assert b.page.evaluate("sessionStorage.getItem('remotesignout.tokens')") is None, "B kept its tokens"
    expect(a.row(b_id).locator(".state")).to_have_text("Signed out")
    expect(a.row(b_id).get_by_role("button", name="Sign out")).to_have_count(0)
    shoot(b.page, "04-signed-out-screen")


def test_a_removed_device_is_signed_out_and_cannot_sign_in_again_until_allowed(new_device, email) -> None:  # type: ignore[no-untyped-def]
    a, b = signed_in_pair(new_device, email)
    b_id = b.device_id()

    a.row(b_id).get_by_role("button", name="Remove").click()
    dialog = a.page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("will not be able to sign in again until you allow it again")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    shoot(a.page, "03-confirm-remove-dialog", full_page=False)
    with a.page.expect_response(
        lambda r: r.url.endswith(f"/v1/devices/{b_id}") and r.request.method == "DELETE"
    ) as answered:
        dialog.get_by_role("button", name="Remove device").click()
    assert answered.value.status == 200, f"DELETE /v1/devices/{{id}} answered {answered.value.status}"
    expect(dialog).to_be_hidden()

    expect(b.page.get_by_role("heading", name=SIGNED_OUT_HEADING)).to_be_visible(timeout=1000)
    expect(b.page.locator("#signed-out-reason")).to_contain_text("This device was removed from the account")
    expect(a.row(b_id).locator(".state")).to_have_text("Removed")

    b.page.get_by_role("button", name="Sign in again").click()
    b.sign_in(email)
    error = b.page.locator("#sign-in-error")
    expect(error).to_have_attribute("data-kind", "device_banned")
    expect(error).to_contain_text("This device was removed from the account")
    expect(error).to_contain_text("can allow it again")
    shoot(b.page, "05-banned-message")

    a.row(b_id).get_by_role("button", name="Allow again").click()
    expect(a.row(b_id).locator(".state")).not_to_have_text("Removed")
    b.sign_in(email)
    expect(b.page.locator("#account-screen")).to_be_visible()


def test_a_wrong_password_says_the_email_or_password_is_incorrect(new_device, email) -> None:  # type: ignore[no-untyped-def]
    device = new_device()
    device.create_account(email)
    expect(device.page.locator("#account-screen")).to_be_visible()
    device.page.get_by_role("button", name="Sign out of this browser").first.click()
    expect(device.page.locator("#sign-in-screen")).to_be_visible()

    device.sign_in(email, "not the password")

    error = device.page.locator("#sign-in-error")
    expect(error).to_have_text("The email or password is incorrect.")
    expect(error).to_have_attribute("data-kind", "invalid_credentials")
    expect(device.page.locator("#sign-in-password")).to_be_focused()
    shoot(device.page, "06-wrong-password")


def test_the_page_fits_a_390_pixel_wide_phone_without_horizontal_scroll(new_device, email) -> None:  # type: ignore[no-untyped-def]
    a, b = signed_in_pair(new_device, email)
    phone = a.page
    phone.set_viewport_size(PHONE)
    width = "document.documentElement.scrollWidth"
    assert phone.evaluate(width) <= PHONE["width"]
    phone.get_by_role("button", name="Sign out of all other devices").click()
    expect(phone.get_by_role("dialog")).to_be_visible()
    assert phone.evaluate(width) <= PHONE["width"]
    phone.keyboard.press("Escape")
    expect(phone.get_by_role("dialog")).to_be_hidden()
    expect(phone.get_by_role("button", name="Sign out of all other devices")).to_be_focused()
    assert b.page.locator("#account-screen").is_visible(), "Escape must cancel, not sign out"

    signed_out = new_device(PHONE)
    signed_out.open()
    assert signed_out.page.evaluate(width) <= PHONE["width"]


def test_throttled_and_server_errors_each_say_what_happened(new_device, email) -> None:  # type: ignore[no-untyped-def]
    device = new_device()
    page = device.open()
    answers = iter(
        [
            {"status": 429, "json": {"error": {"code": "sign_in_throttled", "message": "slow down"}}},
            {"status": 503, "json": {"error": {"code": "unavailable", "message": "auth_service is down"}}},
        ]
    )
    page.route("**/v1/sign-in", lambda route: route.fulfill(**next(answers)))
    error = page.locator("#sign-in-error")

    device.sign_in(email)
    expect(error).to_have_text("Too many attempts. Wait a moment and try again.")
    expect(error).to_have_attribute("data-kind", "throttled")

    device.sign_in(email)
    expect(error).to_have_text("Something went wrong on our side; try again.")
    expect(error).to_have_attribute("data-kind", "server")

    page.unroute("**/v1/sign-in")
    page.route("**/v1/sign-in", lambda route: route.abort("connectionrefused"))
    page.locator("#sign-in-error").evaluate("node => { node.textContent = ''; node.dataset.kind = ''; }")
    device.sign_in(email)
    expect(error).to_have_text("Something went wrong on our side; try again.")
    expect(error).to_have_attribute("data-kind", "server")


def test_the_list_shows_another_device_signing_out_without_reload(new_device, email) -> None:  # type: ignore[no-untyped-def]
    a, b = signed_in_pair(new_device, email)
    b_id = b.device_id()
    a.page.evaluate("window.__sameDocument = true")
    expect(a.row(b_id).locator(".state")).to_have_text("Signed in")

    b.page.get_by_role("button", name="Sign out of this browser").first.click()
    expect(b.page.locator("#sign-in-screen")).to_be_visible()

    expect(a.row(b_id).locator(".state")).to_have_text("Signed out")
    assert a.page.evaluate("window.__sameDocument === true"), "A's page was reloaded"
    expect(a.page.locator("#account-screen")).to_be_visible()


def test_the_owner_sees_what_was_watched_and_sets_parental_controls(new_device, email) -> None:  # type: ignore[no-untyped-def]
    device = new_device()
    device.create_account(email)
    page = device.page
    expect(page.locator("#account-screen")).to_be_visible()
    token = page.evaluate("JSON.parse(sessionStorage.getItem('remotesignout.tokens')).access_token")
    owner = call(device.base, "POST", "/v1/profiles", {"name": "Sam", "kind": "owner"}, token=token)
    assert owner.status == 201, owner.body
    kids = call(device.base, "POST", "/v1/profiles", {"name": "Robin", "kind": "kids"}, token=token)
    assert kids.status == 201, kids.body
    titles = call(device.base, "GET", "/v1/titles?page_size=100", token=token).body["titles"]
    title = next(t for t in titles if t["maturity_rating"] == "all")
    played = call(
        device.base,
        "POST",
        "/v1/playback",
        {"profile_id": kids.body["profile_id"], "title_id": title["title_id"]},
        token=token,
    )
    assert played.status == 200, played.body
    page.reload()

    mine = device.row(device.device_id())
    expect(mine).to_contain_text("Robin")
    expect(mine).to_contain_text(title["name"])
    page.get_by_label("Profile", exact=True).select_option("Robin")
    first = page.locator("#activity-list li").first
    expect(first).to_contain_text(title["name"])
    expect(first).to_contain_text("Robin")

    robin = page.locator(f'li.profile[data-profile-id="{kids.body["profile_id"]}"]')
    expect(robin).to_be_visible()
    robin.get_by_label("Maturity level").select_option("7+")
    robin.get_by_role("button", name="Save maturity level for Robin").click()
    expect(page.locator("#page-error")).to_have_text("Enter your account password to change parental controls.")
    expect(page.get_by_label("Your account password")).to_be_focused()

    page.get_by_label("Your account password").fill(PASSWORD)
    robin.get_by_role("button", name="Save maturity level for Robin").click()
    expect(page.locator("#status")).to_have_text("Robin can now watch titles rated 7+.")
    robin.get_by_label("Profile lock PIN (4 digits)").fill("2468")
    robin.get_by_role("button", name="Set PIN for Robin").click()
    expect(robin).to_contain_text("PIN set")
    rules = call(device.base, "GET", f"/v1/profiles/{kids.body['profile_id']}/rules", token=token)
    assert rules.status == 200, rules.body
    assert "7+" in str(rules.body), rules.body
    shoot(page, "07-activity-and-parental-controls")
