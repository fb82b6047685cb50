"""A TV signs in with a code (RFC 8628), end to end in real chromium: two browser contexts, the TV simulator
(/tv-screen at 1920x1080) and a phone (390 px wide, /tv and the main page), against the four real processes.

The TV asks for a code and shows it with its QR code; the phone enters it (typed, or by the QR code's link, read
back from the TV's QR code as a camera would), sees which device asks and from where, and approves or denies it;
the TV shows who it is signed in as, keeps its event stream open, and shows the signed-out screen the moment the
phone signs it out remotely. Every step is shot into artifacts/screenshots/ (tv-sign-in-*).

This module's suite lets TVs poll every second (DEVICE_CODE_INTERVAL_SECONDS) and believes X-Forwarded-For from
loopback (GATEWAY_TRUSTED_PROXIES), so a browser context can stand in a country of its own.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (fails under CI=true) before any test body runs
    expect = None  # type: ignore[assignment]

from tests.browser.conftest import PASSWORD, PHONE, SCREENSHOTS, Device
from tests.qr_codes import decode_svg
from tools.json_http import call
from tools.supervisor import Suite, SuiteConfig

TV = {"width": 1920, "height": 1080}
TV_NAME = "Living room TV (simulator)"
IN_PORTUGAL = "193.136.0.1"  # geoip2fast's data: Portugal
IN_THE_UK = "81.2.69.160"  # United Kingdom
SIGNED_OUT_WITHIN_MS = 5000  # "the moment" a phone signs it out, with room for a busy test machine
FAST_POLLING = {"GRACE_SECONDS": "2", "DEVICE_CODE_INTERVAL_SECONDS": "1", "GATEWAY_TRUSTED_PROXIES": "127.0.0.1"}


@pytest.fixture(scope="module")
def gateway_url(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("browser-tv")
    config = SuiteConfig.on_free_ports(root / "data", extra_env=FAST_POLLING)
    with Suite(config, log_dir=root / "logs"):
        yield config.gateway_url


# ---------------------------------------------------------------- helpers
def shoot_tv(tv: Device, step: str) -> None:
    """The TV's screen as it is, 1920x1080."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tv.page.screenshot(path=str(SCREENSHOTS / f"tv-sign-in-{step}-tv-1920.png"))


def shoot_phone(phone: Device, step: str) -> None:
    """The phone's whole page, 390 px wide."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.page.screenshot(path=str(SCREENSHOTS / f"tv-sign-in-{step}-phone-390.png"), full_page=True)


def seeded_account(base: str) -> str:
    """A new account with two profiles, Alice (owner) and Robin (kids); its email."""
    email = f"tv-owner-{uuid.uuid4().hex[:10]}@example.com"
    assert call(base, "POST", "/v1/accounts", {"email": email, "password": PASSWORD}).status == 201
    signed_in = call(
        base,
        "POST",
        "/v1/sign-in",
        {
            "email": email,
            "password": PASSWORD,
            "device": {"client_id": f"seed-{uuid.uuid4().hex}", "name": "Seed", "type": "computer"},
        },
    )
    assert signed_in.status == 200, signed_in.body
    token = signed_in.body["access_token"]
    for name, kind in (("Alice", "owner"), ("Robin", "kids")):
        created = call(base, "POST", "/v1/profiles", {"name": name, "kind": kind}, token=token)
        assert created.status == 201, created.body
    return email


def make(new_device, viewport: dict[str, int], address: str | None = None) -> Device:  # type: ignore[no-untyped-def]
    device: Device = new_device(viewport)
    if address:  # what a proxy in front of the gateway would say about where this device is
        device.context.set_extra_http_headers({"X-Forwarded-For": address})
    return device


def tv_gets_a_code(tv: Device) -> str:
    """The TV simulator asks for a code; the code it shows, as XXXX-XXXX."""
    tv.page.goto(tv.base + "/tv-screen")
    expect(tv.page.get_by_role("heading", name="Sign in to start watching")).to_be_visible()
    tv.page.get_by_role("button", name="Sign in").click()
    shown = tv.page.locator("#user-code")
    expect(shown).to_have_attribute("data-code", re.compile(r"^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$"))
    assert tv.page.locator("#qr").evaluate("image => image.decode().then(() => true, () => false)"), "no QR code"
    return str(shown.get_attribute("data-code"))


def qr_link(tv: Device) -> str:
    """What the TV's QR code opens, read from the image the TV shows."""
    src = tv.page.locator("#qr").evaluate("image => image.src")
    answer = tv.context.request.get(src)
    assert answer.status == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    links = decode_svg(answer.body())
    assert len(links) == 1, links
    return links[0]


def tv_tokens(tv: Device) -> Any:
    return tv.page.evaluate("JSON.parse(sessionStorage.getItem('remotesignout.tokens'))")


