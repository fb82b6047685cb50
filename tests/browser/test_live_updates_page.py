"""The page's live updates when the access token expires under the open stream: the gateway ends the stream with
token_expired, the page refreshes its token and reconnects with Last-Event-ID, and updates keep coming.

This module's suite issues access tokens valid for 4 seconds (ACCESS_TOKEN_TTL_SECONDS).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (fails under CI=true) before any test body runs
    expect = None  # type: ignore[assignment]

from tools.supervisor import Suite, SuiteConfig

TOKEN_TTL_SECONDS = 4


@pytest.fixture(scope="module")
def gateway_url(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("browser-short-tokens")
    config = SuiteConfig.on_free_ports(
        root / "data", extra_env={"GRACE_SECONDS": "2", "ACCESS_TOKEN_TTL_SECONDS": str(TOKEN_TTL_SECONDS)}
    )
    with Suite(config, log_dir=root / "logs"):
        yield config.gateway_url


def test_the_page_refreshes_its_token_and_resumes_when_the_stream_says_token_expired(new_device, email) -> None:  # type: ignore[no-untyped-def]
    a = new_device()
    streams: list[dict[str, str]] = []
    refreshed: list[int] = []

    def seen(request: Any) -> None:
        if request.url.endswith("/v1/events"):
            streams.append(request.headers)
        elif request.url.endswith("/v1/token/refresh"):
            refreshed.append(1)

    a.context.on("request", seen)
    a.create_account(email)
    expect(a.page.locator("#live")).to_have_attribute("data-state", "live")
    a.page.evaluate("window.__sameDocument = true")

    waited_ms = 0
    while len(streams) < 2 and waited_ms < (TOKEN_TTL_SECONDS + 6) * 1000:
        a.page.wait_for_timeout(200)
        waited_ms += 200
    assert len(streams) >= 2, "the page did not reconnect after its token expired"
    assert refreshed, "the page reconnected without refreshing its token"
    assert "last-event-id" not in streams[0]
    assert streams[1].get("last-event-id"), "the reconnect did not say where it left off"
    expect(a.page.locator("#live")).to_have_attribute("data-state", "live")

    b = new_device()
    b.sign_in(email)
    expect(b.page.locator("#account-screen")).to_be_visible()
    a.page.reload()
    b_id = b.device_id()
    expect(a.row(b_id).locator(".state")).to_have_text("Signed in")
    a.page.evaluate("window.__sameDocument = true")
    a.page.wait_for_timeout((TOKEN_TTL_SECONDS + 1) * 1000)  # A's stream has been renewed at least once since

    b.page.get_by_role("button", name="Sign out of this browser").first.click()
    expect(a.row(b_id).locator(".state")).to_have_text("Signed out")
    assert a.page.evaluate("window.__sameDocument === true"), "A's page was reloaded"
    expect(a.page.locator("#account-screen")).to_be_visible()
