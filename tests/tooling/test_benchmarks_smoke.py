"""`python -m benchmarks --quick` runs every benchmark to the end and writes its JSON.

A smoke test only: it checks that each of the eleven benchmarks produced numbers,
never how fast anything is.
"""

from __future__ import annotations

import json
import math
import pathlib
import subprocess
import sys

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
BENCHMARKS = {
    "validation_vs_echo",
    "sign_out_all_latency",
    "revocation_push",
    "cost_growth",
    "metrics_overhead",
    "sign_in_throughput",
    "replica_scaling",
    "stream_memory",
    "gateway_push",
    "edge_session_vs_json",
    "acknowledgement_latency",
}


def test_the_quick_benchmark_run_reports_numbers_for_all_eleven_benchmarks(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--out", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr[-4000:]

    report = json.loads(out.read_text())
    assert set(report["benchmarks"]) == BENCHMARKS
    assert report["machine"]["cores"] >= 1 and report["machine"]["grpcio"] and report["date"]
    for name, rows in report["benchmarks"].items():
        ratios = [row["ratio"] for row in rows if row["ratio"] is not None]
        assert ratios, f"{name} produced no ratio: {rows}"
        assert all(isinstance(r, float) and math.isfinite(r) and r > 0 for r in ratios), (name, ratios)
    header = run.stdout.splitlines()[0].split("|")
    assert [cell.strip() for cell in header] == ["benchmark", "subject", "baseline", "ratio", "goal", "met?"]