# ---------------------------------------------------------------- tests
def test_a_tv_signs_in_with_a_typed_code_and_a_phone_signs_it_out_remotely(new_device) -> None:  # type: ignore[no-untyped-def]
    tv, phone = make(new_device, TV), make(new_device, PHONE)
    email = seeded_account(tv.base)

    tv.page.goto(tv.base + "/tv-screen")
    expect(tv.page.get_by_role("button", name="Sign in")).to_be_focused()
    shoot_tv(tv, "01-welcome")
    code = tv_gets_a_code(tv)
    expect(tv.page.locator("#verification-uri")).to_have_text(re.compile(r"/tv$"))
    expect(tv.page.locator("#countdown")).to_have_text(re.compile(r"^This code expires in \d+:\d\d$"))
    shoot_tv(tv, "02-code")

    # The phone is signed in to the account on the main page, then opens /tv.
    phone.sign_in(email)
    expect(phone.page.locator("#account-screen")).to_be_visible()
    phone.page.goto(phone.base + "/tv")
    expect(phone.page.get_by_role("heading", name="Connect a TV")).to_be_visible()
    shoot_phone(phone, "03-enter-code")

    # A malformed code is refused before the API is asked.
    asked: list[str] = []
    phone.page.on("request", lambda r: asked.append(r.url) if "/v1/device-authorizations/" in r.url else None)
    field = phone.page.get_by_label("Code from your TV")
    field.fill(code.replace("-", "")[:7])
    phone.page.get_by_role("button", name="Continue").click()
    expect(phone.page.locator("#code-error")).to_have_text(re.compile("That code has 7 letters"))
    field.fill("BCDF-GHJA")
    phone.page.get_by_role("button", name="Continue").click()
    expect(phone.page.locator("#code-error")).to_contain_text("\u201cA\u201d can't be in a TV code")
    assert asked == [], "a malformed code reached the API"
    shoot_phone(phone, "04-malformed-code")

    # Typed in lower case with a space instead of the dash: the request shows what asks, from where and when.
    field.fill(code.lower().replace("-", " "))
    phone.page.get_by_role("button", name="Continue").click()
    expect(phone.page.get_by_role("heading", name="Sign in this TV?")).to_be_visible()
    expect(phone.page.locator("#request-name")).to_have_text(TV_NAME)
    expect(phone.page.locator("#request-type")).to_have_text("TV")
    expect(phone.page.get_by_role("img", name="TV")).to_be_visible()
    expect(phone.page.locator("#request-location")).to_have_text("local network")
    expect(phone.page.locator("#request-time time")).to_have_attribute("datetime", re.compile(r"^\d{4}-"))
    expect(phone.page.locator("#request-code")).to_have_text(code)
    expect(phone.page.locator("#location-warning")).to_be_hidden()  # both on loopback: the same place
    profile = phone.page.get_by_label("Profile on the TV")
    expect(profile.locator("option")).to_have_text(["Let the TV ask who's watching", "Alice", "Robin (kids)"])
    profile.select_option(label="Alice")
    shoot_phone(phone, "05-review")

    phone.page.get_by_role("button", name="Approve").click()
    expect(phone.page.get_by_role("heading", name=f"{TV_NAME} is signed in")).to_be_visible()
    shoot_phone(phone, "06-approved")

    # The TV: signed in, its event stream open.
    expect(tv.page.get_by_role("heading", name="Signed in as Alice")).to_be_visible()  # the profile chosen
    expect(tv.page.locator("#tv-live")).to_have_attribute("data-state", "live")
    tv_device = tv_tokens(tv)["device_id"]
    shoot_tv(tv, "07-signed-in")

    # The phone signs the TV out from the device list; the TV shows it at once, with no reload.
    tv.page.evaluate("window.__sameDocument = true")
    phone.page.get_by_role("link", name="Manage access and devices").first.click()
    row = phone.row(tv_device)
    expect(row.get_by_role("img", name="TV")).to_be_visible()
    expect(row.get_by_role("heading", name=TV_NAME)).to_be_visible()
    expect(row.locator(".state")).to_have_text("Signed in")
    shoot_phone(phone, "08-device-list")
    row.get_by_role("button", name="Sign out").click()
    expect(tv.page.get_by_role("heading", name="This TV was signed out")).to_be_visible(timeout=SIGNED_OUT_WITHIN_MS)
    expect(tv.page.locator("#signed-out-reason")).to_have_text(
        "Someone signed this TV out from their phone or computer."
    )
    assert tv.page.evaluate("window.__sameDocument === true"), "the TV's page was reloaded"
    assert tv_tokens(tv) is None, "the TV kept its tokens"
    expect(row.locator(".state")).to_have_text("Signed out")
    shoot_tv(tv, "09-signed-out")
    shoot_phone(phone, "09-device-list-after")

    # A new code from the signed-out screen.
    tv.page.get_by_role("button", name="Get a new code").click()
    expect(tv.page.locator("#user-code")).not_to_have_attribute("data-code", code)
    assert tv.foreign_requests() == [] and phone.foreign_requests() == []


