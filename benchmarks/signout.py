"""Benchmark 2: sign-out-all end to end through the gateway, for accounts with 1 to 10,000 sessions or devices.

The four real processes run under tools.supervisor.Suite on free ports, once
with every database in SQLite files and once with auth_service's and
device_service's in PostgreSQL (a schema each; parental_service stays on
SQLite). What is timed is the gateway's POST /v1/sign-out-all
{"include_current": true} of a caller who has just signed in over HTTP: auth_service
writes the revocation, then device_service and parental_service apply it.

- sessions (SQLite): N sessions of one account, N-1 of them inserted straight into
  auth_service's file (10,000 sign-ins would cost 10,000 argon2 hashes), all on one device.
- devices (SQLite and PostgreSQL): N signed-in devices, N-1 of them seeded as N-1 first
  sign-ins would leave them (benchmarks.account_seeding: a device row, its sign-in
  activity and its session), each on a fresh account per round, so that every
  sign-out-all has all N to sign out.

Rounds are interleaved (the order of the cases alternates each round) and round 0
is discarded; each row is the median over rounds against the 1-session (1-device)
case of the same run and database.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import pathlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, text

from benchmarks import seeding
from benchmarks.account_seeding import SignedInDevices
from benchmarks.harness import Row, Sizes, at_most, median, ms, percentile
from common.db import make_engine
from tools.supervisor import Suite, SuiteConfig

SESSION_SIZES = (1, 10, 100, 1_000, 10_000)
DEVICE_SIZES = (1, 10, 100, 1_000, 10_000)
QUICK_SIZES = (1, 10)
PASSWORD = "correct horse battery staple"
GOALS = {("sessions", 1_000): 1.5, ("devices", 10_000): 1.5}
FULL_ROUNDS = 15
QUICK_ROUNDS = 2

Case = tuple[str, int]  # ("sessions" | "devices", N)


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


@dataclass
class Database:
    """Where auth_service and device_service keep their tables for one run of the suite."""

    name: str
    auth_url: str = ""  # "": the suite's default SQLite file in its data folder
    device_url: str = ""

    def env(self) -> dict[str, str]:
        urls = {"AUTH_DATABASE_URL": self.auth_url, "DEVICE_DATABASE_URL": self.device_url}
        return {"GRACE_SECONDS": "1", **{name: url for name, url in urls.items() if url}}

    def engines(self, data_dir: pathlib.Path) -> tuple[Engine, Engine]:
        """Engines on auth_service's and device_service's databases, as the running suite has them."""
        if self.auth_url:
            return create_engine(self.auth_url), create_engine(self.device_url)
        return (
            make_engine(f"sqlite:///{data_dir / 'auth_service.db'}"),
            make_engine(f"sqlite:///{data_dir / 'device_service.db'}"),
        )


@contextlib.contextmanager
def postgres_database() -> Iterator[Database]:
    """auth_service and device_service each in a fresh schema of the PostgreSQL server, dropped afterwards."""
    schemas = [f"bench_{os.getpid()}_signout_{service}" for service in ("auth", "device")]
    for schema in schemas:
        seeding.drop_postgres(schema)
        with create_engine(seeding.POSTGRES_URL, isolation_level="AUTOCOMMIT").connect() as admin:
            admin.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield Database("PostgreSQL", seeding.postgres_url(schemas[0]), seeding.postgres_url(schemas[1]))
    finally:
        for schema in schemas:
            seeding.drop_postgres(schema)


def _account_id(auth: Engine, email: str) -> str:
    with auth.connect() as db:
        return str(db.execute(text("SELECT account_id FROM accounts WHERE email = :e"), {"e": email}).scalar_one())


def _measure(database: Database, cases: list[Case], rounds: int, tmp: pathlib.Path) -> dict[Case, list[float]]:
    root = tmp / f"suite-{database.name.lower()}"
    config = SuiteConfig.on_free_ports(root / "data", database.env())
    timings: dict[Case, list[float]] = {case: [] for case in cases}
    with Suite(config, log_dir=root / "logs"):
        client = Http(config.gateway_address)
        auth, devices = database.engines(config.data_dir)
        emails: dict[tuple[Case, int], str] = {}
        try:
            for case in cases:
                kind, size = case
                template = SignedInDevices(size - 1) if kind == "devices" else None
                for r in range(rounds + 1) if kind == "devices" else [0]:
                    email = f"bench-{kind}-{size}-{r}@example.com"
                    client.expect(201, "POST", "/v1/accounts", {"email": email, "password": PASSWORD})
                    if template is not None:
                        template.insert(devices, auth, _account_id(auth, email))
                    elif size > 1:  # sessions: SQLite only
                        auth_db = str(config.data_dir / "auth_service.db")
                        seeding.insert_sqlite_sessions(auth_db, _account_id(auth, email), size - 1)
                    emails[case, r] = email
            for r in range(rounds + 1):  # round 0 warms up and is discarded
                for case in cases if r % 2 == 0 else list(reversed(cases)):
                    email = emails[case, r if case[0] == "devices" else 0]
                    token = _sign_in(client, email)
                    started = time.perf_counter()
                    client.expect(200, "POST", "/v1/sign-out-all", {"include_current": True}, token)
                    if r > 0:
                        timings[case].append(time.perf_counter() - started)
        finally:
            client.connection.close()
            auth.dispose()
            devices.dispose()
    return timings


def _rows(database: str, timings: dict[Case, list[float]]) -> list[Row]:
    rows = []
    for kind in ("sessions", "devices"):
        sizes = sorted(size for k, size in timings if k == kind)
        if not sizes:
            continue
        one = median(timings[kind, 1])
        for size in sizes:
            value = median(timings[kind, size])
            ratio = value / one
            goal, met = at_most(ratio, GOALS[kind, size]) if (kind, size) in GOALS else ("-", None)
            rows.append(
                Row(
                    f"2. sign-out-all via gateway, {database}: {size:,} {kind if size > 1 else kind[:-1]} / 1",
                    f"{ms(value)} p50",
                    f"{ms(one)} p50",
                    ratio,
                    goal,
                    met,
                    {
                        "database": database,
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


async def sign_out_all_latency(sizes: Sizes, tmp: pathlib.Path) -> list[Row]:
    """Goals (README, Benchmarks): 1,000 sessions and 10,000 devices cost at most 1.5 times one."""
    rounds = QUICK_ROUNDS if sizes.quick else FULL_ROUNDS
    session_sizes, device_sizes = (QUICK_SIZES, QUICK_SIZES) if sizes.quick else (SESSION_SIZES, DEVICE_SIZES)
    sqlite_cases = [("sessions", n) for n in session_sizes] + [("devices", n) for n in device_sizes]
    rows = _rows("SQLite", _measure(Database("SQLite"), sqlite_cases, rounds, tmp))
    if not seeding.postgres_available():
        return [
            *rows,
            Row("2. sign-out-all via gateway, PostgreSQL", "not run: no PostgreSQL at 127.0.0.1:5432", "-", None),
        ]
    with postgres_database() as database:
        rows += _rows("PostgreSQL", _measure(database, [("devices", n) for n in device_sizes], rounds, tmp))
    return rows
