"""GET /v1/events under abuse and across reconnects: at most 3 streams per session and 20 per account (the oldest is
closed, saying why), a stream ends when its token expires, every event has an id, and Last-Event-ID resumes."""

from __future__ import annotations

import asyncio
import json
import re
import time

import pytest

from gateway.events import STREAMS
from tests.integration.gateway.conftest import bearer

EVENT_ID = re.compile(r"[0-9a-f]{16}\.[0-9]+")


async def read_frame(response, timeout: float = 5.0) -> dict[str, str]:
    """The next frame's fields (id, retry, event, data), skipping keepalive comments; {} once the stream ended."""

    async def read() -> dict[str, str]:
        fields: dict[str, str] = {}
        while True:
            line = (await response.content.readline()).decode()
            if not line:
                return fields
            line = line.rstrip("\n")
            if line.startswith(":"):
                continue
            if line == "":
                if fields:
                    return fields
                continue
            name, _, value = line.partition(": ")
            fields[name] = value

    return await asyncio.wait_for(read(), timeout)


async def open_stream(stack, tokens, **headers):
    response = await stack.client.get("/v1/events", headers={**bearer(tokens), **headers})
    assert response.status == 200, await response.text()
    ready = await read_frame(response)
    assert ready["event"] == "ready"
    return response, ready


async def assert_closed_for_too_many_streams(response) -> None:
    closed = await read_frame(response)
    assert (closed["event"], json.loads(closed["data"])) == ("closed", {"reason": "too_many_streams"})
    assert EVENT_ID.fullmatch(closed["id"])
    assert await read_frame(response) == {}  # and the stream ended


