"""A little of every kind of traffic, so that every dashboard panel has something to show.

Used by tests/e2e/test_dashboards.py and tools/dashboard_charts.py against a running suite: sign-ins,
sign-outs of each scope (session, device, all, all_others), reads, caller mistakes (401, 404 on a route
and on an unknown path, 422), a sign-in throttled after wrong passwords, and an event stream held open
until its session is signed out.

    drive(gateway_url, rounds=3)
"""

from __future__ import annotations

import threading
import urllib.request
import uuid
from dataclasses import dataclass, field

from tools.json_http import call

PASSWORD = "traffic-password-1"
WRONG_PASSWORDS = 7
"""More than the sign-in throttle allows one account (SIGN_IN_THROTTLE_AFTER, 5): the last are throttled."""


@dataclass
class Counts:
    """What `drive` did, by kind (for the caller's report), and every unexpected answer."""

    done: dict[str, int] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)

    def expect(self, kind: str, status: int, *wanted: int) -> None:
        self.done[kind] = self.done.get(kind, 0) + 1
        if status not in wanted:
            self.unexpected.append(f"{kind}: HTTP {status}, wanted {wanted}")


def _sign_in(base: str, email: str, device: str, counts: Counts) -> dict[str, str]:
    reply = call(
        base,
        "POST",
        "/v1/sign-in",
        {"email": email, "password": PASSWORD, "device": {"client_id": device, "name": device, "type": "tv"}},
    )
    counts.expect("sign-in", reply.status, 200)
    return dict(reply.body) if reply.status == 200 else {"access_token": "", "device_id": ""}


def hold_event_stream(base: str, token: str, opened: threading.Event, timeout: float = 15.0) -> None:
    """Read GET /v1/events until the gateway ends it (the session's sign-out sends `revoked`, then closes) or
    nothing comes for `timeout` seconds; `opened` is set once the stream is open (or failed)."""
    request = urllib.request.Request(base + "/v1/events", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as stream:
            opened.set()
            while stream.readline():
                pass
    except OSError:
        pass
    finally:
        opened.set()


def drive(base: str, rounds: int = 3, wrong_passwords: bool = True) -> Counts:
    """Run `rounds` rounds of traffic through the gateway at `base`, then (with `wrong_passwords`) guess one
    new account's password until the sign-in throttle refuses; every account is new (a random name)."""
    counts = Counts()
    email = f"traffic-{uuid.uuid4().hex[:8]}@example.com"
    counts.expect(
        "create account", call(base, "POST", "/v1/accounts", {"email": email, "password": PASSWORD}).status, 201
    )
    for round_ in range(rounds):
        phone, tv, laptop = (_sign_in(base, email, f"{name}-{round_}", counts) for name in ("phone", "tv", "laptop"))
        counts.expect("devices", call(base, "GET", "/v1/devices", token=phone["access_token"]).status, 200)
        counts.expect("session", call(base, "GET", "/v1/session", token=tv["access_token"]).status, 200)
        opened = threading.Event()
        watcher = threading.Thread(target=hold_event_stream, args=(base, laptop["access_token"], opened), daemon=True)
        watcher.start()
        opened.wait(5)
        device_path = f"/v1/devices/{tv['device_id']}/sign-out"
        counts.expect("sign-out device", call(base, "POST", device_path, token=phone["access_token"]).status, 200)
        counts.expect("sign-out session", call(base, "POST", "/v1/sign-out", token=laptop["access_token"]).status, 200)
        watcher.join(10)
        others = {"include_current": False}
        counts.expect(
            "sign-out others", call(base, "POST", "/v1/sign-out-all", others, phone["access_token"]).status, 200
        )
        counts.expect("revoked token", call(base, "GET", "/v1/session", token=tv["access_token"]).status, 401)
        again = _sign_in(base, email, f"phone-{round_}", counts)
        every = {"include_current": True}
        counts.expect("sign-out all", call(base, "POST", "/v1/sign-out-all", every, again["access_token"]).status, 200)
        # Caller mistakes: the system working, never a server error.
        probe = _sign_in(base, email, f"probe-{round_}", counts)
        counts.expect("no token", call(base, "GET", "/v1/devices").status, 401)
        missing = f"/v1/devices/{uuid.uuid4().hex}"
        counts.expect("unknown device", call(base, "GET", missing, token=probe["access_token"]).status, 404)
        counts.expect("unknown path", call(base, "GET", f"/v1/no-such-thing-{round_}").status, 404)
        counts.expect("bad body", call(base, "POST", "/v1/sign-in", {"email": email}).status, 422)
    if not wrong_passwords:
        return counts
    victim = f"throttled-{uuid.uuid4().hex[:8]}@example.com"
    counts.expect(
        "create account", call(base, "POST", "/v1/accounts", {"email": victim, "password": PASSWORD}).status, 201
    )
    for attempt in range(WRONG_PASSWORDS):
        device = {"client_id": f"guess-{attempt}", "name": "Guess", "type": "phone"}
        wrong = {"email": victim, "password": "not-the-password", "device": device}
        counts.expect("wrong password", call(base, "POST", "/v1/sign-in", wrong).status, 401, 429)
    return counts
