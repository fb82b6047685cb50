"""Session events against fake gRPC streams: ready, keepalives, device changes, stops, then the revocation."""

import asyncio

from grpc import aio
from remotesignout.auth.v1 import auth_pb2
from remotesignout.parental.v1 import parental_pb2

from common import revocation_proto
from common.revocation import Reason, Revocation, Scope
from gateway.events import session_events

REVOCATION = Revocation(1, "acc", Scope.DEVICE, Reason.REMOTE_SIGN_OUT, "", "dev-1")
OTHERS = Revocation(2, "acc", Scope.DEVICE, Reason.REMOTE_SIGN_OUT, "", "dev-2")


class FakeWatch:
    """WatchSession after `subscribed`: other sessions' revocations, then (once released) this session's."""

    def __init__(self, before=()):
        self.release = asyncio.Event()
        self.cancelled = False
        self.messages = [auth_pb2.WatchSessionResponse(account_revocation=revocation_proto.to_proto(r)) for r in before]
        self.done = False

    async def read(self):
        if self.messages:
            return self.messages.pop(0)
        if self.done:
            return aio.EOF
        await self.release.wait()
        self.done = True
        return auth_pb2.WatchSessionResponse(revocation=revocation_proto.to_proto(REVOCATION))

    def cancel(self):
        self.cancelled = True
        return True


class FakeStops:
    def __init__(self, stops):
        self.pending = [parental_pb2.WatchPlaybackStopsResponse(stop=stop) for stop in stops]
        self.cancelled = False

    async def read(self):
        if self.pending:
            return self.pending.pop(0)
        await asyncio.Event().wait()

    def cancel(self):
        self.cancelled = True
        return True


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
    mine = parental_pb2.PlaybackStop(
        device_id="dev-1",
        profile_id="pro-1",
        title_id="tt-1",
        reason=parental_pb2.DENY_REASON_MATURITY,
        message="Not for this profile.",
    )
    theirs = parental_pb2.PlaybackStop(
        device_id="dev-9",
        profile_id="pro-1",
        title_id="tt-2",
        reason=parental_pb2.DENY_REASON_MATURITY,
        message="Not for this profile.",
    )
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
