"""Benchmark 2: sign-out-all end to end through the gateway, for accounts with 1 to 10,000 sessions.

The four real processes run under tools.supervisor.Suite on free ports. Each
account gets one real session over HTTP; the other sessions go straight into
auth_service's SQLite file (sign-out-all is a per-account cutoff, so auth does
not need them in memory). Each measurement signs a fresh caller in, then times
POST /v1/sign-out-all {"include_current": true}.
"""

from __future__ import annotations

import http.client
import json
import pathlib
import sqlite3
import time
from typing import Any

from benchmarks.harness import Row, Sizes, at_most, free_port, median, ms, percentile
from benchmarks.seeding import insert_sqlite_sessions
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


def _config(data_dir: pathlib.Path) -> SuiteConfig:
    return SuiteConfig(
        auth_address=f"127.0.0.1:{free_port()}", device_address=f"127.0.0.1:{free_port()}",
        parental_address=f"127.0.0.1:{free_port()}", gateway_address=f"127.0.0.1:{free_port()}",
        auth_metrics_port=free_port(), device_metrics_port=free_port(), parental_metrics_port=free_port(),
        data_dir=data_dir, extra_env={"GRACE_SECONDS": "1"},
    )


def _sign_in(client: Http, email: str) -> str:
    device = {"client_id": "bench-caller", "name": "Bench caller", "type": "browser"}
    reply = client.expect(200, "POST", "/v1/sign-in", {"email": email, "password": PASSWORD, "device": device})
    return str(reply["access_token"])


def _measure(sizes: Sizes, tmp: pathlib.Path) -> dict[int, list[float]]:
    root = tmp / "suite"
    config = _config(root / "data")
    timings: dict[int, list[float]] = {size: [] for size in SIZES}
    with Suite(config, log_dir=root / "logs"):
        client = Http(config.gateway_address)
        auth_db = str(config.data_dir / "auth_service.db")
        for size in SIZES:
            email = f"bench-{size}@example.com"
            client.expect(201, "POST", "/v1/accounts", {"email": email, "password": PASSWORD})
            _sign_in(client, email)
            with sqlite3.connect(auth_db, timeout=30) as db:
                (account_id,) = db.execute("SELECT account_id FROM accounts WHERE email = ?", (email,)).fetchone()
            db.close()
            if size > 1:
                insert_sqlite_sessions(auth_db, account_id, size - 1)
        rounds = 2 if sizes.quick else 15
        for r in range(rounds + 1):  # round 0 warms up and is discarded
            for size in SIZES if r % 2 == 0 else reversed(SIZES):
                token = _sign_in(client, f"bench-{size}@example.com")
                started = time.perf_counter()
                client.expect(200, "POST", "/v1/sign-out-all", {"include_current": True}, token)
                if r > 0:
                    timings[size].append(time.perf_counter() - started)
        client.connection.close()
    return timings


async def sign_out_all_latency(sizes: Sizes, tmp: pathlib.Path) -> list[Row]:
    timings = _measure(sizes, tmp)
    one = median(timings[1])
    rows = []
    for size in SIZES:
        value = median(timings[size])
        ratio = value / one
        goal, met = at_most(ratio, GOAL) if size == 1_000 else ("-", None)
        rows.append(Row(
            f"2. sign-out-all via gateway, {size:,} vs 1 sessions", f"{ms(value)} p50", f"{ms(one)} p50", ratio,
            goal, met, {"sessions": size, "median_s": value, "p90_s": percentile(timings[size], 90),
                        "baseline_median_s": one, "samples": len(timings[size])},
        ))
    return rows
