"""Session events against fake watches: ready, keepalives, device changes, stops, then the revocation."""

import asyncio

from gateway.domain.model import Revocation
from gateway.domain.parental import PlaybackStop
from gateway.service_layer.events import session_events

REVOCATION = Revocation(1, "acc", "device", "remote_sign_out", "", "dev-1", None)
OTHERS = Revocation(2, "acc", "device", "remote_sign_out", "", "dev-2", None)


class FakeWatch:
    def __init__(self, before=()):
        self.release = asyncio.Event()
        self.cancelled = False
        self.before = before

    async def revocations(self):
        for revocation in self.before:
            yield False, revocation
        await self.release.wait()
        yield True, REVOCATION

    def cancel(self):
        self.cancelled = True


class FakeStops:
    def __init__(self, stops):
        self.pending = list(stops)
        self.cancelled = False

    async def stops(self):
        for stop in self.pending:
            yield stop
        await asyncio.Event().wait()

    def cancel(self):
        self.cancelled = True


async def test_events_say_ready_then_keep_alive_until_the_revocation_and_cancel_the_watch():
    watch = FakeWatch()
    kinds = []
    async for event in session_events(watch, keepalive_seconds=0.01):
        kinds.append(event.kind)
        if kinds.count("keepalive") == 2:
            watch.release.set()
        if event.kind == "revoked":
            assert event.revocation == REVOCATION
    assert kinds[0] == "ready"
    assert kinds[-1] == "revoked"
    assert kinds.count("keepalive") >= 2
    assert watch.cancelled


async def test_stopping_early_cancels_the_watch():
    watch = FakeWatch()
    stream = session_events(watch, keepalive_seconds=60)
    assert (await anext(stream)).kind == "ready"
    await stream.aclose()
    assert watch.cancelled


async def test_a_revocation_of_other_sessions_is_a_devices_event_and_the_stream_goes_on():
    watch = FakeWatch(before=[OTHERS])
    stream = session_events(watch, keepalive_seconds=60)
    assert (await anext(stream)).kind == "ready"
    devices = await anext(stream)
    assert (devices.kind, devices.revocation) == ("devices", OTHERS)
    watch.release.set()
    assert (await anext(stream)).kind == "revoked"
    assert [event async for event in stream] == []


async def test_only_the_callers_devices_playback_stops_are_relayed_and_both_streams_are_cancelled():
    mine = PlaybackStop("dev-1", "pro-1", "tt-1", "maturity", "Not for this profile.")
    theirs = PlaybackStop("dev-9", "pro-1", "tt-2", "maturity", "Not for this profile.")
    watch, stops = FakeWatch(), FakeStops([theirs, mine])
    stream = session_events(watch, keepalive_seconds=60, stops=stops, device_id="dev-1")
    assert (await anext(stream)).kind == "ready"
    event = await anext(stream)
    assert (event.kind, event.stop) == ("playback_stopped", mine)
    await stream.aclose()
    assert watch.cancelled and stops.cancelled


async def test_another_sessions_revocation_is_applied_to_the_device_list_before_its_event_goes_out():
    watch = FakeWatch(before=[OTHERS])
    applied: list[Revocation] = []
    seen_applied_at_event: list[list[Revocation]] = []

    async def apply_first(revocation: Revocation) -> bool:
        applied.append(revocation)
        return True

    async for event in session_events(watch, keepalive_seconds=5, apply_first=apply_first):
        if event.kind == "devices":
            seen_applied_at_event.append(list(applied))
            watch.release.set()
        if event.kind == "revoked":
            break
    assert seen_applied_at_event == [[OTHERS]]
    assert applied == [OTHERS]  # the session's own revocation is not applied by the event stream


async def test_a_failing_apply_still_relays_the_devices_event():
    watch = FakeWatch(before=[OTHERS])

    async def apply_first(revocation: Revocation) -> bool:
        raise ConnectionError("device_service is down")

    kinds = []
    async for event in session_events(watch, keepalive_seconds=5, apply_first=apply_first):
        kinds.append(event.kind)
        if event.kind == "devices":
            watch.release.set()
        if event.kind == "revoked":
            break
    assert kinds == ["ready", "devices", "revoked"]
