import asyncio
import json
import time

from remotesignout.parental.v1 import parental_pb2

from gateway.events import STREAMS
from tests.integration.gateway.conftest import bearer


async def read_event(response) -> tuple[str, str]:
    """The next `event:` frame's name and data, skipping keepalive comments."""
    name, data = "", ""
    while True:
        line = (await response.content.readline()).decode()
        assert line, "the stream ended"
        line = line.rstrip("\n")
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            data = line.removeprefix("data: ")
        elif line == "" and name:
            return name, data


async def test_the_event_stream_says_ready_then_relays_the_revocation_and_closes(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    async with stack.client.get("/v1/events", headers=bearer(tv)) as events:
        assert events.status == 200
        assert events.headers["Content-Type"].startswith("text/event-stream")
        assert await read_event(events) == ("ready", "{}")
        signed_out = await stack.client.post(f"/v1/devices/{tv['device_id']}/sign-out", headers=bearer(phone))
        assert signed_out.status == 200
        name, data = await read_event(events)
        assert name == "revoked"
        revocation = json.loads(data)
        assert revocation == (await signed_out.json())["revocation"]
        assert await events.content.read() == b""


async def test_the_event_stream_with_a_bad_token_is_401_json_before_any_stream(stack):
    response = await stack.client.get("/v1/events", headers={"Authorization": "Bearer nope"})
    assert response.status == 401
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert (await response.json())["error"]["code"] == "unauthenticated"  # not a token at all


async def test_the_event_stream_of_a_revoked_session_is_401(stack):
    tokens = await stack.sign_in()
    await stack.client.post("/v1/sign-out", headers=bearer(tokens))
    response = await stack.client.get("/v1/events", headers=bearer(tokens))
    assert response.status == 401


async def test_a_client_going_away_forgets_its_hub_and_no_stream_opens_a_grpc_stream_of_its_own(stack):
    tokens = await stack.sign_in()
    hubs = stack.client.app[STREAMS].hubs
    events = await stack.client.get("/v1/events", headers=bearer(tokens))
    assert await read_event(events) == ("ready", "{}")
    assert list(hubs) == [tokens["session_id"]]
    events.close()
    await until(lambda: not hubs)
    assert "auth.WatchSession" not in stack.world.calls
    assert [r.all_accounts for r in stack.world.requests["parental.WatchPlaybackStops"]] == [True]


async def until(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_a_revocation_of_another_device_is_a_devices_event_and_the_stream_stays_open(stack):
    tv = await stack.sign_in(client_id="tv-1")
    phone = await stack.sign_in(client_id="phone-1")
    async with stack.client.get("/v1/events", headers=bearer(tv)) as events:
        assert await read_event(events) == ("ready", "{}")
        signed_out = await stack.client.post(f"/v1/devices/{phone['device_id']}/sign-out", headers=bearer(tv))
        name, data = await read_event(events)
        assert (name, json.loads(data)) == ("devices", (await signed_out.json())["revocation"])
        await stack.client.post("/v1/sign-out", headers=bearer(tv))
        name, _ = await read_event(events)
        assert name == "revoked"


async def test_only_the_callers_devices_playback_stops_are_relayed(stack):
    tv = await stack.sign_in(client_id="tv-1")
    account_id = stack.world.accounts["ada@example.com"][0]
    async with stack.client.get("/v1/events", headers=bearer(tv)) as events:
        assert await read_event(events) == ("ready", "{}")
        await asyncio.wait_for(stack.world.stops_watching.wait(), timeout=5)
        for device_id, title_id in (("dev-other", "tt-other"), (tv["device_id"], "tt-mine")):
            stack.world.stops.put_nowait(
                parental_pb2.PlaybackStop(
                    account_id=account_id,
                    device_id=device_id,
                    profile_id="pro-1",
                    title_id=title_id,
                    reason=parental_pb2.DENY_REASON_MATURITY,
                    message="Not for this profile.",
                )
            )
        name, data = await read_event(events)
        assert (name, json.loads(data)) == (
            "playback_stopped",
            {"title_id": "tt-mine", "reason": "maturity", "message": "Not for this profile."},
        )
    assert [r.all_accounts for r in stack.world.requests["parental.WatchPlaybackStops"]] == [True]


async def test_a_broken_playback_stop_stream_is_reopened_and_every_open_stream_gets_resync(stack):
    tv = await stack.sign_in(client_id="tv-1")
    async with stack.client.get("/v1/events", headers=bearer(tv)) as events:
        assert await read_event(events) == ("ready", "{}")
        await asyncio.wait_for(stack.world.stops_watching.wait(), timeout=5)
        stack.world.stops_watching.clear()
        stack.world.stops.put_nowait(None)  # the fake ends its stream
        await asyncio.wait_for(stack.world.stops_watching.wait(), timeout=5)
        name, data = await asyncio.wait_for(read_event(events), timeout=5)
        assert (name, json.loads(data)) == ("resync", {"reason": "events_missed"})
        phone = await stack.sign_in(client_id="phone-1")
        await stack.client.post(f"/v1/devices/{phone['device_id']}/sign-out", headers=bearer(tv))
        assert (await read_event(events))[0] == "devices"  # the stream went on
    assert len(stack.world.requests["parental.WatchPlaybackStops"]) == 2


async def test_the_gateway_holds_one_stop_stream_and_reads_the_feed_whatever_the_number_of_streams(stack):
    sessions = [await stack.sign_in(client_id=f"device-{n}") for n in range(4)]
    opened = [await stack.client.get("/v1/events", headers=bearer(tokens)) for tokens in sessions]
    for response in opened:
        assert await read_event(response) == ("ready", "{}")
    assert stack.world.stop_watches == 1 and "auth.WatchSession" not in stack.world.calls
    await stack.client.post("/v1/sign-out-all", headers=bearer(sessions[0]), json={"include_current": True})
    for response in opened:
        assert (await read_event(response))[0] == "revoked"
    for response in opened:
        response.close()
