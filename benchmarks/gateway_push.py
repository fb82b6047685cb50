"""Benchmarks 8 and 9: the gateway's event streams, on its one push path (gateway.dispatch).

8. Memory per open event stream: RSS of one gateway process (`python -m gateway`)
   with 5,000 streams open minus with none (after 100 streams opened and closed,
   so one-time costs are paid), divided by 5,000; and auth_service's RSS growth
   over the same span (it holds nothing per stream any more).
9. Push latency: 1,000 streams of one account's 1,000 sessions open on one
   gateway; one RevokeSessions(ALL) straight to auth_service; each stream's
   `revoked` arrival timed from the call's start (a fresh account per round). The
   gateway learns of the entry through its one revocation subscription (its
   validator link: SyncRevocations) and fans it out to its hubs. Baseline: the same client, 1,000 streams on a bare
   aiohttp SSE server (benchmarks.sse_echo), one POST /broadcast timed the same way.

The client holds every stream on raw asyncio sockets (a few KiB each), in this
process; the fd limit is raised to its hard limit. Sessions are minted straight
into auth_service's database (benchmarks.servers): one account per round with the
gateway's SSE_MAX_STREAMS_PER_ACCOUNT raised to fit, one stream per session.
auth_service is the real one; parental_service is a stand-in that serves the one
WatchPlaybackStops stream and never stops anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pathlib
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc

from benchmarks.harness import (
    REPO_ROOT,
    Row,
    ServerProcess,
    Sizes,
    at_most,
    channel,
    free_port,
    ms,
    percentile,
    pki_dir,
)

MEMORY_STREAMS = 5_000
QUICK_MEMORY_STREAMS = 300
WARM_STREAMS = 100
PUSH_STREAMS = 1_000
QUICK_PUSH_STREAMS = 100
PUSH_ROUNDS = 5
OPENING_CONCURRENCY = 32
GOAL_KIB = 16.0
READY = b"event: ready"
REVOKED = b"event: revoked"


def raise_fd_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def rss_kib(pid: int) -> int:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


class RawStream:
    """One event stream on a bare socket: the request, the answer's head, then bytes until a marker."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.seen = b""

    @classmethod
    async def open(cls, port: int, token: str) -> RawStream:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        head = await reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            writer.close()
            raise RuntimeError(f"the event stream answered {head[:200]!r}")
        stream = cls(reader, writer)
        await stream.until(READY)
        return stream

    async def until(self, marker: bytes) -> float:
        """When `marker` arrived (perf_counter)."""
        while marker not in self.seen:
            chunk = await self.reader.read(65536)
            if not chunk:
                raise RuntimeError("the stream ended before " + marker.decode())
            self.seen = self.seen[-64:] + chunk
        self.seen = self.seen[self.seen.index(marker) + len(marker) :]
        return time.perf_counter()

    def close(self) -> None:
        self.writer.close()


async def open_all(port: int, tokens: list[str]) -> list[RawStream]:
    gate = asyncio.Semaphore(OPENING_CONCURRENCY)

    async def one(token: str) -> RawStream:
        async with gate:
            return await RawStream.open(port, token)

    return list(await asyncio.gather(*(one(token) for token in tokens)))


def close_all(streams: list[RawStream]) -> None:
    for stream in streams:
        stream.close()