def test_the_qr_codes_link_fills_the_code_in_warns_of_another_country_and_a_denial_shows_on_the_tv(new_device) -> None:  # type: ignore[no-untyped-def]
    tv, phone = make(new_device, TV, IN_PORTUGAL), make(new_device, PHONE, IN_THE_UK)
    email = seeded_account(tv.base)
    code = tv_gets_a_code(tv)

    link = qr_link(tv)  # the phone's camera reads the TV's QR code
    assert link == f"{tv.base}/tv?code={code.replace('-', '')}"

    # Not signed in yet: the sign-in form, which keeps the code, and the code leaves the address bar.
    phone.page.goto(link)
    expect(phone.page.get_by_role("heading", name="Sign in to connect your TV")).to_be_visible()
    expect(phone.page.locator("#sign-in-code-value")).to_have_text(code)
    assert "code=" not in phone.page.url
    shoot_phone(phone, "10-link-sign-in")
    phone.page.get_by_label("Email").fill(email)
    phone.page.get_by_label("Password").fill(PASSWORD)
    phone.page.get_by_role("button", name="Sign in", exact=True).click()

    # RFC 8628 §5.4: the TV asks from Portugal, the phone is in the UK.
    expect(phone.page.get_by_role("heading", name="Sign in this TV?")).to_be_visible()
    expect(phone.page.locator("#request-location")).to_have_text("Portugal")
    warning = phone.page.get_by_role("alert").filter(has_text="Is this your TV?")
    expect(warning).to_contain_text(
        "This request comes from Portugal, not where you are. If you didn't start this on your own TV, deny it."
    )
    expect(warning).to_contain_text("You are in United Kingdom.")
    shoot_phone(phone, "11-review-elsewhere")

    phone.page.get_by_role("button", name="Deny").click()
    expect(phone.page.get_by_role("heading", name="Request denied")).to_be_visible()
    shoot_phone(phone, "12-denied")
    expect(tv.page.get_by_role("heading", name="Sign-in denied")).to_be_visible()
    expect(tv.page.get_by_role("button", name="Get a new code")).to_be_focused()
    assert tv_tokens(tv) is None
    shoot_tv(tv, "12-denied")

    # The same code again: already used.
    phone.page.get_by_role("button", name="Enter another code").click()
    phone.page.get_by_label("Code from your TV").fill(code)
    phone.page.get_by_role("button", name="Continue").click()
    expect(phone.page.locator("#code-error")).to_have_text(re.compile("That code was already used"))
    expect(phone.page.locator("#code-error")).to_have_attribute("data-kind", "user_code_used")
    shoot_phone(phone, "13-code-used")


def test_an_unknown_code_is_said_plainly(new_device) -> None:  # type: ignore[no-untyped-def]
    phone = make(new_device, PHONE)
    phone.sign_in(seeded_account(phone.base))
    expect(phone.page.locator("#account-screen")).to_be_visible()
    phone.page.goto(phone.base + "/tv?code=ZZZZZZZZ")
    expect(phone.page.locator("#code-error")).to_have_text(re.compile("No TV is asking with that code"))
    expect(phone.page.locator("#code-error")).to_have_attribute("data-kind", "unknown_user_code")
    expect(phone.page.get_by_label("Code from your TV")).to_have_value("ZZZZ-ZZZZ")
    shoot_phone(phone, "14-unknown-code")


@pytest.fixture
def short_lived_codes(tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A suite of its own whose codes live 6 seconds (DEVICE_CODE_LIFETIME_SECONDS)."""
    config = SuiteConfig.on_free_ports(
        tmp_path / "data", extra_env={**FAST_POLLING, "DEVICE_CODE_LIFETIME_SECONDS": "6"}
    )
    with Suite(config, log_dir=tmp_path / "logs"):
        yield config.gateway_url


def test_an_expired_code_shows_expired_on_the_tv_and_on_the_phone(browser, short_lived_codes) -> None:  # type: ignore[no-untyped-def]
    contexts = [browser.new_context(viewport=size, locale="en-GB", timezone_id="Europe/London") for size in (TV, PHONE)]
    try:
        tv, phone = (Device(context, context.new_page(), short_lived_codes) for context in contexts)
        email = seeded_account(short_lived_codes)
        code = tv_gets_a_code(tv)
        expect(tv.page.locator("#countdown")).to_have_text(re.compile(r"^This code expires in 0:0[0-6]$"))

        expect(tv.page.get_by_role("heading", name="Code expired \u2014 get a new code")).to_be_visible(timeout=15000)
        expect(tv.page.get_by_role("button", name="Get a new code")).to_be_focused()
        shoot_tv(tv, "15-expired")

        phone.sign_in(email)
        expect(phone.page.locator("#account-screen")).to_be_visible()
        phone.page.goto(f"{short_lived_codes}/tv")
        phone.page.get_by_label("Code from your TV").fill(code)
        phone.page.get_by_role("button", name="Continue").click()
        expect(phone.page.locator("#code-error")).to_have_text(re.compile("That code has expired"))
        expect(phone.page.locator("#code-error")).to_have_attribute("data-kind", "expired_user_code")
        shoot_phone(phone, "15-expired")

        tv.page.get_by_role("button", name="Get a new code").click()
        expect(tv.page.locator("#user-code")).not_to_have_attribute("data-code", code)
    finally:
        for context in contexts:
            context.close()
