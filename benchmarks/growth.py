"""Benchmark 4: does validation slow down as stored sessions grow (1,000 vs 1,000,000)?"""

from __future__ import annotations

import os
import pathlib
import time
from typing import Any

from benchmarks import seeding
from benchmarks.harness import Row, ServerProcess, Sizes, Validation, at_least, interleaved, rate_median

GOAL = 0.9


async def _compare(
    name: str, small: int, large: int, specs: tuple[dict[str, Any], dict[str, Any]], sizes: Sizes, seed_seconds: float
) -> Row:
    with ServerProcess(specs[0]) as few, ServerProcess(specs[1]) as many:
        clients = {
            "few": Validation(few.address, few.info["token"]),
            "many": Validation(many.address, many.info["token"]),
        }
        try:
            samples = await interleaved(clients, 16, sizes.round_seconds, sizes.rounds)
        finally:
            for client in clients.values():
                await client.close()
    subject, baseline = rate_median(samples["many"]), rate_median(samples["few"])
    ratio = subject / baseline
    goal, met = at_least(ratio, GOAL)
    return Row(
        f"4. ValidateToken {name}, {large:,} vs {small:,} sessions",
        f"{subject:,.0f}/s",
        f"{baseline:,.0f}/s",
        ratio,
        goal,
        met,
        {
            "database": name,
            "small_sessions": small,
            "large_sessions": large,
            "large_calls_per_s": subject,
            "small_calls_per_s": baseline,
            "seed_seconds": seed_seconds,
            "concurrency": 16,
            "rounds": sizes.rounds,
            "round_seconds": sizes.round_seconds,
        },
    )


async def cost_growth(sizes: Sizes, tmp: pathlib.Path) -> list[Row]:
    small, large = (1_000, 10_000) if sizes.quick else (1_000, 1_000_000)
    rows = []
    started = time.perf_counter()
    paths = [str(tmp / f"growth_{n}.db") for n in (small, large)]
    for path, n in zip(paths, (small, large), strict=True):
        seeding.seed_sqlite(path, n)
    seeded = time.perf_counter() - started
    specs = ({"kind": "auth", "db_url": f"sqlite:///{paths[0]}"}, {"kind": "auth", "db_url": f"sqlite:///{paths[1]}"})
    rows.append(await _compare("SQLite", small, large, specs, sizes, seeded))
    if not seeding.postgres_available():
        rows.append(
            Row(
                f"4. ValidateToken PostgreSQL, {large:,} vs {small:,} sessions",
                "not run: no PostgreSQL at 127.0.0.1:5432",
                "-",
                None,
            )
        )
        return rows
    schemas = [f"bench_{os.getpid()}_{n}" for n in (small, large)]
    try:
        started = time.perf_counter()
        urls = [seeding.seed_postgres(schema, n) for schema, n in zip(schemas, (small, large), strict=True)]
        seeded = time.perf_counter() - started
        specs = ({"kind": "auth", "db_url": urls[0]}, {"kind": "auth", "db_url": urls[1]})
        rows.append(await _compare("PostgreSQL", small, large, specs, sizes, seeded))
    finally:
        for schema in schemas:
            seeding.drop_postgres(schema)
    return rows
