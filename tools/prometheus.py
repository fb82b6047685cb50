"""A real Prometheus server (Debian's `prometheus`) scraping the suite.

Used by tests/e2e/test_prometheus.py, tests/e2e/test_dashboards.py, tools/revocation_latency.py and
tools/dashboard_charts.py to read figures the way a dashboard does: with PromQL over scraped metrics
(and, given deploy/prometheus's rule files, over the series they record).
"""

from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

BINARY = "prometheus"


def available() -> bool:
    return shutil.which(BINARY) is not None


def scrape_config(targets: Mapping[str, str], interval_seconds: float, rule_files: Sequence[pathlib.Path] = ()) -> str:
    """prometheus.yml for one job per process; `targets` maps job name to its /metrics URL. `rule_files`
    (deploy/prometheus/*.rules.yml) are evaluated every `interval_seconds` too."""
    interval = f"{int(interval_seconds * 1000)}ms"
    lines = ["global:", f"  scrape_interval: {interval}", f"  evaluation_interval: {interval}"]
    if rule_files:
        lines += ["rule_files:", *(f"  - '{path}'" for path in rule_files)]
    lines.append("scrape_configs:")
    for job, url in targets.items():
        parsed = urllib.parse.urlparse(url)
        lines += [
            f"  - job_name: {job}",
            f"    metrics_path: {parsed.path or '/metrics'}",
            "    static_configs:",
            f"      - targets: ['{parsed.netloc}']",
        ]
    return "\n".join(lines) + "\n"


class PrometheusClient:
    """Prometheus's HTTP API at `url`."""

    def __init__(self, url: str, poll_seconds: float = 0.5) -> None:
        self.url = url.rstrip("/")
        self.poll_seconds = poll_seconds

    def api(self, path: str, params: Mapping[str, str | float]) -> Any:
        """GET /api/v1/`path`: its `data`; RuntimeError with Prometheus's own message when it refuses."""
        url = f"{self.url}/api/v1/{path}?" + urllib.parse.urlencode(params)
        try:
            with urllib.request.urlopen(url, timeout=10) as reply:
                body = json.loads(reply.read())
        except urllib.error.HTTPError as error:  # 400 bad_data, 422 execution: the body says why
            body = json.loads(error.read() or b"{}")
        if body.get("status") != "success":
            raise RuntimeError(f"{path} failed: {body.get('errorType')}: {body.get('error')}")
        return body["data"]

    def query(self, promql: str) -> list[dict[str, Any]]:
        """The instant vector `promql` evaluates to now."""
        return list(self.api("query", {"query": promql})["result"])

    def query_range(self, promql: str, start: float, end: float, step: float) -> list[dict[str, Any]]:
        """The matrix `promql` evaluates to from `start` to `end` (Unix seconds), every `step` seconds."""
        return list(self.api("query_range", {"query": promql, "start": start, "end": end, "step": step})["result"])

    def scalar(self, promql: str) -> float | None:
        result = self.query(promql)
        return float(result[0]["value"][1]) if result else None

    def wait_for(self, promql: str, predicate: Any, timeout: float = 20.0) -> float:
        """Poll until `promql` gives a value that satisfies `predicate`; return it."""
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = self.scalar(promql)
            if value is not None and predicate(value):
                return value
            time.sleep(self.poll_seconds)
        raise TimeoutError(f"{promql} stayed at {value}")


class PrometheusServer(PrometheusClient):
    """Debian's `prometheus` binary on 127.0.0.1:`port`, scraping `targets`, its data in `workdir`."""

    def __init__(
        self,
        targets: Mapping[str, str],
        workdir: pathlib.Path,
        port: int,
        interval_seconds: float = 1.0,
        rule_files: Sequence[pathlib.Path] = (),
    ) -> None:
        super().__init__(f"http://127.0.0.1:{port}", interval_seconds / 2)
        self.targets = dict(targets)
        self.rule_files = list(rule_files)
        self.workdir = workdir
        self.port = port
        self.interval = interval_seconds
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        config = self.workdir / "prometheus.yml"
        config.write_text(scrape_config(self.targets, self.interval, self.rule_files))
        with open(self.workdir / "prometheus.log", "wb") as log:
            self.process = subprocess.Popen(
                [
                    BINARY,
                    f"--config.file={config}",
                    f"--storage.tsdb.path={self.workdir / 'tsdb'}",
                    f"--web.listen-address=127.0.0.1:{self.port}",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process.wait()
                raise RuntimeError(f"prometheus exited: {(self.workdir / 'prometheus.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/-/ready", timeout=1) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("prometheus did not become ready in 30 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> PrometheusServer:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
