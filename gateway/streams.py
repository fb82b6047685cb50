"""The open event streams (GET /v1/events) of this gateway: limits, event ids, and resuming.

Every session with an open stream has one `Hub`: the session's claims (account,
device, when it signed in: what a revocation is checked against), its open streams
in the order they opened, and its last `BUFFER_SIZE` events. Nothing upstream is
per session: gateway.dispatch, one per process, hands each revocation and playback
stop to the hubs it concerns (`hubs_of` the account). An event is numbered once, from one
counter of this gateway process, and every stream of the session gets it with the
same `id:` ("<boot>.<number>", boot being random per process).

Limits: opening a stream beyond `max_per_session` streams of its session, or
`max_per_account` of its account, closes the oldest such stream with `event:
closed` {"reason": "too_many_streams"}.

Resuming: a stream opened with `Last-Event-ID` gets every event of its session
after that id when the hub still holds them all (the hub watched without a break
since then, and no newer event pushed it out of the buffer); otherwise `event:
resync`, which tells the client to fetch what it shows afresh. A hub whose last
stream left is dropped at once, except after a stream closed because its token
expired: the client is expected back with a new token, so the hub keeps collecting
events for `resume_seconds` and the reconnect misses nothing.

Nothing here talks to a service or to a client: gateway.dispatch and gateway.events do.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import secrets
from dataclasses import dataclass, field

from prometheus_client import Counter, Gauge

TOO_MANY_STREAMS = "too_many_streams"
BUFFER_SIZE = 32
MAX_QUEUED = 2 * BUFFER_SIZE
"""Frames one stream may have waiting: a client that stops reading gets a final resync instead of more."""
EVENT_ID = re.compile(r"([0-9a-f]{16})\.([0-9]{1,18})")

OPEN_STREAMS = Gauge("remotesignout_sse_open_streams", "Event streams open at the gateway.")
CLOSED_STREAMS = Counter(
    "remotesignout_sse_streams_closed",
    "Event streams the gateway closed itself, by reason (too_many_streams, token_expired).",
    ["reason"],
)


@dataclass(frozen=True)
class Frame:
    """One thing to send on a stream: an event and its JSON data. `number` is the event's place in its session's
    events (None for what concerns one stream only: its id is that of the last event it was sent). `final` ends
    the stream; `event` "" sends nothing (the upstream broke: the stream just ends)."""

    event: str
    data: object = None
    number: int | None = None
    final: bool = False


END = Frame("", final=True)


class Mailbox:
    """One stream's frames waiting to be written: asyncio.Queue's few calls used here, at a fraction of its size
    (a list, and a future only while the writer waits), since a gateway holds one per open stream."""

    __slots__ = ("_frames", "_waiter")

    def __init__(self) -> None:
        self._frames: list[Frame] = []
        self._waiter: asyncio.Future[None] | None = None

    def put_nowait(self, frame: Frame) -> None:
        self._frames.append(frame)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def get_nowait(self) -> Frame:
        if not self._frames:
            raise asyncio.QueueEmpty
        return self._frames.pop(0)

    def empty(self) -> bool:
        return not self._frames

    def qsize(self) -> int:
        return len(self._frames)

    async def get(self, timeout: float) -> Frame:
        """The next frame, waiting at most `timeout` seconds (TimeoutError)."""
        if not self._frames:
            loop = asyncio.get_running_loop()
            waiter = self._waiter = loop.create_future()
            timer = loop.call_later(timeout, _expire, waiter)
            try:
                await waiter
            finally:
                timer.cancel()
                self._waiter = None
        return self.get_nowait()


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


@dataclass(eq=False, slots=True)
class Subscriber:
    """One open stream: the frames waiting to be written, and the number of the last event it was given."""

    account_id: str
    hub: Hub
    position: int
    queue: Mailbox = field(default_factory=Mailbox)
    attached: bool = True
    overflowed: bool = False


@dataclass(eq=False, slots=True)
class Hub:
    """One session's claims, open streams and recent events."""

    session_id: str
    account_id: str
    device_id: str
    created_at_us: int
    """When the session signed in (the token's `sat`): a revocation reaches only sessions older than itself."""
    floor: int
    """Every event of this hub numbered above `floor` is in `log`."""
    last: int
    log: list[tuple[int, Frame]] = field(default_factory=list)
    """At most BUFFER_SIZE, oldest first (a list: empty, it costs a fraction of a deque's first block)."""
    subscribers: list[Subscriber] = field(default_factory=list)
    linger: asyncio.TimerHandle | None = None
    ended: bool = False


