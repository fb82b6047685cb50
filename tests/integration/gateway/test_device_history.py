"""A lost or stolen device: its whole location history as a file to keep before removing it, and the device list's
unusual_location mark."""

from __future__ import annotations

import csv
import io

from google.protobuf.timestamp_pb2 import Timestamp
from remotesignout.device.v1 import device_pb2

from gateway import flows
from tests.integration.gateway.conftest import bearer

HOSTILE = ['=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1)", "\tTab", 'Lisbon, "Portugal"\nnew line']


def history(device_id: str, count: int) -> list[device_pb2.StreamingActivity]:
    """`count` playbacks, newest first, the first few with hostile location text."""
    return [
        device_pb2.StreamingActivity(
            activity_id=f"act-{n + 2}",
            device_id=device_id,
            kind=device_pb2.STREAMING_ACTIVITY_KIND_PLAYBACK,
            ip_address="192.0.2.10",
            location=device_pb2.Location(
                country="Portugal", description=HOSTILE[n] if n < len(HOSTILE) else f"Place {n}"
            ),
            occurred_at=Timestamp(seconds=1_800_000_000 - n),
        )
        for n in range(count)
    ]


async def test_the_whole_history_downloads_as_csv_with_a_header_row_and_safe_cells(stack):
    tokens = await stack.sign_in()
    device_id = tokens["device_id"]
    stack.world.history[device_id] = history(device_id, 250)

    response = await stack.client.get(f"/v1/devices/{device_id}/activity?format=csv", headers=bearer(tokens))

    assert response.status == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="activity-{device_id}.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    assert "X-Activity-Truncated" not in response.headers
    text = await response.text()
    assert text.startswith("occurred_at,kind,ip_address,country,location\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["occurred_at", "kind", "ip_address", "country", "location"]
    assert len(rows) == 1 + 1 + 250  # the header, the sign-in, every playback: all pages were read
    assert rows[1][1:] == ["sign_in", "127.0.0.1", "", "local network"]
    assert rows[2] == ["2027-01-15T08:00:00.000000Z", "playback", "192.0.2.10", "Portugal", "'" + HOSTILE[0]]
    assert [row[4] for row in rows[3:8]] == ["'+1", "'-2+3", "'@SUM(A1)", "'\tTab", 'Lisbon, "Portugal"\nnew line']
    assert rows[-1][4] == "Place 249"
    pages = stack.world.requests["device.ListStreamingActivity"]
    assert [(p.page_size, p.page_token) for p in pages] == [
        (100, ""),
        (100, "next"),
        (100, "next101"),
        (100, "next201"),
    ]


async def test_the_whole_history_downloads_as_json_in_the_pages_shape(stack):
    tokens = await stack.sign_in()
    device_id = tokens["device_id"]
    stack.world.history[device_id] = history(device_id, 120)

    response = await stack.client.get(f"/v1/devices/{device_id}/activity?format=json", headers=bearer(tokens))

    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["Content-Disposition"] == f'attachment; filename="activity-{device_id}.json"'
    body = await response.json()
    assert body["next_page_token"] == ""
    assert len(body["activities"]) == 121
    assert body["activities"][1] == {
        "kind": "playback",
        "ip_address": "192.0.2.10",
        "location": {"country": "Portugal", "region": "", "city": "", "description": HOSTILE[0]},
        "occurred_at": "2027-01-15T08:00:00.000000Z",
    }


async def test_a_history_longer_than_the_limit_is_cut_to_the_newest_and_says_so(stack, monkeypatch):
    monkeypatch.setattr(flows, "HISTORY_MAX_ENTRIES", 150)
    tokens = await stack.sign_in()
    stack.world.history[tokens["device_id"]] = history(tokens["device_id"], 300)
    response = await stack.client.get(f"/v1/devices/{tokens['device_id']}/activity?format=json", headers=bearer(tokens))
    assert response.status == 200
    assert response.headers["X-Activity-Truncated"] == "true"
    assert len((await response.json())["activities"]) == 150


async def test_without_format_the_activity_is_one_page_as_before(stack):
    tokens = await stack.sign_in()
    stack.world.history[tokens["device_id"]] = history(tokens["device_id"], 10)
    response = await stack.client.get(f"/v1/devices/{tokens['device_id']}/activity", headers=bearer(tokens))
    assert response.status == 200
    assert "Content-Disposition" not in response.headers
    body = await response.json()
    assert (len(body["activities"]), body["next_page_token"]) == (1, "next")


async def test_an_unknown_format_is_422_and_another_accounts_device_404_before_any_history_is_read(stack):
    mine = await stack.sign_in(client_id="tv-1")
    theirs = await stack.sign_in("eve@example.com", client_id="eve-tv")
    bad = await stack.client.get(f"/v1/devices/{mine['device_id']}/activity?format=xlsx", headers=bearer(mine))
    assert bad.status == 422
    assert (await bad.json())["error"] == {"code": "invalid_format", "message": "'format' must be one of: json, csv."}
    other = await stack.client.get(f"/v1/devices/{theirs['device_id']}/activity?format=csv", headers=bearer(mine))
    assert other.status == 404
    assert other.headers["Content-Type"].startswith("application/json")
    assert "device.ListStreamingActivity" not in stack.world.calls


async def test_the_device_list_and_one_device_show_unusual_location(stack):
    tokens = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    stack.world.devices[phone["device_id"]].unusual_location = True
    listed = (await (await stack.client.get("/v1/devices", headers=bearer(tokens))).json())["devices"]
    assert {d["device_id"]: d["unusual_location"] for d in listed} == {
        tokens["device_id"]: False,
        phone["device_id"]: True,
    }
    one = await stack.client.get(f"/v1/devices/{phone['device_id']}", headers=bearer(tokens))
    assert (await one.json())["unusual_location"] is True


async def test_the_openapi_document_offers_the_history_as_csv_too(stack):
    document = await (await stack.client.get("/openapi.json")).json()
    operation = document["paths"]["/v1/devices/{device_id}/activity"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    formats = next(p for p in operation["parameters"] if p["name"] == "format")
    assert formats["in"] == "query" and not formats["required"]
    assert "unusual_location" in document["components"]["schemas"]["Device"]["required"]
