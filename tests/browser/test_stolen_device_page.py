"""A lost or stolen device on the page: the removal dialog says removing erases its location history and offers that
history as a download first; a device last used somewhere unusual is marked. And the live updates' stream limit."""

from __future__ import annotations

import csv
import http.client
import io
import json
import pathlib
import urllib.parse

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (fails under CI=true) before any test body runs
    expect = None  # type: ignore[assignment]

from tests.browser.conftest import shoot
from tests.browser.test_manage_devices_page import signed_in_pair


def test_the_removal_dialog_says_history_is_erased_and_downloads_it_first(new_device, email) -> None:  # type: ignore[no-untyped-def]
    a, b = signed_in_pair(new_device, email)
    b_id = b.device_id()

    a.row(b_id).get_by_role("button", name="Remove").click()
    dialog = a.page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Removing it also erases its location history")
    expect(dialog).to_contain_text("If it was lost or stolen, download that history first, or sign it out instead")
    link = dialog.get_by_role("link", name="Download its location history (CSV)")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", f"/v1/devices/{b_id}/activity?format=csv")
    shoot(a.page, "08-remove-dialog-with-history-download", full_page=False)

    with a.page.expect_download() as downloading:
        link.click()
    download = downloading.value
    assert download.suggested_filename == f"activity-{b_id}.csv"
    rows = list(csv.reader(io.StringIO(pathlib.Path(download.path()).read_text(encoding="utf-8"), newline="")))
    assert rows[0] == ["occurred_at", "kind", "ip_address", "country", "location"]
    assert ["sign_in", "127.0.0.1", "", "local network"] in [row[1:] for row in rows[1:]]

    expect(dialog).to_be_visible()  # downloading does not answer the question
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(a.row(b_id).locator(".state")).to_have_text("Signed in")  # nothing was removed


def test_a_device_last_used_somewhere_unusual_is_marked_in_the_list(new_device, email) -> None:  # type: ignore[no-untyped-def]
    a, b = signed_in_pair(new_device, email)
    b_id = b.device_id()

    def mark_b(route) -> None:  # type: ignore[no-untyped-def]
        # The suite runs on loopback, where no address has a country: mark B as device_service would.
        answer = route.fetch()
        body = answer.json()
        for device in body["devices"]:
            device["unusual_location"] = device["device_id"] == b_id
        route.fulfill(response=answer, body=json.dumps(body))

    a.page.route("**/v1/devices?*", mark_b)
    a.page.reload()

    row = a.row(b_id)
    expect(row.locator(".unusual-marker")).to_have_text("Unusual location")
    expect(row).to_contain_text("Last used in a country none of your other devices signed in from recently")
    expect(a.row(a.device_id()).locator(".unusual-marker")).to_have_count(0)
    shoot(a.page, "09-unusual-location")


def test_a_stream_pushed_out_by_newer_ones_says_so_and_stays_closed(new_device, email) -> None:  # type: ignore[no-untyped-def]
    device = new_device()
    device.create_account(email)
    page = device.page
    expect(page.locator("#live")).to_have_attribute("data-state", "live")
    token = page.evaluate("JSON.parse(sessionStorage.getItem('remotesignout.tokens')).access_token")
    address = urllib.parse.urlsplit(device.base)
    newer = []
    try:
        for _ in range(3):  # three newer streams of the page's session: the page's own, the oldest, is closed
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
            connection.request("GET", "/v1/events", headers={"Authorization": f"Bearer {token}"})
            assert connection.getresponse().status == 200
            newer.append(connection)
        live = page.locator("#live")
        expect(live).to_have_attribute("data-state", "paused")
        expect(live).to_contain_text("too many live windows open")
        page.wait_for_timeout(1500)  # longer than the stream's retry: the page did not reconnect
        expect(live).to_have_attribute("data-state", "paused")
        assert sum(url.endswith("/v1/events") for url in device.requested) == 1
    finally:
        for connection in newer:
            connection.close()
