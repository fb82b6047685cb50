"""Session events against a fake watch: ready, keepalives, then the revocation."""

import asyncio

from gateway.domain.model import Revocation
from gateway.service_layer.events import session_events

REVOCATION = Revocation(1, "acc", "device", "remote_sign_out", "", "dev-1", None)


class FakeWatch:
    def __init__(self):
        self.release = asyncio.Event()
        self.cancelled = False

    async def revocations(self):
        await self.release.wait()
        yield REVOCATION

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
