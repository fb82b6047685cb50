"""python -m benchmarks [--quick] [--out benchmarks/results/latest.json]: run all eleven, print a table, write JSON."""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import pathlib
import platform
import sys
import tempfile
import time
import traceback
from typing import Any

import grpc

from benchmarks.acknowledgement import acknowledgement_latency
from benchmarks.edge import edge_session_vs_json
from benchmarks.gateway_push import gateway_push, stream_memory
from benchmarks.growth import cost_growth
from benchmarks.harness import REPO_ROOT, Row, Sizes
from benchmarks.push import revocation_push
from benchmarks.replicas import replica_scaling
from benchmarks.signin import sign_in_throughput
from benchmarks.signout import sign_out_all_latency
from benchmarks.token_verification import verification_row
from benchmarks.validation import metrics_overhead, validation_vs_echo

NAMES = {
    "1": "validation_vs_echo",
    "2": "sign_out_all_latency",
    "3": "revocation_push",
    "4": "cost_growth",
    "5": "metrics_overhead",
    "6": "sign_in_throughput",
    "7": "replica_scaling",
    "8": "stream_memory",
    "9": "gateway_push",
    "10": "edge_session_vs_json",
    "11": "acknowledgement_latency",
}
DEFAULT_OUT = REPO_ROOT / "benchmarks" / "results" / "latest.json"


def selected(only: str) -> set[str]:
    """The benchmarks `--only` names: "1,10" (with commas), "10" (one benchmark), or "14" (one digit each)."""
    if "," in only or only in NAMES:
        return {part.strip() for part in only.split(",") if part.strip()}
    return set(only)


async def run_all(sizes: Sizes, tmp: pathlib.Path, only: set[str]) -> dict[str, list[Row]]:
    results: dict[str, list[Row]] = {}

    async def step(key: str, coroutine_factory: Any) -> None:
        if key not in only:
            return
        started = time.perf_counter()
        print(f"running {key}. {NAMES[key]} ...", file=sys.stderr, flush=True)
        try:
            results[NAMES[key]] = await coroutine_factory()
        except Exception as error:
            traceback.print_exc()
            results[NAMES[key]] = [
                Row(
                    f"{key}. {NAMES[key]}",
                    f"FAILED: {type(error).__name__}",
                    "-",
                    None,
                    details={"error": str(error)[:2000]},
                )
            ]
        print(f"  done in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)

    echo_p99 = float("nan")

    async def one() -> list[Row]:
        nonlocal echo_p99
        rows, echo_p99 = await validation_vs_echo(sizes, tmp)
        return [*rows, verification_row(sizes)]

    await step("1", one)
    await step("5", lambda: metrics_overhead(sizes, tmp))
    await step("3", lambda: revocation_push(sizes, tmp, echo_p99))
    await step("6", lambda: sign_in_throughput(sizes, tmp))
    await step("2", lambda: sign_out_all_latency(sizes, tmp))
    await step("4", lambda: cost_growth(sizes, tmp))
    await step("7", lambda: replica_scaling(sizes, tmp))
    await step("8", lambda: stream_memory(sizes, tmp))
    await step("9", lambda: gateway_push(sizes, tmp))
    await step("10", lambda: edge_session_vs_json(sizes, tmp))
    await step("11", lambda: acknowledgement_latency(sizes, tmp))
    return {NAMES[k]: results[NAMES[k]] for k in sorted(NAMES) if NAMES[k] in results}


def table(results: dict[str, list[Row]]) -> str:
    header = ("benchmark", "subject", "baseline", "ratio", "goal", "met?")
    lines = [header]
    for rows in results.values():
        for row in rows:
            met = "-" if row.met is None else ("yes" if row.met else "NO (missed)")
            ratio = "-" if row.ratio is None else f"{row.ratio:.3f}"
            lines.append((row.benchmark, row.subject, row.baseline, ratio, row.goal, met))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = [" | ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines]
    out.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(out)


def machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "grpcio": grpc.__version__,
        "platform": platform.platform(),
        "processor": platform.machine(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, a few seconds each (the smoke test)")
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT, help="where to write the JSON results")
    parser.add_argument(
        "--only",
        default="1,2,3,4,5,6,7,8,9,10,11",
        help="which benchmarks to run: numbers with commas (1,10), or digits (14: 1 and 4) (default: all)",
    )
    args = parser.parse_args(argv)
    sizes = Sizes.for_run(args.quick)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="remotesignout-bench-") as tmp:
        results = asyncio.run(run_all(sizes, pathlib.Path(tmp), selected(args.only)))
    elapsed = time.perf_counter() - started
    printed = table(results)
    print(printed)
    print(f"\n{'quick' if args.quick else 'full'} run, {elapsed:.0f} s; machine: {machine()}")
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": "python -m benchmarks" + (" --quick" if args.quick else ""),
        "quick": args.quick,
        "seconds": elapsed,
        "machine": machine(),
        "table": printed,
        "benchmarks": {name: [row.as_dict() for row in rows] for name, rows in results.items()},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, allow_nan=False, default=_number) + "\n")
    print(f"results written to {args.out}")
    failed = [row.benchmark for rows in results.values() for row in rows if row.subject.startswith("FAILED")]
    return 1 if failed else 0


def _number(value: object) -> object:
    return str(value)


if __name__ == "__main__":
    sys.exit(main())
