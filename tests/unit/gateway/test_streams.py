"""gateway.streams on its own: limits, event numbers, the resume buffer, and when a session stops being watched."""

from __future__ import annotations

import asyncio

import pytest

from gateway.config import Settings
from gateway.streams import BUFFER_SIZE, MAX_QUEUED, Frame, Streams, Subscriber


def frames(subscriber: Subscriber) -> list[Frame]:
    found = []
    while not subscriber.queue.empty():
        found.append(subscriber.queue.get_nowait())
    return found


def watched(streams: Streams, account: str, session: str):
    """The session's hub (forgotten when retired: nothing is collected for it any more)."""
    return streams.hub(account, session, f"device-of-{session}", 0)


def retired(streams: Streams, hub) -> bool:
    return streams.hubs.get(hub.session_id) is not hub and hub not in streams.hubs_of(hub.account_id)


async def test_a_stream_beyond_the_sessions_limit_closes_the_sessions_oldest():
    streams = Streams()
    hub = watched(streams, "acc", "ses")
    opened = [streams.join(hub, None, 3, 20) for _ in range(4)]
    assert [f.event for f in frames(opened[0])] == ["ready", "closed"]
    assert frames(opened[0]) == [] and not opened[0].attached
    assert [[f.event for f in frames(s)] for s in opened[1:]] == [["ready"]] * 3
    assert hub.subscribers == opened[1:] and streams.open_streams("acc") == 3
    assert not retired(streams, hub)


async def test_a_stream_beyond_the_accounts_limit_closes_the_accounts_oldest_and_its_idle_hub_stops_watching():
    streams = Streams()
    hubs = [watched(streams, "acc", f"ses-{n}") for n in range(3)]
    other = streams.join(watched(streams, "other", "ses-x"), None, 3, 2)
    first, second = streams.join(hubs[0], None, 3, 2), streams.join(hubs[1], None, 3, 2)
    third = streams.join(hubs[2], None, 3, 2)
    assert frames(first)[-1] == Frame("closed", {"reason": "too_many_streams"}, final=True)
    assert [f.event for f in frames(second)] == ["ready"] and second.attached and third.attached and other.attached
    assert "ses-0" not in streams.hubs
    assert retired(streams, hubs[0]) and [h.session_id for h in streams.hubs_of("acc")] == ["ses-1", "ses-2"]


async def test_events_are_numbered_once_and_queued_for_every_stream_of_the_session_only():
    streams = Streams()
    hub, elsewhere = watched(streams, "acc", "ses"), watched(streams, "acc", "ses-2")
    a, b, c = streams.join(hub, None, 3, 20), streams.join(hub, None, 3, 20), streams.join(elsewhere, None, 3, 20)
    for s in (a, b, c):
        frames(s)
    streams.publish(hub, "devices", {"sequence": 1})
    streams.publish(hub, "devices", {"sequence": 2})
    got_a, got_b = frames(a), frames(b)
    assert got_a == got_b and [f.data for f in got_a] == [{"sequence": 1}, {"sequence": 2}]
    assert got_a[0].number is not None and got_a[1].number == got_a[0].number + 1
    assert frames(c) == []
    assert streams.event_id(got_a[0].number) == f"{streams.boot}.{got_a[0].number}"


async def test_resuming_replays_what_came_after_the_id_and_anything_else_is_resync():
    streams = Streams()
    hub = watched(streams, "acc", "ses")
    keeper = streams.join(hub, None, 3, 20)
    start = keeper.position
    streams.publish(hub, "devices", {"n": 1})
    streams.publish(hub, "playback_stopped", {"n": 2})
    second = hub.last

    replay = streams.join(hub, streams.event_id(start), 3, 20)
    assert [(f.event, f.data) for f in frames(replay)] == [
        ("ready", {}),
        ("devices", {"n": 1}),
        ("playback_stopped", {"n": 2}),
    ]
    assert replay.position == start
    assert [f.event for f in frames(streams.join(hub, streams.event_id(second), 3, 20))] == ["ready"]
    for unusable in (
        f"{streams.boot}.{second + 5}",  # not given out yet
        f"{streams.boot}.{start - 1}",  # before this session was watched
        f"{'0' * 16}.{start}",  # another gateway process
        "",
        "garbage",
    ):
        subscriber = streams.join(hub, unusable, 30, 30)
        assert [f.event for f in frames(subscriber)] == ["ready", "resync"], unusable
        assert subscriber.position == hub.last


