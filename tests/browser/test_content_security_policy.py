"""The page works under its Content-Security-Policy: a whole flow in real chromium raises no violation.

Every `securitypolicyviolation` event of every document a device loads is reported to the test
(through a binding, so reloads lose nothing), and so is every console message about the policy.
"""

from __future__ import annotations

import re
from typing import Any

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (fails under CI=true) before any test body runs
    expect = None  # type: ignore[assignment]

from tests.browser.conftest import PASSWORD, Device
from tools.json_http import call

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation({
    directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample,
    source: event.sourceFile, line: event.lineNumber, document: document.location.href,
  });
});
"""
CSP_WORDS = ("content security policy", "content-security-policy", "refused to")


class Watched:
    """A device whose CSP violations and policy console messages are collected."""

    def __init__(self, device: Device) -> None:
        self.device = device
        self.violations: list[dict[str, Any]] = []
        self.console: list[str] = []
        device.context.expose_function("__cspViolation", lambda violation: self.violations.append(violation))
        device.context.add_init_script(script=REPORT_VIOLATIONS)
        device.page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        device.page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))

    def policy_messages(self) -> list[str]:
        return [text for text in self.console if any(word in text.lower() for word in CSP_WORDS)]

    def assert_clean(self) -> None:
        self.device.page.wait_for_timeout(200)  # violation events are dispatched asynchronously
        assert self.violations == [], f"CSP violations: {self.violations}"
        assert self.policy_messages() == [], f"console: {self.policy_messages()}"


def watched(new_device) -> Watched:  # type: ignore[no-untyped-def]
    return Watched(new_device())


def test_a_whole_flow_raises_no_content_security_policy_violation(new_device, email) -> None:  # type: ignore[no-untyped-def]
    a, b = watched(new_device), watched(new_device)

    # Sign in (create the account) on A: the page arrives with its policy.
    response = a.device.page.goto(a.device.base + "/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    a.device.page.locator("#sign-in-screen").wait_for(state="visible")
    a.device.create_account(email)
    expect(a.device.page.locator("#account-screen")).to_be_visible()
    expect(a.device.page.locator("#live")).to_have_attribute("data-state", "live")

    # B signs in; A lists both devices after a reload.
    b.device.sign_in(email)
    expect(b.device.page.locator("#account-screen")).to_be_visible()
    expect(b.device.page.locator("#live")).to_have_attribute("data-state", "live")
    b_id = b.device.device_id()
    a.device.page.reload()
    expect(a.device.row(b_id).get_by_role("img", name="Web browser")).to_be_visible()

    # The confirmation dialog opens and cancels.
    a.device.row(b_id).get_by_role("button", name="Remove").click()
    expect(a.device.page.get_by_role("dialog")).to_be_visible()
    a.device.page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    expect(a.device.page.get_by_role("dialog")).to_be_hidden()

    # A signs B out: B shows the signed-out screen.
    a.device.row(b_id).get_by_role("button", name="Sign out").click()
    expect(b.device.page.get_by_role("heading", name="You were signed out of this device")).to_be_visible()
    expect(a.device.row(b_id).locator(".state")).to_have_text("Signed out")

    # Parental controls: an owner and a kids profile appear, its maturity level is saved with the password.
    token = a.device.page.evaluate("JSON.parse(sessionStorage.getItem('remotesignout.tokens')).access_token")
    owner = call(a.device.base, "POST", "/v1/profiles", {"name": "Sam", "kind": "owner"}, token=token)
    assert owner.status == 201, owner.body
    kids = call(a.device.base, "POST", "/v1/profiles", {"name": "Robin", "kind": "kids"}, token=token)
    assert kids.status == 201, kids.body
    a.device.page.reload()
    robin = a.device.page.locator(f'li.profile[data-profile-id="{kids.body["profile_id"]}"]')
    expect(robin).to_be_visible()
    a.device.page.get_by_label("Your account password").fill(PASSWORD)
    robin.get_by_label("Maturity level").select_option("7+")
    robin.get_by_role("button", name="Save maturity level for Robin").click()
    expect(a.device.page.locator("#status")).to_have_text("Robin can now watch titles rated 7+.")
    expect(a.device.page.locator("#activity")).to_be_visible()

    a.assert_clean()
    b.assert_clean()


def test_the_policy_is_enforced_and_a_violation_would_be_seen(new_device) -> None:  # type: ignore[no-untyped-def]
    """The check above means something: inline script and inline style are refused, and reported."""
    probe = watched(new_device)
    page = probe.device.open()
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.__inlineRan = true";
        document.body.append(script);
        document.body.setAttribute("style", "outline: 1px solid red");
    }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__inlineRan === undefined"), "an inline script ran under the policy"
    directives = {violation["directive"] for violation in probe.violations}
    assert {"script-src-elem", "style-src-attr"} <= directives, probe.violations
    assert probe.policy_messages(), probe.console


def test_the_tv_pages_raise_no_content_security_policy_violation(new_device, email) -> None:  # type: ignore[no-untyped-def]
    """/tv-screen (the code, its QR code as an <img>, polling, the event stream) and /tv (sign in, review, approve)."""
    tv = Watched(new_device({"width": 1920, "height": 1080}))
    phone = Watched(new_device({"width": 390, "height": 844}))
    assert call(tv.device.base, "POST", "/v1/accounts", {"email": email, "password": PASSWORD}).status == 201

    response = tv.device.page.goto(tv.device.base + "/tv-screen")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    tv.device.page.get_by_role("button", name="Sign in").click()
    expect(tv.device.page.locator("#user-code")).to_have_attribute("data-code", re.compile("^[A-Z]{4}-[A-Z]{4}$"))
    code = tv.device.page.locator("#user-code").get_attribute("data-code")
    loaded = tv.device.page.locator("#qr").evaluate("image => image.decode().then(() => true, () => false)")
    assert loaded, "the QR code did not load"

    response = phone.device.page.goto(f"{phone.device.base}/tv?code={code}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    phone.device.page.locator("#sign-in-email").fill(email)
    phone.device.page.locator("#sign-in-password").fill(PASSWORD)
    phone.device.page.get_by_role("button", name="Sign in", exact=True).click()
    phone.device.page.get_by_role("button", name="Approve").click()
    expect(phone.device.page.locator("#done-screen")).to_be_visible()
    polling = 15000  # the suite's default polling interval is 5 s
    expect(tv.device.page.get_by_role("heading", name=re.compile("^Signed in"))).to_be_visible(timeout=polling)
    expect(tv.device.page.locator("#tv-live")).to_have_attribute("data-state", "live")

    phone.device.page.get_by_role("link", name="Manage access and devices").first.click()
    tv_id = tv.device.page.evaluate("JSON.parse(sessionStorage.getItem('remotesignout.tokens')).device_id")
    phone.device.row(tv_id).get_by_role("button", name="Sign out").click()
    expect(tv.device.page.get_by_role("heading", name="This TV was signed out")).to_be_visible()

    tv.assert_clean()
    phone.assert_clean()
