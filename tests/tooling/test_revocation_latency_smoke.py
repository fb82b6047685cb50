"""`python -m tools.revocation_latency --calls 10` starts the suite and Prometheus, makes ten sign-outs,
prints p50/p99 from Prometheus and from the client for every scope, and writes its PNG chart.

A smoke test only: it checks that the figures exist and agree with each other, never how fast anything is.
"""

from __future__ import annotations

import math
import pathlib
import re
import subprocess
import sys

from tests.support import require_service
from tools import prometheus

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
CALLS = 10
ROW = re.compile(r"^(session|device|all_others|all|every scope)\s+(\d+)\s+(\d+)" + r"\s+([\d.]+)" * 4 + "$")


def test_ten_sign_outs_give_p50_and_p99_from_prometheus_and_the_client_and_a_chart(tmp_path: pathlib.Path) -> None:
    if not prometheus.available():
        require_service("Debian's prometheus is not installed (make test installs it)")
    chart = tmp_path / "charts" / "latency.png"
    run = subprocess.run(
        [sys.executable, "-m", "tools.revocation_latency", "--calls", str(CALLS), "--chart", str(chart)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr[-4000:]
    assert run.stdout.startswith(f"$ python -m tools.revocation_latency --calls {CALLS} --chart {chart}\n")
    rows = {match[1]: match.groups()[1:] for line in run.stdout.splitlines() if (match := ROW.match(line))}
    assert set(rows) == {"session", "device", "all", "all_others", "every scope"}, run.stdout
    calls = {scope: int(row[0]) for scope, row in rows.items()}
    assert calls == {"session": 3, "device": 3, "all": 2, "all_others": 2, "every scope": CALLS}
    assert {scope: int(row[1]) for scope, row in rows.items()} == calls  # Prometheus counted every one
    for scope, (_, _, *cells) in rows.items():
        prom_p50, prom_p99, client_p50, client_p99 = figures = [float(cell) for cell in cells]
        assert all(math.isfinite(figure) and figure > 0 for figure in figures), (scope, figures)
        assert prom_p50 <= prom_p99 and client_p50 <= client_p99, (scope, figures)
    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and chart.stat().st_size > 10_000
