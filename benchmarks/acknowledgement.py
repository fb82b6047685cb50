"""Benchmark 11: revocation latency with 4 validators / with 1.

Two setups run side by side, each a real auth_service (benchmarks.servers, kind "auth") with its own
SQLite file, followed by real gateway processes (`python -m gateway`, each a validator holding a
lease over SyncRevocations): one gateway in the baseline, four in the subject. A revocation
(`RevokeSessions`, scope all, the call the gateway makes) answers only once every validator with a live
lease has applied it, so its latency is the commit plus the slowest acknowledgement. Rounds alternate
between the setups; each round makes back-to-back revocations and keeps each call's latency and the
receipt it carried (every receipt must name all the setup's validators, none expired).
"""

from __future__ import annotations

import asyncio
import contextlib
import pathlib
import sys
import time

from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc

from benchmarks.edge import process
from benchmarks.harness import Row, ServerProcess, Sizes, at_most, channel, free_port, median, ms, percentile, pki_dir

GOAL = 1.5
VALIDATORS = {"one": 1, "four": 4}


async def acknowledgement_latency(sizes: Sizes, tmp: pathlib.Path) -> list[Row]:
    calls_per_round = 10 if sizes.quick else 40
    latencies: dict[str, list[float]] = {name: [] for name in VALIDATORS}
    acknowledged: dict[str, set[int]] = {name: set() for name in VALIDATORS}
    async with contextlib.AsyncExitStack() as stack:
        stubs, accounts = {}, {}
        for name, count in VALIDATORS.items():
            auth = stack.enter_context(ServerProcess({"kind": "auth", "db_url": f"sqlite:///{tmp / name}.db"}))
            for _ in range(count):
                port = free_port()
                env = {
                    "GATEWAY_ADDRESS": f"127.0.0.1:{port}",
                    "AUTH_ADDRESS": auth.address,
                    "DEVICE_ADDRESS": "127.0.0.1:1",
                    "PARENTAL_ADDRESS": "127.0.0.1:1",
                    "GATEWAY_DEMO_MODE": "1",
                    "TLS_DIR": str(pki_dir()),
                    "METRICS_PORT": "0",
                }
                stack.enter_context(process([sys.executable, "-m", "benchmarks.edge_gateway"], env, port))
            open_channel = channel(auth.address)
            stack.push_async_callback(open_channel.close)
            stubs[name] = auth_pb2_grpc.AuthServiceStub(open_channel)
            accounts[name] = auth.info["account_id"]

        async def revoke(name: str) -> auth_pb2.RevokeSessionsResponse:
            request = auth_pb2.RevokeSessionsRequest(
                account_id=accounts[name],
                scope="REVOCATION_SCOPE_ALL",
                reason="REVOCATION_REASON_SIGN_OUT_ALL",
            )
            reply: auth_pb2.RevokeSessionsResponse = await stubs[name].RevokeSessions(request, timeout=10)
            return reply

        for name, count in VALIDATORS.items():  # every gateway has its lease before anything is measured
            deadline = time.monotonic() + 30
            while (await revoke(name)).receipt.validators_acknowledged < count:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{count} validators never all held a lease at the {name!r} auth_service")
                await asyncio.sleep(0.1)
        for round_number in range(sizes.rounds):
            order = list(VALIDATORS) if round_number % 2 == 0 else list(reversed(VALIDATORS))
            for name in order:
                for _ in range(calls_per_round):
                    started = time.perf_counter()
                    reply = await revoke(name)
                    latencies[name].append(time.perf_counter() - started)
                    acknowledged[name].add(reply.receipt.validators_acknowledged)
                    if reply.receipt.validators_expired:
                        raise RuntimeError(f"a validator's lease expired during the {name!r} rounds: {reply.receipt}")
    subject, baseline = median(latencies["four"]), median(latencies["one"])
    ratio = subject / baseline
    goal, met = at_most(ratio, GOAL)
    return [
        Row(
            "11. revocation latency, 4 validators / 1 (p50)",
            f"{ms(subject)} p50, p99 {ms(percentile(latencies['four'], 99))}",
            f"{ms(baseline)} p50, p99 {ms(percentile(latencies['one'], 99))}",
            ratio,
            goal,
            met,
            {
                "four_validators_p50_s": subject,
                "one_validator_p50_s": baseline,
                "four_validators_p99_s": percentile(latencies["four"], 99),
                "one_validator_p99_s": percentile(latencies["one"], 99),
                "validators_acknowledged_seen": {name: sorted(seen) for name, seen in acknowledged.items()},
                "calls_per_round": calls_per_round,
                "rounds": sizes.rounds,
            },
        )
    ]
