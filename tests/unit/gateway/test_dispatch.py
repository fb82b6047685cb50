"""gateway.dispatch against a fake revocation subscription, a fake feed and a fake playback stop stream."""

from __future__ import annotations

import asyncio
import time

import pytest
from grpc import aio
from remotesignout.parental.v1 import parental_pb2

from common.revocation import Reason, Revocation, Scope
from gateway.dispatch import Dispatcher
from gateway.streams import Frame, Streams, Subscriber

ACCOUNT = "acc"


def entry(sequence: int, scope: Scope = Scope.DEVICE, device_id: str = "dev-1", session_id: str = "") -> Revocation:
    return Revocation(sequence, ACCOUNT, scope, Reason.REMOTE_SIGN_OUT, session_id, device_id, revoked_at_us=2_000)


class Feed:
    """The durable feed: its entries, and a live subscription that a test can break."""

    def __init__(self, entries: list[Revocation] | None = None) -> None:
        self.entries = list(entries or [])
        self.live: list[asyncio.Queue[Revocation | None]] = []
        self.subscriptions = 0

    async def head(self) -> int:
        return self.entries[-1].sequence if self.entries else 0

    async def entries_after(self, sequence: int):
        for found in list(self.entries):
            if found.sequence > sequence:
                yield found

    def commit(self, revocation: Revocation, *, live: bool = True) -> None:
        self.entries.append(revocation)
        if live:
            for queue in self.live:
                queue.put_nowait(revocation)

    def break_subscriptions(self) -> None:
        for queue in self.live:
            queue.put_nowait(None)

    async def subscribe(self):
        queue: asyncio.Queue[Revocation | None] = asyncio.Queue()
        self.live.append(queue)
        self.subscriptions += 1
        try:
            while (found := await queue.get()) is not None:
                yield found
        finally:
            self.live.remove(queue)


class Stops:
    """WatchPlaybackStops(all_accounts): `subscribed`, then what the test puts (None ends the stream)."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[parental_pb2.PlaybackStop | None] = asyncio.Queue()
        self.opened = 0
        self.first = True

    def __call__(self):
        self.opened += 1
        return self

    async def read(self):
        if self.first:
            self.first = False
            return parental_pb2.WatchPlaybackStopsResponse(subscribed=True)
        stop = await self.queue.get()
        if stop is None:
            self.first = True
            return aio.EOF
        return parental_pb2.WatchPlaybackStopsResponse(stop=stop)

    def cancel(self) -> bool:
        return True


def frames(subscriber: Subscriber) -> list[Frame]:
    found = []
    while not subscriber.queue.empty():
        found.append(subscriber.queue.get_nowait())
    return found


async def until(condition, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.005)


@pytest.fixture
async def world():
    streams, feed, stops = Streams(), Feed([entry(1)]), Stops()
    applied: list[Revocation] = []

    async def apply_first(revocation: Revocation) -> None:
        applied.append(revocation)

    dispatcher = Dispatcher(streams, feed.subscribe, stops, feed=feed, apply_first=apply_first)
    dispatcher.start()
    await asyncio.wait_for(dispatcher.ready.wait(), 3)
    await until(lambda: dispatcher.connected["stops"])
    yield streams, feed, stops, dispatcher, applied
    await dispatcher.close()


def open_stream(streams: Streams, session: str, device: str, created_at_us: int = 1_000) -> Subscriber:
    subscriber = streams.join(streams.hub(ACCOUNT, session, device, created_at_us), None, 3, 20)
    frames(subscriber)
    return subscriber


async def test_it_starts_at_the_feeds_head_and_revokes_the_covered_session_devices_to_the_others(world):
    streams, feed, _, dispatcher, applied = world
    assert dispatcher.sequence == 1  # what came before the start is not handed out
    tv, phone = open_stream(streams, "ses-tv", "dev-1"), open_stream(streams, "ses-phone", "dev-2")
    feed.commit(entry(2))
    await until(lambda: not phone.queue.empty())
    assert [(f.event, f.final, f.data["sequence"]) for f in frames(tv)] == [("revoked", True, 2)]
    assert [(f.event, f.final) for f in frames(phone)] == [("devices", False)]
    assert applied == [entry(2)]  # device_service applied it once, before the devices event
    assert "ses-tv" not in streams.hubs


async def test_a_session_that_signed_in_after_the_revocation_is_not_revoked(world):
    streams, feed, _, _, _ = world
    later = open_stream(streams, "ses-new", "dev-1", created_at_us=5_000)
    feed.commit(entry(2))
    await until(lambda: not later.queue.empty())
    assert [f.event for f in frames(later)] == ["devices"]


async def test_a_broken_subscription_is_caught_up_from_the_feed_then_every_stream_gets_resync(world):
    streams, feed, _, dispatcher, _ = world
    phone = open_stream(streams, "ses-phone", "dev-2")
    feed.break_subscriptions()
    await until(lambda: not dispatcher.connected["revocations"])
    feed.commit(entry(2, device_id="dev-7"), live=False)  # committed while the gateway was not listening
    await until(lambda: dispatcher.connected["revocations"])
    await until(lambda: phone.queue.qsize() >= 2)
    assert [f.event for f in frames(phone)] == ["resync", "devices"]  # devices waits for device_service's apply
    assert dispatcher.sequence == 2 and feed.subscriptions == 2


async def test_a_gap_in_the_subscription_is_filled_from_the_feed_in_order(world):
    streams, feed, _, dispatcher, _ = world
    phone = open_stream(streams, "ses-phone", "dev-2")
    feed.commit(entry(2, device_id="dev-7"), live=False)
    feed.commit(entry(3, device_id="dev-8"))
    await until(lambda: phone.queue.qsize() >= 2)
    got = frames(phone)
    assert [(f.event, f.data["sequence"]) for f in got] == [("devices", 2), ("devices", 3)]
    assert dispatcher.resyncs == 0


async def test_a_playback_stop_goes_to_that_device_only_and_a_broken_stop_stream_means_resync(world):
    streams, _, stops, dispatcher, _ = world
    tv, phone = open_stream(streams, "ses-tv", "dev-1"), open_stream(streams, "ses-phone", "dev-2")
    stops.queue.put_nowait(
        parental_pb2.PlaybackStop(account_id=ACCOUNT, device_id="dev-1", title_id="tt-1", message="Not now.")
    )
    await until(lambda: not tv.queue.empty())
    assert [f.event for f in frames(tv)] == ["playback_stopped"] and frames(phone) == []
    stops.queue.put_nowait(None)
    await until(lambda: stops.opened == 2 and dispatcher.connected["stops"])
    assert [f.event for f in frames(tv)] == ["resync"] and [f.event for f in frames(phone)] == ["resync"]


async def test_a_revocation_handed_out_while_a_token_was_checked_is_found_for_the_new_hub(world):
    streams, feed, _, dispatcher, _ = world
    mark = dispatcher.sequence
    feed.commit(entry(2))
    await until(lambda: dispatcher.sequence == 2)
    covered = streams.hub(ACCOUNT, "ses-tv", "dev-1", 1_000)
    other = streams.hub(ACCOUNT, "ses-phone", "dev-2", 1_000)
    assert dispatcher.revoked_since(mark, covered) == entry(2)
    assert dispatcher.revoked_since(mark, other) is None
    assert dispatcher.revoked_since(2, covered) is None
    dispatcher.recent.clear()
    with pytest.raises(LookupError):
        dispatcher.revoked_since(mark, covered)