@contextlib.contextmanager
def gateway(auth: str, parental: str, per_account: int, log: pathlib.Path) -> Iterator[tuple[int, int]]:
    """`python -m gateway` on a free port in front of `auth` and `parental`: (port, pid)."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "TLS_DIR": str(pki_dir()),
        "GATEWAY_DEMO_MODE": "1",
        "GATEWAY_ADDRESS": f"127.0.0.1:{port}",
        "AUTH_ADDRESS": auth,
        "DEVICE_ADDRESS": parental,  # never called: no devices event in these rounds
        "PARENTAL_ADDRESS": parental,
        "SSE_MAX_STREAMS_PER_ACCOUNT": str(per_account),
    }
    with log.open("wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "gateway"], cwd=REPO_ROOT, env=env, stderr=output)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), 0.2):
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"the gateway did not start: {log.read_text()[-2000:]}") from None
                    time.sleep(0.1)
            yield port, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class SseEcho:
    """benchmarks.sse_echo in its own process."""

    def __enter__(self) -> SseEcho:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.sse_echo"], cwd=REPO_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert self.process.stdout is not None
        self.port = int(json.loads(self.process.stdout.readline())["port"])
        return self

    def __exit__(self, *_: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


async def stream_memory(sizes: Sizes, tmp: pathlib.Path) -> list[Row]:
    n = QUICK_MEMORY_STREAMS if sizes.quick else MEMORY_STREAMS
    raise_fd_limit()
    spec = {"kind": "auth", "db_url": f"sqlite:///{tmp / 'stream-memory.db'}", "mint": [n], "metrics": False}
    with ServerProcess(spec) as auth, ServerProcess({"kind": "parental"}) as parental:
        assert auth.process is not None
        tokens = auth.info["minted"][0]["tokens"]
        with gateway(auth.address, parental.address, n, tmp / "gateway-memory.log") as (port, pid):
            close_all(await open_all(port, tokens[:WARM_STREAMS]))
            await asyncio.sleep(1.0)
            gateway_before, auth_before = rss_kib(pid), rss_kib(auth.process.pid)
            started = time.perf_counter()
            streams = await open_all(port, tokens)
            opened_in = time.perf_counter() - started
            await asyncio.sleep(2.0)
            gateway_after, auth_after = rss_kib(pid), rss_kib(auth.process.pid)
            close_all(streams)
    per_stream = (gateway_after - gateway_before) / n
    goal, met = at_most(per_stream, GOAL_KIB)
    return [
        Row(
            f"8. memory per open event stream, {n:,} streams on one gateway",
            f"{per_stream:.1f} KiB/stream at the gateway",
            f"auth_service {auth_after - auth_before:+,} KiB in all",
            per_stream,
            goal + " KiB",
            met,
            {
                "streams": n,
                "gateway_rss_kib_before": gateway_before,
                "gateway_rss_kib_after": gateway_after,
                "gateway_kib_per_stream": per_stream,
                "auth_rss_kib_before": auth_before,
                "auth_rss_kib_after": auth_after,
                "auth_kib_growth": auth_after - auth_before,
                "auth_bytes_per_stream": (auth_after - auth_before) * 1024 / n,
                "seconds_to_open": opened_in,
            },
        )
    ]


async def _gateway_round(port: int, tokens: list[str], revoke: Any, account_id: str) -> tuple[list[float], float]:
    streams = await open_all(port, tokens)
    try:
        waiting = [asyncio.ensure_future(stream.until(REVOKED)) for stream in streams]
        await asyncio.sleep(0.2)  # every reader is waiting on its socket
        started = time.perf_counter()
        await revoke.RevokeSessions(
            auth_pb2.RevokeSessionsRequest(
                account_id=account_id,
                scope=auth_pb2.REVOCATION_SCOPE_ALL,
                reason=auth_pb2.REVOCATION_REASON_SIGN_OUT_ALL,
            ),
            timeout=10,
        )
        answered = time.perf_counter() - started
        arrivals = await asyncio.wait_for(asyncio.gather(*waiting), 30)
        return [at - started for at in arrivals], answered
    finally:
        close_all(streams)


async def _echo_round(port: int, n: int) -> list[float]:
    streams = await open_all(port, ["echo"] * n)
    try:
        waiting = [asyncio.ensure_future(stream.until(REVOKED)) for stream in streams]
        await asyncio.sleep(0.2)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        started = time.perf_counter()
        writer.write(f"POST /broadcast HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\n\r\n".encode())
        arrivals = await asyncio.wait_for(asyncio.gather(*waiting), 30)
        await reader.readuntil(b"\r\n\r\n")
        writer.close()
        return [at - started for at in arrivals]
    finally:
        close_all(streams)


async def gateway_push(sizes: Sizes, tmp: pathlib.Path) -> list[Row]:
    n = QUICK_PUSH_STREAMS if sizes.quick else PUSH_STREAMS
    rounds = 1 if sizes.quick else PUSH_ROUNDS
    raise_fd_limit()
    spec = {"kind": "auth", "db_url": f"sqlite:///{tmp / 'gateway-push.db'}", "mint": [n] * rounds, "metrics": False}
    pushes: list[float] = []
    echoes: list[float] = []
    answers: list[float] = []
    with (
        ServerProcess(spec) as auth,
        ServerProcess({"kind": "parental"}) as parental,
        SseEcho() as echo,
        gateway(auth.address, parental.address, n, tmp / "gateway-push.log") as (port, _),
    ):
        revoke_channel = channel(auth.address)
        revoke = auth_pb2_grpc.AuthServiceStub(revoke_channel)
        try:
            await _echo_round(echo.port, min(n, 50))  # warm-up
            for r, account in enumerate(auth.info["minted"]):
                for kind in ("gateway", "echo") if r % 2 == 0 else ("echo", "gateway"):
                    if kind == "gateway":
                        latencies, answered = await _gateway_round(
                            port, account["tokens"], revoke, account["account_id"]
                        )
                        pushes.extend(latencies)
                        answers.append(answered)
                    else:
                        echoes.extend(await _echo_round(echo.port, n))
        finally:
            await revoke_channel.close()
    p99, echo_p99 = percentile(pushes, 99), percentile(echoes, 99)
    return [
        Row(
            f"9. push p99 to {n:,} streams on one gateway, one revocation",
            f"p99 {ms(p99)} (p50 {ms(percentile(pushes, 50))})",
            f"bare aiohttp SSE x{n} p99 {ms(echo_p99)}",
            p99 / echo_p99,
            "-",
            None,
            {
                "streams": n,
                "rounds": rounds,
                "push_p50_s": percentile(pushes, 50),
                "push_p99_s": p99,
                "push_max_s": max(pushes),
                "echo_p50_s": percentile(echoes, 50),
                "echo_p99_s": echo_p99,
                "revoke_rpc_p50_s": percentile(answers, 50),
                "revocation_source": "the gateway's validator link (SyncRevocations)",
                "samples": len(pushes),
            },
        )
    ]
