"""The browser harness: the whole suite on free ports, driven by Debian's chromium through Playwright.

Chromium comes from `tools/install_browser.sh` (apt), never from `playwright install`.
Without chromium or the playwright package the tests skip, and fail under CI=true.
"""

from __future__ import annotations

import pathlib
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.e2e.conftest import local_config
from tests.support import require_service
from tools.supervisor import REPO_ROOT, Suite

CHROMIUM = pathlib.Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def gateway_url(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The four real processes, started once per test module; the gateway's base URL."""
    root = tmp_path_factory.mktemp("browser-suite")
    config = local_config(root / "data")
    with Suite(config, log_dir=root / "logs"):
        yield config.gateway_url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless chromium per test module.

    Not per session: sync Playwright keeps an event loop running in this thread
    while it is open, which would break the asyncio tests that run after it.
    """
    if not CHROMIUM.exists():
        require_service(f"{CHROMIUM} is missing; run tools/install_browser.sh")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_service("the playwright package is missing; pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Device:
    """One browser context = one device: its own localStorage, so its own client_id."""

    def __init__(self, context: Any, page: Any, base: str) -> None:
        self.context = context
        self.page = page
        self.base = base
        self.requested: list[str] = []
        self.navigations: list[str] = []
        context.on("request", lambda request: self.requested.append(request.url))
        page.on(
            "framenavigated", lambda frame: self.navigations.append(frame.url) if frame == page.main_frame else None
        )

    def open(self) -> Any:
        self.page.goto(self.base + "/")
        self.page.locator("#sign-in-screen").wait_for(state="visible")
        return self.page

    def sign_in(self, email: str, password: str = PASSWORD) -> None:
        page = self.page
        if not page.locator("#sign-in-screen").is_visible():
            self.open()
        page.locator("#sign-in-email").fill(email)
        page.locator("#sign-in-password").fill(password)
        page.get_by_role("button", name="Sign in", exact=True).click()

    def create_account(self, email: str, password: str = PASSWORD) -> None:
        page = self.open()
        page.get_by_role("button", name="Create an account").click()
        page.locator("#create-email").fill(email)
        page.locator("#create-password").fill(password)
        page.get_by_role("button", name="Create account and sign in").click()

    def device_id(self) -> str:
        return str(self.page.evaluate("JSON.parse(sessionStorage.getItem('remotesignout.tokens')).device_id"))

    def row(self, device_id: str) -> Any:
        return self.page.locator(f'li.device[data-device-id="{device_id}"]')

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requested if not url.startswith(self.base) and not url.startswith("data:")]


@pytest.fixture
def new_device(browser, gateway_url) -> Iterator[Callable[..., Device]]:  # type: ignore[no-untyped-def]
    """Makes devices (browser contexts) on the page; closes them after the test."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int] | None = None) -> Device:
        context = browser.new_context(viewport=viewport or DESKTOP, locale="en-GB", timezone_id="Europe/London")
        contexts.append(context)
        return Device(context, context.new_page(), gateway_url)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def email() -> str:
    return f"viewer-{uuid.uuid4().hex[:12]}@example.com"


def shoot(page: Any, name: str, *, full_page: bool = True) -> None:
    """Screenshots of the current screen at desktop and phone width, under artifacts/screenshots/.

    A modal dialog is shot as the viewport (full_page=False): its backdrop covers only the viewport.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size or DESKTOP
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=full_page)
    page.set_viewport_size(before)
