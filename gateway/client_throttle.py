"""Client-secret guessing at /oauth2/* is throttled, in this process, by two sliding windows.

- Per source address: at most GATEWAY_CLIENT_AUTH_FAILURES_PER_ADDRESS (20) failed client
  authentications in GATEWAY_CLIENT_AUTH_WINDOW_SECONDS (60); then every client
  authentication from that address, right or wrong, is 429 until the oldest failure
  leaves the window (Retry-After says when).
- Per client id (of GATEWAY_OAUTH_CLIENTS): at most GATEWAY_CLIENT_AUTH_FAILURES_PER_CLIENT
  (60) failures in the same window, from anywhere, against guessing from many addresses.
  It never locks the client itself out: an address where that client authenticated
  successfully in the last 24 hours is exempt from its client's window (not from its own).

While a window is full nothing is checked, so a throttled guess learns nothing. Each
window keeps at most MAX_KEYS addresses (the least recently failing are forgotten). One
gateway process, one memory: several replicas would each count their own.
"""

from __future__ import annotations

import collections
import math
import time
from collections.abc import Callable, Mapping

from aiohttp import web

from gateway.auth import authenticate_client, claimed_client_id
from gateway.config import OAuthClients, Settings
from gateway.edge import source_network
from gateway.errors import OAuthError

MAX_KEYS = 10_000
KNOWN_SECONDS = 24 * 3600


class SlidingWindow:
    """At most `limit` events per `window` seconds per key."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float], max_keys: int = MAX_KEYS) -> None:
        self.limit, self.window, self.clock, self.max_keys = limit, window, clock, max_keys
        self._events: collections.OrderedDict[str, collections.deque[float]] = collections.OrderedDict()

    def _live(self, key: str) -> collections.deque[float] | None:
        events = self._events.get(key)
        if events is None:
            return None
        horizon = self.clock() - self.window
        while events and events[0] <= horizon:
            events.popleft()
        if not events:
            del self._events[key]
            return None
        return events

    def wait_seconds(self, key: str) -> float:
        """0 while `key` may go on; else how long until its oldest event leaves the window."""
        events = self._live(key)
        if events is None or len(events) < self.limit:
            return 0.0
        return max(events[0] + self.window - self.clock(), 0.0)

    def add(self, key: str) -> None:
        events = self._live(key)
        if events is None:
            events = self._events[key] = collections.deque()
        events.append(self.clock())
        self._events.move_to_end(key)
        while len(events) > self.limit:
            events.popleft()
        while len(self._events) > self.max_keys:
            self._events.popitem(last=False)


class ClientAuthThrottle:
    """The two windows, and the addresses each client authenticated from."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        window = settings.client_auth_window_seconds
        self.clock = clock
        self.by_address = SlidingWindow(settings.client_auth_failures_per_address, window, clock)
        self.by_client = SlidingWindow(settings.client_auth_failures_per_client, window, clock)
        self.clients = frozenset(client_id for client_id, _ in settings.oauth_clients)
        self._known: collections.OrderedDict[tuple[str, str], float] = collections.OrderedDict()

    def _known_at(self, client_id: str, address: str) -> bool:
        seen = self._known.get((client_id, address))
        return seen is not None and self.clock() - seen < KNOWN_SECONDS

    def check(self, client_id: str, address: str) -> None:
        """OAuthError slow_down (429, Retry-After) while a window of this address or client is full."""
        wait = self.by_address.wait_seconds(source_network(address))
        if client_id in self.clients and not self._known_at(client_id, address):
            wait = max(wait, self.by_client.wait_seconds(client_id))
        if wait > 0:
            seconds = max(math.ceil(wait), 1)
            raise OAuthError(
                "slow_down",
                f"Too many failed client authentications. Try again in {seconds} seconds.",
                429,
                headers={"Retry-After": str(seconds)},
            )

    def failed(self, client_id: str, address: str) -> None:
        self.by_address.add(source_network(address))
        if client_id in self.clients:
            self.by_client.add(client_id)

    def succeeded(self, client_id: str, address: str) -> None:
        self._known[(client_id, address)] = self.clock()
        self._known.move_to_end((client_id, address))
        while len(self._known) > MAX_KEYS:
            self._known.popitem(last=False)

    def authenticate(
        self, clients: OAuthClients, authorization: str | None, form: Mapping[str, str], address: str
    ) -> str:
        """gateway.auth.authenticate_client, throttled: the client's id, invalid_client or slow_down."""
        claimed = claimed_client_id(authorization, form)
        self.check(claimed, address)
        try:
            client_id = authenticate_client(clients, authorization, form)
        except OAuthError as error:
            if error.reason == "invalid_client":
                self.failed(claimed, address)
            raise
        self.succeeded(client_id, address)
        return client_id


CLIENT_THROTTLE = web.AppKey("client_throttle", ClientAuthThrottle)
