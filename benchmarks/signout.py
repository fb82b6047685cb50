"""Benchmark 2: sign-out-all end to end through the gateway, for accounts with 1 to 10,000 sessions.

The four real processes run under tools.supervisor.Suite on free ports. Each
account gets one real session over HTTP; the other sessions go straight into
auth_service's SQLite file (signing in 10,000 times would cost 10,000 argon2
hashes). A second set of accounts also has as many signed-in devices in
device_service's file. Before each measurement every device of the account is
made active again and a fresh caller signs in, so each sign-out-all has all of
them to sign out; then it times POST /v1/sign-out-all {"include_current": true}.
"""

from __future__ import annotations

import http.client
import json
import pathlib
import sqlite3
import time
from typing import Any

from benchmarks.harness import Row, Sizes, at_most, median, ms, percentile
from benchmarks.seeding import insert_sqlite_devices, insert_sqlite_sessions, sign_devices_back_in
from tools.supervisor import Suite, SuiteConfig

SIZES = (1, 10, 100, 1_000, 10_000)
PASSWORD = "correct horse battery staple"
GOAL = 1.5


class Http:
    """A keep-alive JSON client of the gateway."""

    def __init__(self, address: str) -> None:
        host, port = address.rsplit(":", 1)
        self.connection = http.client.HTTPConnection(host, int(port), timeout=30)

    def __call__(self, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.connection.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = self.connection.getresponse()
        payload = response.read()
        return response.status, json.loads(payload) if payload else None

    def expect(self, status: int, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        got, reply = self(method, path, body, token)
        if got != status:
            raise RuntimeError(f"{method} {path} answered {got}: {reply}")
        return reply


def _sign_in(client: Http, email: str) -> str:
    device = {"client_id": "bench-caller", "name": "Bench caller", "type": "browser"}
    reply = client.expect(200, "POST", "/v1/sign-in", {"email": email, "password": PASSWORD, "device": device})
    return str(reply["access_token"])


KINDS = ("sessions", "devices")  # N sessions on one device, or N sessions on N signed-in devices


def _measure(sizes: Sizes, tmp: pathlib.Path) -> dict[tuple[str, int], list[float]]:
    root = tmp / "suite"
    config = SuiteConfig.on_free_ports(root / "data", {"GRACE_SECONDS": "1"})
    cases = [(kind, size) for kind in KINDS for size in SIZES]
    timings: dict[tuple[str, int], list[float]] = {case: [] for case in cases}
    with Suite(config, log_dir=root / "logs"):
        client = Http(config.gateway_address)
        auth_db = str(config.data_dir / "auth_service.db")
        device_db = str(config.data_dir / "device_service.db")
        accounts: dict[tuple[str, int], str] = {}
        for kind, size in cases:
            email = f"bench-{kind}-{size}@example.com"
            client.expect(201, "POST", "/v1/accounts", {"email": email, "password": PASSWORD})
            _sign_in(client, email)
            with sqlite3.connect(auth_db, timeout=30) as db:
                (account_id,) = db.execute("SELECT account_id FROM accounts WHERE email = ?", (email,)).fetchone()
            db.close()
            accounts[kind, size] = account_id
            if size > 1:
                insert_sqlite_sessions(auth_db, account_id, size - 1)
                if kind == "devices":
                    insert_sqlite_devices(device_db, account_id, size - 1)
        rounds = 2 if sizes.quick else 15
        for r in range(rounds + 1):  # round 0 warms up and is discarded
            for kind, size in cases if r % 2 == 0 else list(reversed(cases)):
                sign_devices_back_in(device_db, accounts[kind, size])
                token = _sign_in(client, f"bench-{kind}-{size}@example.com")
                started = time.perf_counter()
                client.expect(200, "POST", "/v1/sign-out-all", {"include_current": True}, token)
                if r > 0:
                    timings[kind, size].append(time.perf_counter() - started)
        client.connection.close()
    return timings


async def sign_out_all_latency(sizes: Sizes, tmp: pathlib.Path) -> list[Row]:
    """The goal (README, Benchmarks) is about sessions. Devices are reported too: device_service flips
    each signed-in device's row, so that cost grows with the devices an account has."""
    timings = _measure(sizes, tmp)
    rows = []
    for kind in KINDS:
        one = median(timings[kind, 1])
        for size in SIZES:
            value = median(timings[kind, size])
            ratio = value / one
            goal, met = at_most(ratio, GOAL) if (kind, size) == ("sessions", 1_000) else ("-", None)
            rows.append(
                Row(
                    f"2. sign-out-all via gateway, {size:,} vs 1 {kind}",
                    f"{ms(value)} p50",
                    f"{ms(one)} p50",
                    ratio,
                    goal,
                    met,
                    {
                        "kind": kind,
                        "size": size,
                        "median_s": value,
                        "p90_s": percentile(timings[kind, size], 90),
                        "baseline_median_s": one,
                        "samples": len(timings[kind, size]),
                    },
                )
            )
    return rows
