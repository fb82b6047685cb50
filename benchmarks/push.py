"""Benchmark 3: from the revoking call's start until `revocation` arrives on open WatchSession streams.

Streams go straight to auth_service over gRPC (a separate process). Each round
revokes ALL sessions of a fresh account whose 1 or 100 sessions are all
watching, and records every stream's arrival time. The baseline keeps the
issue's rule (same client, same server kind, same concurrency): a burst of as
many echo calls as there are streams, all sent at one instant, each timed from
that instant until its answer arrives; bursts are interleaved with the pushes.
For 1 stream that is one echo call.
"""

from __future__ import annotations

import asyncio
import math
import pathlib
import time
from typing import Any, cast

from grpc import aio
from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc

from benchmarks.harness import Row, ServerProcess, Sizes, Validation, at_most, channel, closed_loop, ms, percentile

STREAMS = (1, 100)
GOAL = 3.0


async def _push_round(
    watch: auth_pb2_grpc.AuthServiceAsyncStub,
    revoke: auth_pb2_grpc.AuthServiceAsyncStub,
    account: dict[str, Any],
    revoke_times: list[float],
) -> list[float]:
    calls = [watch.WatchSession(auth_pb2.WatchSessionRequest(access_token=t)) for t in account["tokens"]]
    try:
        for call in calls:
            first = cast(auth_pb2.WatchSessionResponse, await call.read())  # not EOF: the stream stays open
            assert first.subscribed, first
        arrivals: list[float] = []

        async def arrival(call: aio.UnaryStreamCall[Any, auth_pb2.WatchSessionResponse]) -> None:
            message = cast(auth_pb2.WatchSessionResponse, await call.read())
            arrivals.append(time.perf_counter())
            assert message.WhichOneof("event") == "revocation", message

        readers = [asyncio.ensure_future(arrival(call)) for call in calls]
        await asyncio.sleep(0)  # every reader is waiting on its stream
        started = time.perf_counter()
        await revoke.RevokeSessions(
            auth_pb2.RevokeSessionsRequest(
                account_id=account["account_id"],
                scope=auth_pb2.REVOCATION_SCOPE_ALL,
                reason=auth_pb2.REVOCATION_REASON_SIGN_OUT_ALL,
            ),
            timeout=10,
        )
        revoke_times.append(time.perf_counter() - started)
        await asyncio.wait_for(asyncio.gather(*readers), timeout=30)
        return [at - started for at in arrivals]
    finally:
        for call in calls:
            call.cancel()


async def _echo_burst(echo: auth_pb2_grpc.AuthServiceAsyncStub, token: str, n: int) -> list[float]:
    """n echo calls sent at once; each one's time from the common start to its answer."""
    arrivals: list[float] = []

    async def one() -> None:
        await echo.ValidateToken(auth_pb2.ValidateTokenRequest(access_token=token), timeout=10)
        arrivals.append(time.perf_counter())

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(n)))
    return [at - started for at in arrivals]


async def revocation_push(sizes: Sizes, tmp: pathlib.Path, echo_p99_bench1: float) -> list[Row]:
    rounds = {1: 4 if sizes.quick else 200, 100: 2 if sizes.quick else 10}  # a p99 needs ~100+ samples
    mint = [1] * rounds[1] + [100] * rounds[100]
    spec = {"kind": "auth", "db_url": f"sqlite:///{tmp / 'push.db'}", "mint": mint}
    pushes: dict[int, list[float]] = {n: [] for n in STREAMS}
    echo_latencies: list[float] = []
    bursts: dict[int, list[float]] = {n: [] for n in STREAMS}
    revoke_times: dict[int, list[float]] = {n: [] for n in STREAMS}
    with ServerProcess(spec) as auth, ServerProcess({"kind": "echo"}) as echo:
        accounts = {1: auth.info["minted"][: rounds[1]], 100: auth.info["minted"][rounds[1] :]}
        watch_channel, revoke_channel = channel(auth.address), channel(auth.address)
        echo_channel = channel(echo.address)
        echo_stub = auth_pb2_grpc.AuthServiceStub(echo_channel)
        watch = auth_pb2_grpc.AuthServiceStub(watch_channel)
        revoke = auth_pb2_grpc.AuthServiceStub(revoke_channel)
        echo_client = Validation(echo.address, echo.info["token"], channels=1)
        try:
            await echo_client.run(1, 0.3)  # warm-up
            await revoke.ValidateToken(auth_pb2.ValidateTokenRequest(access_token=auth.info["token"]))
            for r in range(max(rounds.values())):
                for n in STREAMS if r % 2 == 0 else reversed(STREAMS):
                    if r < rounds[n]:
                        pushes[n].extend(await _push_round(watch, revoke, accounts[n][r], revoke_times[n]))
                        bursts[n].extend(await _echo_burst(echo_stub, echo.info["token"], n))
                    if r % 10 == 0:  # single-call echo latency, for the details only
                        echo_latencies.extend(
                            (await closed_loop(echo_client.call, 1, sizes.round_seconds / 4)).latencies
                        )
        finally:
            await echo_client.close()
            await echo_channel.close()
            await watch_channel.close()
            await revoke_channel.close()
    echo_p99 = percentile(echo_latencies, 99)
    rows = []
    for n in STREAMS:
        p50, p99 = percentile(pushes[n], 50), percentile(pushes[n], 99)
        burst_p99 = percentile(bursts[n], 99)
        ratio = p99 / burst_p99
        goal, met = at_most(ratio, GOAL)
        rows.append(
            Row(
                f"3. revocation push p99, {n} stream{'s' if n > 1 else ''}",
                f"p99 {ms(p99)} (p50 {ms(p50)})",
                f"echo x{n} p99 {ms(burst_p99)}",
                ratio,
                goal,
                met,
                {
                    "streams": n,
                    "push_p50_s": p50,
                    "push_p99_s": p99,
                    "echo_burst_p99_s": burst_p99,
                    "echo_burst_p50_s": percentile(bursts[n], 50),
                    "echo_p99_interleaved_s": echo_p99,
                    "ratio_vs_single_echo_p99": p99 / echo_p99,
                    "echo_p50_interleaved_s": percentile(echo_latencies, 50),
                    # None when benchmark 1 did not run in this invocation (--only without 1)
                    "echo_p99_benchmark1_s": None if math.isnan(echo_p99_bench1) else echo_p99_bench1,
                    "revoke_rpc_p50_s": percentile(revoke_times[n], 50),
                    "revoke_rpc_p99_s": percentile(revoke_times[n], 99),
                    "push_samples": len(pushes[n]),
                    "echo_samples": len(echo_latencies),
                    "rounds": rounds[n],
                },
            )
        )
    return rows