async def test_an_id_pushed_out_of_the_buffer_cannot_be_resumed():
    streams = Streams()
    hub = watched(streams, "acc", "ses")
    streams.join(hub, None, 3, 20)
    streams.publish(hub, "devices", {"n": 0})
    oldest = hub.last
    for n in range(BUFFER_SIZE):
        streams.publish(hub, "devices", {"n": n + 1})
    assert [f.event for f in frames(streams.join(hub, streams.event_id(oldest - 1), 30, 30))] == ["ready", "resync"]
    resumed = frames(streams.join(hub, streams.event_id(oldest), 30, 30))
    assert len(resumed) == 1 + BUFFER_SIZE and resumed[1].data == {"n": 1}


async def test_the_last_stream_leaving_stops_the_watch_at_once_or_after_the_linger():
    streams = Streams()
    hub = watched(streams, "acc", "ses")
    streams.leave(streams.join(hub, None, 3, 20))
    await asyncio.sleep(0)
    assert retired(streams, hub)

    lingering = watched(streams, "acc", "ses")
    streams.leave(streams.join(lingering, None, 3, 20), linger_seconds=0.05)
    assert streams.hub("acc", "ses") is lingering  # still watching: a reconnect finds it
    back = streams.join(lingering, None, 3, 20)
    await asyncio.sleep(0.1)
    assert not retired(streams, lingering)
    streams.leave(back, linger_seconds=0.05)
    await asyncio.sleep(0.1)
    assert retired(streams, lingering)


async def test_the_sessions_revocation_ends_the_hub_and_a_broken_upstream_ends_every_stream():
    streams = Streams()
    hub = watched(streams, "acc", "ses")
    subscriber = streams.join(hub, None, 3, 20)
    streams.publish(hub, "revoked", {"sequence": 9}, final=True)
    assert frames(subscriber)[-1].final and hub.ended and retired(streams, hub)
    streams.leave(subscriber)
    assert streams.open_streams("acc") == 0

    broken = watched(streams, "acc", "ses")
    a = streams.join(broken, None, 3, 20)
    streams.end(broken)
    assert frames(a)[-1] == Frame("", final=True) and "ses" not in streams.hubs


def test_the_limits_are_settings_with_the_readmes_defaults(monkeypatch):
    monkeypatch.setenv("GATEWAY_DEMO_MODE", "1")
    settings = Settings.from_env()
    assert (settings.sse_max_streams_per_session, settings.sse_max_streams_per_account) == (3, 20)
    assert settings.sse_resume_seconds == 30.0
    monkeypatch.setenv("SSE_MAX_STREAMS_PER_SESSION", "5")
    monkeypatch.setenv("SSE_MAX_STREAMS_PER_ACCOUNT", "50")
    monkeypatch.setenv("SSE_RESUME_SECONDS", "0")
    settings = Settings.from_env()
    assert (settings.sse_max_streams_per_session, settings.sse_max_streams_per_account) == (5, 50)
    assert settings.sse_resume_seconds == 0
    monkeypatch.setenv("SSE_MAX_STREAMS_PER_SESSION", "0")
    with pytest.raises(SystemExit, match=r"^SSE_MAX_STREAMS_PER_SESSION: "):
        Settings.from_env()


async def test_a_stream_that_stops_reading_gets_a_final_resync_instead_of_an_endless_queue():
    streams = Streams()
    hub = watched(streams, "acc", "ses")
    slow, reading = streams.join(hub, None, 3, 20), streams.join(hub, None, 3, 20)
    for n in range(MAX_QUEUED * 3):
        streams.publish(hub, "devices", {"sequence": n})
        frames(reading)
    queued = frames(slow)
    assert len(queued) <= MAX_QUEUED + 1
    assert queued[-1] == Frame("resync", {"reason": "too_slow"}, final=True)