async def test_the_fourth_stream_of_a_session_closes_the_first_with_the_reason(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    streams = [(await open_stream(stack, tv))[0] for _ in range(3)]

    fourth, _ = await open_stream(stack, tv)

    await assert_closed_for_too_many_streams(streams[0])
    await stack.client.post(f"/v1/devices/{phone['device_id']}/sign-out", headers=bearer(tv))
    for still_open in [*streams[1:], fourth]:  # the other three stay open and still get the session's events
        assert (await read_frame(still_open))["event"] == "devices"
    for response in [*streams, fourth]:
        response.close()


async def test_the_twenty_first_stream_of_an_account_closes_its_oldest(stack):
    sessions = [await stack.sign_in(client_id=f"device-{n}") for n in range(7)]
    opened = []
    for tokens in sessions:  # 7 sessions x 3 streams = 21: no session is over its own limit
        for _ in range(3):
            opened.append((await open_stream(stack, tokens))[0])

    await assert_closed_for_too_many_streams(opened[0])
    other = await stack.sign_in("eve@example.com", client_id="eve-tv")
    eve, _ = await open_stream(stack, other)  # another account's streams do not count
    await stack.client.post(f"/v1/devices/{sessions[6]['device_id']}/sign-out", headers=bearer(sessions[0]))
    assert (await read_frame(opened[1]))["event"] == "devices"  # the second oldest was left open
    for response in [*opened, eve]:
        response.close()


async def test_a_stream_ends_with_token_expired_when_its_access_token_expires(stack):
    stack.world.token_ttl_seconds = 1.0
    tokens = await stack.sign_in()
    started = time.monotonic()
    response, ready = await open_stream(stack, tokens)

    expired = await read_frame(response)

    assert expired["event"] == "token_expired"
    assert time.monotonic() - started >= 0.5
    assert json.loads(expired["data"])["expired_at"].endswith("Z")
    assert expired["id"] == ready["id"]  # nothing happened in between: resume from the same place
    assert await read_frame(response) == {}


async def test_every_event_has_an_id_the_first_frame_says_retry_and_ids_increase(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    async with stack.client.get("/v1/events", headers=bearer(tv)) as events:
        first = (await events.content.readline()).decode()
        assert re.fullmatch(r"retry: \d+\n", first)
        rest = await read_frame(events)
        assert rest["event"] == "ready" and EVENT_ID.fullmatch(rest["id"])
        await stack.client.post(f"/v1/devices/{phone['device_id']}/sign-out", headers=bearer(tv))
        devices = await read_frame(events)
        await stack.client.post("/v1/sign-out", headers=bearer(tv))
        revoked = await read_frame(events)
    assert [devices["event"], revoked["event"]] == ["devices", "revoked"]
    numbers = [int(frame["id"].split(".")[1]) for frame in (rest, devices, revoked)]
    assert numbers == sorted(set(numbers))


async def test_last_event_id_resumes_with_what_the_session_missed_while_another_stream_watched(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    tablet = await stack.sign_in(client_id="tablet-1")
    dropped, ready = await open_stream(stack, tv)
    kept, _ = await open_stream(stack, tv)
    dropped.close()
    for device in (phone, tablet):
        await stack.client.post(f"/v1/devices/{device['device_id']}/sign-out", headers=bearer(tv))
    missed = [await read_frame(kept), await read_frame(kept)]

    resumed, again = await open_stream(stack, tv, **{"Last-Event-ID": ready["id"]})

    assert again["id"] == ready["id"]
    replayed = [await read_frame(resumed), await read_frame(resumed)]
    assert replayed == missed
    assert [json.loads(frame["data"])["device_id"] for frame in replayed] == [phone["device_id"], tablet["device_id"]]
    kept.close()
    resumed.close()


async def test_a_reconnect_after_token_expired_gets_what_happened_meanwhile(stack):
    stack.world.token_ttl_seconds = 0.5
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    response, _ = await open_stream(stack, tv)
    expired = await read_frame(response)
    assert expired["event"] == "token_expired"
    assert await read_frame(response) == {}

    # between the expiry and the reconnect, the page refreshes its token (the same session) and another
    # device signs out
    stack.world.token_ttl_seconds = 900.0
    refreshed = await stack.client.post("/v1/token/refresh", json={"refresh_token": tv["refresh_token"]})
    assert refreshed.status == 200, await refreshed.text()
    tv = {**tv, **(await refreshed.json())}
    signed_out = await stack.client.post(f"/v1/devices/{phone['device_id']}/sign-out", headers=bearer(tv))
    assert signed_out.status == 200

    resumed, _ = await open_stream(stack, tv, **{"Last-Event-ID": expired["id"]})
    missed = await read_frame(resumed)
    assert missed["event"] == "devices"
    assert json.loads(missed["data"]) == (await signed_out.json())["revocation"]
    assert int(missed["id"].split(".")[1]) > int(expired["id"].split(".")[1])
    resumed.close()


@pytest.mark.parametrize("last_event_id", ["0000000000000000.1", "not an id", "x" * 5000])
async def test_a_last_event_id_the_gateway_cannot_resume_from_gets_resync(stack, last_event_id):
    tokens = await stack.sign_in()
    response, _ = await open_stream(stack, tokens, **{"Last-Event-ID": last_event_id})
    resync = await read_frame(response)
    assert (resync["event"], json.loads(resync["data"])) == ("resync", {"reason": "events_missed"})
    response.close()


async def test_an_id_from_before_the_session_was_watched_again_gets_resync(stack):
    tokens = await stack.sign_in()
    first, ready = await open_stream(stack, tokens)
    first.close()
    await until(lambda: not stack.client.app[STREAMS].hubs)  # nobody watched the session meanwhile
    response, _ = await open_stream(stack, tokens, **{"Last-Event-ID": ready["id"]})
    assert (await read_frame(response))["event"] == "resync"
    response.close()


async def until(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_the_streams_of_one_session_share_one_hub_which_ends_with_the_last_of_them(stack):
    tokens = await stack.sign_in()
    hubs = stack.client.app[STREAMS].hubs
    opened = [(await open_stream(stack, tokens))[0] for _ in range(3)]
    assert len(hubs) == 1 and len(hubs[tokens["session_id"]].subscribers) == 3
    assert stack.world.stop_watches == 1  # the gateway's one, whatever the number of streams
    for response in opened:
        response.close()
    await until(lambda: not hubs)
