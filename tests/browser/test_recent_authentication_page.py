"""The page asks for the password again when a change answers 403 reauthentication_required, then completes it.

Device A's session selects a profile (through the API, as a TV app would; the page keeps the scoped token): that
ends the recent authentication its sign-in gave it, so A's next account-level change needs the password.
"""

from __future__ import annotations

from typing import Any

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (fails under CI=true) before any test body runs
    expect = None  # type: ignore[assignment]

from tests.browser.conftest import PASSWORD, Device, shoot
from tests.browser.test_manage_devices_page import SIGNED_OUT_HEADING, signed_in_pair
from tools.json_http import call

REAUTHENTICATE = "Enter your account password again to make this change."


def access_token(device: Device) -> str:
    return str(device.page.evaluate("JSON.parse(sessionStorage.getItem('remotesignout.tokens')).access_token"))


def select_a_profile(device: Device, name: str) -> None:
    """The device's session selects a new standard profile `name` (the owner's comes first); the page's access
    token becomes the scoped one."""
    token = access_token(device)
    for profile_name, kind in (("Parent", "owner"), (name, "standard")):
        created = call(device.base, "POST", "/v1/profiles", {"name": profile_name, "kind": kind}, token=token)
        assert created.status == 201, created.body
    selected = call(device.base, "POST", f"/v1/profiles/{created.body['profile_id']}/select", {}, token=token)
    assert selected.status == 200, selected.body
    device.page.evaluate(
        """token => {
            const saved = JSON.parse(sessionStorage.getItem('remotesignout.tokens'));
            sessionStorage.setItem('remotesignout.tokens', JSON.stringify({ ...saved, access_token: token }));
        }""",
        selected.body["access_token"],
    )
    refused = call(device.base, "POST", "/v1/sign-out-all", {"include_current": False}, token=access_token(device))
    assert (refused.status, refused.error_code) == (403, "reauthentication_required")


def answers(device: Device, path: str) -> list[int]:
    """The statuses of the answers to requests for `path` (collected as they arrive)."""
    statuses: list[int] = []
    device.page.on("response", lambda r: statuses.append(r.status) if r.url.endswith(path) else None)
    return statuses


def test_a_change_after_a_profile_switch_asks_for_the_password_then_goes_through(new_device, email) -> None:  # type: ignore[no-untyped-def]
    a, b = signed_in_pair(new_device, email)
    b_id = b.device_id()
    select_a_profile(a, "Teen")
    sign_outs = answers(a, f"/v1/devices/{b_id}/sign-out")
    confirmations = answers(a, "/v1/session/confirm-password")

    a.row(b_id).get_by_role("button", name="Sign out").click()
    dialog: Any = a.page.get_by_role("dialog", name="Enter your password to continue")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Your password")).to_be_focused()
    assert sign_outs == [403]
    shoot(a.page, "08-reauthenticate-dialog", full_page=False)

    dialog.get_by_label("Your password").fill("not the password")
    dialog.get_by_role("button", name="Continue").click()
    expect(a.page.locator("#reauth-error")).to_have_text("The password is incorrect.")
    expect(dialog).to_be_visible()
    expect(a.page.locator("#account-screen")).to_be_visible()  # a wrong password keeps the session
    expect(b.page.locator("#account-screen")).to_be_visible()
    assert confirmations == [401]

    dialog.get_by_label("Your password").fill(PASSWORD)
    dialog.get_by_role("button", name="Continue").click()
    expect(dialog).to_be_hidden()
    expect(b.page.get_by_role("heading", name=SIGNED_OUT_HEADING)).to_be_visible(timeout=2000)
    expect(a.row(b_id).locator(".state")).to_have_text("Signed out")
    expect(a.page.locator("#status")).to_have_text("Chromium on Linux was signed out.")
    assert confirmations == [401, 200] and sign_outs == [403, 200]
    assert a.page.locator("#page-error").is_hidden()


def test_cancelling_the_password_leaves_the_device_as_it_was_and_says_why(new_device, email) -> None:  # type: ignore[no-untyped-def]
    a, b = signed_in_pair(new_device, email)
    b_id = b.device_id()
    select_a_profile(a, "Teen")

    a.row(b_id).get_by_role("button", name="Remove").click()
    a.page.get_by_role("dialog").get_by_role("button", name="Remove device").click()
    dialog: Any = a.page.get_by_role("dialog", name="Enter your password to continue")
    expect(dialog).to_be_visible()
    a.page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(a.page.locator("#page-error")).to_have_text(REAUTHENTICATE)
    expect(a.row(b_id).locator(".state")).to_have_text("Signed in")
    expect(b.page.locator("#account-screen")).to_be_visible()
    assert not a.page.locator("#reauth-password").input_value(), "the dialog must not keep the password"


def test_a_wrong_password_in_parental_controls_says_so_and_keeps_the_page_signed_in(new_device, email) -> None:  # type: ignore[no-untyped-def]
    device = new_device()
    device.create_account(email)
    page = device.page
    expect(page.locator("#account-screen")).to_be_visible()
    owner = call(device.base, "POST", "/v1/profiles", {"name": "Sam", "kind": "owner"}, token=access_token(device))
    assert owner.status == 201, owner.body
    page.reload()

    sam = page.locator(f'li.profile[data-profile-id="{owner.body["profile_id"]}"]')
    page.get_by_label("Your account password").fill("not the password")
    sam.get_by_role("button", name="Save maturity level for Sam").click()
    expect(page.locator("#page-error")).to_have_text("The password is incorrect.")
    expect(page.locator("#account-screen")).to_be_visible()  # 401 wrong_password is not a dead session
    assert call(device.base, "GET", "/v1/session", token=access_token(device)).status == 200
