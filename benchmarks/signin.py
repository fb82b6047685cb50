"""Benchmark 6: SignIn RPCs per second against the bare argon2id verification rate.

SignIn runs on a real auth server (separate process, fake device registry) at
concurrency 4; the baseline is common.passwords.verify_secret on 2 threads with
the same parameters, in rounds interleaved with the sign-in rounds.
"""

from __future__ import annotations

import asyncio
import itertools
import pathlib
import threading
import time

from grpc import aio
from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc

from benchmarks.harness import Row, ServerProcess, Sizes, channel, closed_loop, median
from common import passwords

CONCURRENCY = 4
THREADS = 2


def _argon2_rate(stored_hash: str, password: str, seconds: float) -> float:
    """Verifications per second on THREADS threads, each verifying back to back."""
    counts = [0] * THREADS
    deadline = time.perf_counter() + seconds

    def work(slot: int) -> None:
        while time.perf_counter() < deadline:
            assert passwords.verify_secret(stored_hash, password)
            counts[slot] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(slot,)) for slot in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - started)


async def failed_sign_in_timing(sizes: Sizes, tmp: pathlib.Path) -> Row:
    """A wrong password and an unknown email should take about as long (and answer the same): each pays
    one argon2id verification. A throttled account is refused before any argon2 work, so it is far faster
    (and answers RESOURCE_EXHAUSTED, the same for an unknown email throttled alike). One attempt at a time,
    the three kinds interleaved; medians in milliseconds."""
    accounts = 3 if sizes.quick else 10
    spec = {"kind": "auth", "db_url": f"sqlite:///{tmp / 'failed.db'}", "signin_accounts": accounts + 1}
    samples: dict[str, list[float]] = {"wrong_password": [], "unknown_email": [], "throttled": []}
    with ServerProcess(spec) as auth:
        emails = list(auth.info["signin_emails"])
        throttled_email, wrong_emails = emails[0], emails[1:]
        auth_channel = channel(auth.address)
        stub = auth_pb2_grpc.AuthServiceStub(auth_channel)
        device = auth_pb2.Device(client_id="bench-failed", name="Bench", type=auth_pb2.DEVICE_TYPE_TV)

        async def attempt(email: str) -> float:
            started = time.perf_counter()
            try:
                await stub.SignIn(
                    auth_pb2.SignInRequest(email=email, password="not the password", device=device), timeout=30
                )
            except aio.AioRpcError as error:
                assert error.code().name in ("UNAUTHENTICATED", "RESOURCE_EXHAUSTED"), error
            return time.perf_counter() - started

        try:
            for _ in range(6):  # past the threshold: this account is throttled from here on
                await attempt(throttled_email)
            for n in range(4 * len(wrong_emails)):  # 4 wrong passwords per account stay under the threshold
                samples["wrong_password"].append(await attempt(wrong_emails[n % len(wrong_emails)]))
                samples["unknown_email"].append(await attempt(f"nobody-{n}@example.com"))
                samples["throttled"].append(await attempt(throttled_email))
        finally:
            await auth_channel.close()
    wrong, unknown, throttled = (median(samples[k]) for k in ("wrong_password", "unknown_email", "throttled"))
    return Row(
        "6. failed sign-in: unknown email | throttled (no argon2) vs wrong password",
        f"{unknown * 1000:.1f} | {throttled * 1000:.1f} ms p50",
        f"{wrong * 1000:.1f} ms p50",
        unknown / wrong,
        "- (reported)",
        None,
        {
            "p50_s": {"wrong_password": wrong, "unknown_email": unknown, "throttled": throttled},
            "samples": len(samples["wrong_password"]),
        },
    )


async def sign_in_throughput(sizes: Sizes, tmp: pathlib.Path) -> list[Row]:
    seconds = 0.5 if sizes.quick else 3.0
    spec = {"kind": "auth", "db_url": f"sqlite:///{tmp / 'signin.db'}", "signin_accounts": CONCURRENCY}
    sign_in_rates: list[float] = []
    argon2_rates: list[float] = []
    with ServerProcess(spec) as auth:
        password = auth.info["password"]
        stored_hash = passwords.hash_secret(password)
        emails = itertools.cycle(auth.info["signin_emails"])
        auth_channel = channel(auth.address)
        stub = auth_pb2_grpc.AuthServiceStub(auth_channel)
        device = auth_pb2.Device(client_id="bench-signin", name="Bench", type=auth_pb2.DEVICE_TYPE_TV)

        async def sign_in() -> object:
            request = auth_pb2.SignInRequest(
                email=next(emails), password=password, device=device, ip_address="127.0.0.1"
            )
            return await stub.SignIn(request, timeout=30)

        try:
            await closed_loop(sign_in, CONCURRENCY, min(seconds, 1.0))  # warm-up
            for r in range(sizes.rounds):
                for kind in ("sign_in", "argon2") if r % 2 == 0 else ("argon2", "sign_in"):
                    if kind == "sign_in":
                        sign_in_rates.append((await closed_loop(sign_in, CONCURRENCY, seconds)).rate)
                    else:
                        argon2_rates.append(await asyncio.to_thread(_argon2_rate, stored_hash, password, seconds))
        finally:
            await auth_channel.close()
    subject, baseline = median(sign_in_rates), median(argon2_rates)
    throughput = Row(
        f"6. SignIn c={CONCURRENCY} vs argon2id verify x{THREADS} threads",
        f"{subject:,.1f}/s",
        f"{baseline:,.1f}/s",
        subject / baseline,
        "- (reported)",
        None,
        {
            "sign_ins_per_s": subject,
            "argon2_verifies_per_s": baseline,
            "concurrency": CONCURRENCY,
            "threads": THREADS,
            "memory_kib": passwords.MEMORY_KIB,
            "time_cost": passwords.TIME_COST,
            "parallelism": passwords.PARALLELISM,
            "rounds": sizes.rounds,
            "round_seconds": seconds,
        },
    )
    return [throughput, await failed_sign_in_timing(sizes, tmp)]
