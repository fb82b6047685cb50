"""Benchmark 10: an authenticated GET /v1/session through the gateway / a bare aiohttp JSON answer.

Same client (one aiohttp session, closed loop at c=16), interleaved rounds after a warm-up. The
gateway is a real `python -m gateway` process in front of a real auth_service (benchmarks.servers,
kind "auth"); GET /v1/session is answered from the token and the gateway's own revocation replica,
so the ratio measures the gateway's own work (HTTP, verification, its middleware and headers).

The gateway holds its lease over auth_service's SyncRevocations, as in production.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pathlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import aiohttp

from benchmarks.harness import (
    REPO_ROOT,
    Row,
    Sample,
    ServerProcess,
    Sizes,
    at_least,
    closed_loop,
    free_port,
    latency_medians,
    ms,
    pki_dir,
    rate_median,
)

CONCURRENCY = 16
GOAL = 0.5


class HttpLoad:
    """GET `url` with `headers` back to back from `concurrency` callers on one keep-alive session."""

    def __init__(self, session: aiohttp.ClientSession, url: str, headers: dict[str, str]) -> None:
        self.session, self.url, self.headers = session, url, headers

    async def call(self) -> None:
        async with self.session.get(self.url, headers=self.headers) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"{self.url} answered {response.status}")

    async def run(self, concurrency: int, seconds: float) -> Sample:
        return await closed_loop(self.call, concurrency, seconds)


@contextlib.contextmanager
def process(args: list[str], env: dict[str, str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    child = subprocess.Popen(args, cwd=REPO_ROOT, env={**os.environ, **env})
    try:
        deadline = time.monotonic() + 60
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{args} did not start")
            time.sleep(0.05)
        yield child
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


async def edge_session_vs_json(sizes: Sizes, tmp: pathlib.Path) -> list[Row]:
    spec = {"kind": "auth", "db_url": f"sqlite:///{tmp / 'edge.db'}"}
    with ServerProcess(spec) as auth:
        gateway_port, json_port = free_port(), free_port()
        env = {
            "GATEWAY_ADDRESS": f"127.0.0.1:{gateway_port}",
            "AUTH_ADDRESS": auth.address,
            "DEVICE_ADDRESS": "127.0.0.1:1",
            "PARENTAL_ADDRESS": "127.0.0.1:1",
            "GATEWAY_DEMO_MODE": "1",
            "TLS_DIR": str(pki_dir()),
            "METRICS_PORT": "0",
        }
        gateway = [sys.executable, "-m", "benchmarks.edge_gateway"]
        bare = [sys.executable, "-m", "benchmarks.edge_gateway", "--bare-json", str(json_port)]
        with process(gateway, env, gateway_port), process(bare, env, json_port):
            headers = {"Authorization": f"Bearer {auth.info['token']}"}
            connector = aiohttp.TCPConnector(limit=CONCURRENCY)
            async with aiohttp.ClientSession(connector=connector) as session:
                clients = {
                    "gateway": HttpLoad(session, f"http://127.0.0.1:{gateway_port}/v1/session", headers),
                    "json": HttpLoad(session, f"http://127.0.0.1:{json_port}/v1/session", headers),
                }
                deadline = time.monotonic() + 15
                while True:  # the gateway is ready once its keys are loaded and its lease granted
                    try:
                        await clients["gateway"].call()
                        break
                    except RuntimeError:
                        if time.monotonic() > deadline:
                            raise
                        await asyncio.sleep(0.1)
                for client in clients.values():
                    await client.run(CONCURRENCY, min(sizes.round_seconds, 0.5))
                samples: dict[str, list[Sample]] = {name: [] for name in clients}
                for r in range(sizes.rounds):
                    for name in ("gateway", "json") if r % 2 == 0 else ("json", "gateway"):
                        samples[name].append(await clients[name].run(CONCURRENCY, sizes.round_seconds))
    subject, baseline = rate_median(samples["gateway"]), rate_median(samples["json"])
    (s50, s99), (b50, b99) = latency_medians(samples["gateway"]), latency_medians(samples["json"])
    ratio = subject / baseline
    goal, met = at_least(ratio, GOAL)
    details = {
        "concurrency": CONCURRENCY,
        "gateway_per_s": subject,
        "json_per_s": baseline,
        "gateway_p50_s": s50,
        "gateway_p99_s": s99,
        "json_p50_s": b50,
        "json_p99_s": b99,
        "rounds": sizes.rounds,
        "round_seconds": sizes.round_seconds,
        "lease": "SyncRevocations",
    }
    return [
        Row(
            f"10. GET /v1/session via gateway vs bare aiohttp JSON, c={CONCURRENCY}",
            f"{subject:,.0f}/s p99 {ms(s99)}",
            f"{baseline:,.0f}/s p99 {ms(b99)}",
            ratio,
            goal,
            met,
            details,
        )
    ]


if __name__ == "__main__":
    print(json.dumps([r.as_dict() for r in asyncio.run(edge_session_vs_json(Sizes.for_run(False), pathlib.Path(".")))]))