class Streams:
    """Every open stream and hub of this gateway process (one event loop)."""

    def __init__(self) -> None:
        self.boot = secrets.token_hex(8)
        self.numbers = itertools.count(1)
        self.last_number = 0
        """The number last given to an event or a new hub."""
        self.hubs: dict[str, Hub] = {}
        self.account_hubs: dict[str, dict[str, Hub]] = {}
        self.by_account: dict[str, list[Subscriber]] = {}

    def event_id(self, number: int) -> str:
        return f"{self.boot}.{number}"

    def _next(self) -> int:
        self.last_number = next(self.numbers)
        return self.last_number

    def hub(self, account_id: str, session_id: str, device_id: str = "", created_at_us: int = 0) -> Hub:
        """The session's hub, new if it has none. A new hub takes a number of its own, so that no id given out
        before it started watching can resume it."""
        found = self.hubs.get(session_id)
        if found is None:
            start = self._next()
            found = self.hubs[session_id] = Hub(session_id, account_id, device_id, created_at_us, start, start)
            self.account_hubs.setdefault(account_id, {})[session_id] = found
        return found

    def hubs_of(self, account_id: str) -> list[Hub]:
        """The account's hubs (sessions with a stream open, or lingering after one)."""
        return list(self.account_hubs.get(account_id, {}).values())

    def _forget(self, hub: Hub) -> None:
        if self.hubs.get(hub.session_id) is hub:
            del self.hubs[hub.session_id]
            account = self.account_hubs[hub.account_id]
            del account[hub.session_id]
            if not account:
                del self.account_hubs[hub.account_id]

    def _resume_point(self, hub: Hub, last_event_id: str | None) -> int | None:
        """The number after which `hub` holds every event, if `last_event_id` names such a point."""
        matched = EVENT_ID.fullmatch(last_event_id or "")
        if matched is None or matched[1] != self.boot:
            return None
        number = int(matched[2])
        return number if hub.floor <= number <= hub.last else None

    def join(self, hub: Hub, last_event_id: str | None, max_per_session: int, max_per_account: int) -> Subscriber:
        """A new stream of `hub`'s session, its first frames queued (ready, then what it missed or resync); the
        oldest streams beyond the limits are closed."""
        if hub.linger is not None:
            hub.linger.cancel()
            hub.linger = None
        resumed = self._resume_point(hub, last_event_id)
        subscriber = Subscriber(hub.account_id, hub, hub.last if resumed is None else resumed)
        subscriber.queue.put_nowait(Frame("ready", {}))
        if resumed is not None:
            for number, frame in hub.log:
                if number > resumed:
                    subscriber.queue.put_nowait(frame)
        elif last_event_id is not None:
            subscriber.queue.put_nowait(Frame("resync", {"reason": "events_missed"}))
        hub.subscribers.append(subscriber)
        account = self.by_account.setdefault(hub.account_id, [])
        account.append(subscriber)
        OPEN_STREAMS.inc()
        while len(hub.subscribers) > max_per_session:
            self.close(hub.subscribers[0], TOO_MANY_STREAMS)
        while len(account) > max_per_account:
            self.close(account[0], TOO_MANY_STREAMS)
        return subscriber

    def close(self, subscriber: Subscriber, reason: str) -> None:
        """End one stream with `event: closed` and its reason."""
        CLOSED_STREAMS.labels(reason).inc()
        subscriber.queue.put_nowait(Frame("closed", {"reason": reason}, final=True))
        self.leave(subscriber)

    def leave(self, subscriber: Subscriber, linger_seconds: float = 0.0) -> None:
        """The stream is done (or about to be); its hub stops watching once it has no stream left, after
        `linger_seconds`. Leaving twice changes nothing."""
        if not subscriber.attached:
            return
        subscriber.attached = False
        OPEN_STREAMS.dec()
        hub = subscriber.hub
        hub.subscribers.remove(subscriber)
        account = self.by_account[subscriber.account_id]
        account.remove(subscriber)
        if not account:
            del self.by_account[subscriber.account_id]
        if hub.subscribers or hub.ended:
            return
        if linger_seconds > 0:
            hub.linger = asyncio.get_running_loop().call_later(linger_seconds, self._retire, hub)
        else:
            self._retire(hub)

    def discard(self, hub: Hub) -> None:
        """Forget a hub that got no stream after all (its session turned out revoked)."""
        if not hub.subscribers and hub.linger is None:
            self._forget(hub)

    def _retire(self, hub: Hub) -> None:
        """Forget a hub with no stream: nothing is collected for the session any more."""
        hub.linger = None
        if hub.subscribers:
            return
        self._forget(hub)

    def publish(self, hub: Hub, event: str, data: object, *, final: bool = False) -> None:
        """A new event of the session, numbered, kept in the hub's buffer and queued for each of its streams. A final
        one (the session's revocation) ends the hub."""
        number = self._next()
        frame = Frame(event, data, number, final)
        if len(hub.log) == BUFFER_SIZE:
            hub.floor = hub.log.pop(0)[0]
        hub.log.append((number, frame))
        hub.last = number
        for subscriber in hub.subscribers:
            if subscriber.overflowed:
                continue
            if subscriber.queue.qsize() >= MAX_QUEUED:  # it stopped reading: end it, it resumes or resyncs
                subscriber.overflowed = True
                subscriber.queue.put_nowait(Frame("resync", {"reason": "too_slow"}, final=True))
                continue
            subscriber.queue.put_nowait(frame)
        if final:
            self._end(hub)

    def end(self, hub: Hub) -> None:
        """Every stream of the hub ends (the client reconnects), and the hub is forgotten."""
        for subscriber in hub.subscribers:
            subscriber.queue.put_nowait(END)
        self._end(hub)

    def _end(self, hub: Hub) -> None:
        hub.ended = True
        if hub.linger is not None:
            hub.linger.cancel()
            hub.linger = None
        self._forget(hub)

    def close_all(self) -> None:
        """On shutdown: end every stream."""
        for hub in list(self.hubs.values()):
            self.end(hub)

    def open_streams(self, account_id: str) -> int:
        return len(self.by_account.get(account_id, ()))
