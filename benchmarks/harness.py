"""What every benchmark shares: server processes, a closed-loop gRPC load client, statistics, rows."""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from grpc import aio
from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc

from common.pki import ensure_local_pki
from common.tls import TlsIdentity

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
PKI_VARIABLE = "BENCH_PKI_DIR"


def pki_dir() -> pathlib.Path:
    """The benchmark run's throw-away CA: made once, then found through $BENCH_PKI_DIR by every
    server process, so subject and baseline both pay mutual TLS, as production does."""
    if not os.environ.get(PKI_VARIABLE):
        os.environ[PKI_VARIABLE] = str(ensure_local_pki(pathlib.Path(tempfile.mkdtemp(prefix="bench-pki-"))))
    return pathlib.Path(os.environ[PKI_VARIABLE])


def server_tls() -> TlsIdentity:
    return TlsIdentity.from_dir("auth_service", pki_dir())


def channel(target: str, options: list[tuple[str, object]] | None = None) -> aio.Channel:
    """A mutual-TLS channel to a benchmark server (or several: a gRPC target and its options), as the gateway
    (its real caller)."""
    return TlsIdentity.from_dir("gateway", pki_dir()).channel(target, "auth_service", options)


@dataclass(frozen=True)
class Sizes:
    """How long and how big: the full run, or --quick for the smoke test."""

    quick: bool
    round_seconds: float
    rounds: int

    @staticmethod
    def for_run(quick: bool) -> Sizes:
        return Sizes(quick=True, round_seconds=0.25, rounds=2) if quick else Sizes(False, 2.0, 9)


@dataclass
class Row:
    """One line of the results table."""

    benchmark: str
    subject: str
    baseline: str
    ratio: float | None
    goal: str = "-"
    met: bool | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "subject": self.subject,
            "baseline": self.baseline,
            "ratio": self.ratio,
            "goal": self.goal,
            "met": self.met,
            "details": self.details,
        }


def at_least(ratio: float, goal: float) -> tuple[str, bool]:
    return f">= {goal:g}", ratio >= goal


def at_most(ratio: float, goal: float) -> tuple[str, bool]:
    return f"<= {goal:g}", ratio <= goal


def median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """A benchmarks.servers process; `info` is the JSON line it printed when ready."""

    def __init__(self, spec: dict[str, Any], timeout: float = 120.0) -> None:
        self.spec = spec
        self.timeout = timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.info: dict[str, Any] = {}

    def __enter__(self) -> ServerProcess:
        pki_dir()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.servers", json.dumps(self.spec)],
            cwd=REPO_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=10)
            raise RuntimeError(f"benchmark server {self.spec['kind']} exited with {self.process.returncode}")
        self.info = json.loads(line)
        return self

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.info['port']}"

    def __exit__(self, *_: object) -> None:
        assert self.process is not None
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Sample:
    calls: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.calls / self.seconds if self.seconds else 0.0


async def closed_loop(call: Callable[[], Awaitable[object]], concurrency: int, seconds: float) -> Sample:
    """`concurrency` callers each issuing `call` back to back for `seconds`."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def caller() -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(concurrency)))
    return Sample(len(latencies), time.perf_counter() - started, latencies)


class Validation:
    """A ValidateToken load client against one server (or a gRPC target with its channel options); several
    channels share the in-flight calls."""

    def __init__(
        self, address: str, token: str, channels: int = 2, options: list[tuple[str, object]] | None = None
    ) -> None:
        self.channels = [channel(address, options) for _ in range(channels)]
        self.stubs = [auth_pb2_grpc.AuthServiceStub(c) for c in self.channels]
        self.request = auth_pb2.ValidateTokenRequest(access_token=token)
        self._next = 0

    async def call(self) -> object:
        self._next = (self._next + 1) % len(self.stubs)
        return await self.stubs[self._next].ValidateToken(self.request, timeout=10)

    async def run(self, concurrency: int, seconds: float) -> Sample:
        return await closed_loop(self.call, concurrency, seconds)

    async def close(self) -> None:
        for channel in self.channels:
            await channel.close()


async def interleaved(
    clients: dict[str, Validation], concurrency: int, seconds: float, rounds: int
) -> dict[str, list[Sample]]:
    """Rounds of A, B, A, B (order alternating each round) after one discarded warm-up round each."""
    for client in clients.values():
        await client.run(concurrency, min(seconds, 0.5))
    samples: dict[str, list[Sample]] = {name: [] for name in clients}
    names = list(clients)
    for r in range(rounds):
        for name in names if r % 2 == 0 else reversed(names):
            samples[name].append(await clients[name].run(concurrency, seconds))
    return samples


def rate_median(samples: list[Sample]) -> float:
    return median([s.rate for s in samples])


def latency_medians(samples: list[Sample]) -> tuple[float, float]:
    """Median over rounds of each round's p50 and p99."""
    return (
        median([percentile(s.latencies, 50) for s in samples]),
        median([percentile(s.latencies, 99) for s in samples]),
    )
