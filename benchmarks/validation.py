"""Benchmarks 1 and 5: ValidateToken on a real auth server against an echo server, and metrics on/off."""

from __future__ import annotations

import pathlib

from benchmarks.harness import (
    Row,
    ServerProcess,
    Sizes,
    Validation,
    at_least,
    interleaved,
    latency_medians,
    ms,
    rate_median,
)

CONCURRENCY = (1, 16, 64)
GOAL_VS_ECHO = 0.8
GOAL_METRICS = 0.97


async def validation_vs_echo(sizes: Sizes, tmp: pathlib.Path) -> tuple[list[Row], float]:
    """Rows per concurrency, and the echo p99 at concurrency 1 (benchmark 3's baseline)."""
    rows: list[Row] = []
    echo_p99_c1 = float("nan")
    spec = {"kind": "auth", "db_url": f"sqlite:///{tmp / 'validation.db'}"}
    with ServerProcess(spec) as auth, ServerProcess({"kind": "echo"}) as echo:
        clients = {
            "validate": Validation(auth.address, auth.info["token"]),
            "echo": Validation(echo.address, echo.info["token"]),
        }
        try:
            for concurrency in CONCURRENCY:
                samples = await interleaved(clients, concurrency, sizes.round_seconds, sizes.rounds)
                subject, baseline = rate_median(samples["validate"]), rate_median(samples["echo"])
                (s50, s99), (b50, b99) = latency_medians(samples["validate"]), latency_medians(samples["echo"])
                if concurrency == 1:
                    echo_p99_c1 = b99
                ratio = subject / baseline
                goal, met = at_least(ratio, GOAL_VS_ECHO)
                rows.append(
                    Row(
                        f"1. ValidateToken vs echo, c={concurrency}",
                        f"{subject:,.0f}/s p99 {ms(s99)}",
                        f"{baseline:,.0f}/s p99 {ms(b99)}",
                        ratio,
                        goal,
                        met,
                        {
                            "concurrency": concurrency,
                            "validate_calls_per_s": subject,
                            "echo_calls_per_s": baseline,
                            "validate_p50_s": s50,
                            "validate_p99_s": s99,
                            "echo_p50_s": b50,
                            "echo_p99_s": b99,
                            "rounds": sizes.rounds,
                            "round_seconds": sizes.round_seconds,
                        },
                    )
                )
        finally:
            for client in clients.values():
                await client.close()
    return rows, echo_p99_c1


async def metrics_overhead(sizes: Sizes, tmp: pathlib.Path) -> list[Row]:
    on = {"kind": "auth", "db_url": f"sqlite:///{tmp / 'metrics_on.db'}", "metrics": True}
    off = {"kind": "auth", "db_url": f"sqlite:///{tmp / 'metrics_off.db'}", "metrics": False}
    with ServerProcess(on) as with_metrics, ServerProcess(off) as without:
        clients = {
            "on": Validation(with_metrics.address, with_metrics.info["token"]),
            "off": Validation(without.address, without.info["token"]),
        }
        try:
            samples = await interleaved(clients, 16, sizes.round_seconds, sizes.rounds * 2)
        finally:
            for client in clients.values():
                await client.close()
    subject, baseline = rate_median(samples["on"]), rate_median(samples["off"])
    ratio = subject / baseline
    goal, met = at_least(ratio, GOAL_METRICS)
    return [
        Row(
            "5. metrics=True vs False, c=16",
            f"{subject:,.0f}/s",
            f"{baseline:,.0f}/s",
            ratio,
            goal,
            met,
            {
                "metrics_on_calls_per_s": subject,
                "metrics_off_calls_per_s": baseline,
                "rounds": sizes.rounds * 2,
                "round_seconds": sizes.round_seconds,
            },
        )
    ]
