"""End-to-end sign-out latency as Prometheus reads it, beside the client's own clock, and its chart.

    python -m tools.revocation_latency [--calls 200] [--chart PATH]
                                       [--gateway-url URL [--prometheus-url URL]]

Unless --gateway-url is given it starts the suite on free ports with a fresh data folder (tools.supervisor,
with the e2e tests' settings), and unless --prometheus-url is given a real Prometheus (tools.prometheus)
scraping the gateway's /metrics every 0.5 s. Through the gateway's public HTTP API only, like any client,
it signs a new account in and makes N sign-outs, their scopes in turn: session (POST /v1/sign-out), device
(another device, POST /v1/devices/{id}/sign-out), all and all_others (POST /v1/sign-out-all), each after the
sign-ins it needs, timing each sign-out call on the client.

Then it reads remotesignout_sign_out_duration_seconds{scope} (job "gateway": a sign-out's arrival until
every validator acknowledged it, or its lease ran out, and every fan-out call answered) back from
Prometheus, counting only what was observed since the run started (the buckets now minus the buckets @ its
start, so an existing suite's earlier sign-outs do not count; other clients' sign-outs meanwhile, such as
the canary's, do): histogram_quantile(0.5 and 0.99) by scope and over every scope, and the bucket counts.
It prints them beside the client's p50/p99 (the whole HTTP call) and draws the bucket counts, stacked by
scope on a log-scale axis, with the p50/p99 lines, to --chart (artifacts/charts/revocation-latency.png).

Prometheus's quantiles are interpolated inside the buckets (common.metrics.LATENCY_BUCKETS), so they are as
coarse as the buckets around them; the client's are exact, and include the HTTP round trip.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import math
import pathlib
import shlex
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from tools.json_http import call
from tools.prometheus import PrometheusServer
from tools.supervisor import REPO_ROOT, Suite, SuiteConfig, free_ports

HISTOGRAM = "remotesignout_sign_out_duration_seconds"
JOB = "gateway"
SCOPES = ("session", "device", "all", "all_others")
EVERY_SCOPE = "every scope"
DEFAULT_CHART = REPO_ROOT / "artifacts" / "charts" / "revocation-latency.png"
PASSWORD = "latency-password-1"
SCRAPE_SECONDS = 0.5
READ_BACK_TIMEOUT_SECONDS = 120.0
"""How long to wait for Prometheus to have scraped every sign-out (an existing one may scrape every 15 s)."""


class GatewayRefused(RuntimeError):
    """A call of the run did not answer as a working suite does."""


# --- driving the gateway ---------------------------------------------------------------------------------


@dataclass
class Driver:
    """Signs one account's devices in and out through the public HTTP API."""

    base: str
    email: str = field(default_factory=lambda: f"latency-{uuid.uuid4().hex[:10]}@example.com")

    def expect(self, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        reply = call(self.base, method, path, body, token=token)
        if not 200 <= reply.status < 300:
            raise GatewayRefused(f"{method} {path} answered {reply.status}: {reply.body}")
        return reply.body

    def create_account(self) -> None:
        self.expect("POST", "/v1/accounts", {"email": self.email, "password": PASSWORD})

    def sign_in(self, client_id: str) -> dict[str, Any]:
        device = {"client_id": client_id, "name": f"Latency {client_id}", "type": "computer"}
        pair: dict[str, Any] = self.expect(
            "POST", "/v1/sign-in", {"email": self.email, "password": PASSWORD, "device": device}
        )
        return pair

    def sign_out(self, scope: str) -> float:
        """One sign-out of `scope` after the sign-ins it needs; the seconds its HTTP call took."""
        token = self.sign_in("latency-main")["access_token"]
        if scope == "session":
            path, body = "/v1/sign-out", None
        elif scope == "device":
            path, body = f"/v1/devices/{self.sign_in('latency-other')['device_id']}/sign-out", None
        elif scope == "all":
            path, body = "/v1/sign-out-all", {"include_current": True}
        else:
            self.sign_in("latency-other")
            path, body = "/v1/sign-out-all", {"include_current": False}
        started = time.perf_counter()
        answer = self.expect("POST", path, body, token=token)
        elapsed = time.perf_counter() - started
        if answer["revocation"]["scope"] != scope:
            raise GatewayRefused(f"{path} revoked scope {answer['revocation']['scope']}, not {scope}")
        return elapsed


def drive(base: str, calls: int) -> dict[str, list[float]]:
    """`calls` sign-outs, scopes in turn; the client's seconds per scope."""
    driver = Driver(base)
    driver.create_account()
    timed: dict[str, list[float]] = {scope: [] for scope in SCOPES}
    for n in range(calls):
        scope = SCOPES[n % len(SCOPES)]
        timed[scope].append(driver.sign_out(scope))
    return timed


# --- reading Prometheus ----------------------------------------------------------------------------------


def query(prometheus_url: str, promql: str) -> list[dict[str, Any]]:
    """The instant vector `promql` evaluates to now, at the Prometheus at `prometheus_url`."""
    url = f"{prometheus_url}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
    with urllib.request.urlopen(url, timeout=10) as reply:
        body = json.loads(reply.read())
    if body.get("status") != "success":
        raise RuntimeError(f"Prometheus refused {promql}: {body}")
    return list(body["data"]["result"])


def since(series: str, by: str, started: float) -> str:
    """`sum by (by)` of `series` now minus at `started` (zero where it did not exist yet)."""
    now = f'sum by ({by}) ({series}{{job="{JOB}"}})'
    then = f'sum by ({by}) ({series}{{job="{JOB}"}} @ {started:.3f})'
    return f"({now} - ({then} or {now} * 0))"


@dataclass
class Readings:
    """What Prometheus says of the sign-outs since `started`."""

    quantiles: dict[str, dict[float, float]]
    """p50/p99 in seconds (histogram_quantile), by scope and for EVERY_SCOPE."""
    counts: dict[str, int]
    """Sign-outs counted, by scope and for EVERY_SCOPE."""
    buckets: dict[str, list[tuple[float, float]]]
    """(upper bound `le`, sign-outs in that bucket alone), by scope, in bucket order; `le` may be inf."""


def read_back(prometheus_url: str, started: float, calls: int) -> Readings:
    """Wait until Prometheus has scraped `calls` sign-outs since `started`, then read them."""
    counted = since(f"{HISTOGRAM}_count", "scope", started)
    deadline = time.monotonic() + READ_BACK_TIMEOUT_SECONDS
    while sum(float(s["value"][1]) for s in query(prometheus_url, counted)) < calls:
        if time.monotonic() > deadline:
            raise TimeoutError(f"Prometheus at {prometheus_url} did not count {calls} sign-outs of job {JOB!r}")
        time.sleep(SCRAPE_SECONDS / 2)
    counts = {s["metric"]["scope"]: round(float(s["value"][1])) for s in query(prometheus_url, counted)}
    counts[EVERY_SCOPE] = sum(counts.values())
    quantiles: dict[str, dict[float, float]] = {}
    for q in (0.5, 0.99):
        for by, key in (("le, scope", None), ("le", EVERY_SCOPE)):
            found = query(prometheus_url, f"histogram_quantile({q}, {since(f'{HISTOGRAM}_bucket', by, started)})")
            for sample in found:
                value = float(sample["value"][1])
                if math.isfinite(value):
                    quantiles.setdefault(key or sample["metric"]["scope"], {})[q] = value
    cumulative: dict[str, list[tuple[float, float]]] = {}
    for sample in query(prometheus_url, since(f"{HISTOGRAM}_bucket", "le, scope", started)):
        cumulative.setdefault(sample["metric"]["scope"], []).append(
            (float(sample["metric"]["le"]), float(sample["value"][1]))
        )
    buckets = {}
    for scope, bounds in cumulative.items():
        bounds.sort()
        buckets[scope] = [(le, count - (bounds[i - 1][1] if i else 0.0)) for i, (le, count) in enumerate(bounds)]
    return Readings(quantiles, counts, buckets)


# --- reporting -------------------------------------------------------------------------------------------


def client_quantiles(seconds: Sequence[float]) -> dict[float, float]:
    if len(seconds) < 2:
        return {0.5: seconds[0], 0.99: seconds[0]} if seconds else {}
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return {0.5: cuts[49], 0.99: cuts[98]}


def ms(quantiles: dict[float, float], q: float) -> str:
    return f"{1000 * quantiles[q]:9.2f}" if q in quantiles else f"{'-':>9s}"


def table(readings: Readings, timed: dict[str, list[float]]) -> list[str]:
    """One row per scope and one for every scope: calls made, sign-outs Prometheus counted, p50/p99 of both."""
    every = [seconds for scope in SCOPES for seconds in timed[scope]]
    rows = [
        "                               Prometheus (gateway)      client (HTTP call)",
        "scope         calls counted    p50 ms    p99 ms      p50 ms    p99 ms",
    ]
    for scope, seconds in [*((scope, timed[scope]) for scope in SCOPES), (EVERY_SCOPE, every)]:
        prom, client = readings.quantiles.get(scope, {}), client_quantiles(seconds)
        counted = readings.counts.get(scope, 0)
        rows.append(
            f"{scope:<12s} {len(seconds):6d} {counted:7d} {ms(prom, 0.5)} {ms(prom, 0.99)}"
            f"   {ms(client, 0.5)} {ms(client, 0.99)}"
        )
    return rows


def draw(
    path: pathlib.Path, readings: Readings, timed: dict[str, list[float]], calls: int, when: datetime.datetime
) -> None:
    """Bucket counts stacked by scope on a log-scale x (ms), p50/p99 lines (Prometheus solid, client dotted)."""
    import matplotlib

    matplotlib.use("Agg")  # no display: a file
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    bounds = sorted({le for bars in readings.buckets.values() for le, _ in bars})
    finite = [le for le in bounds if math.isfinite(le)]
    # Each bucket is drawn over (the bound below, its bound]; the first from a fifth of its bound, +Inf as 2x.
    edges = {le: ((finite[i - 1] if i else le / 5), le) for i, le in enumerate(finite)}
    if bounds and not math.isfinite(bounds[-1]):
        edges[bounds[-1]] = (finite[-1], finite[-1] * 2)
    fig, ax = plt.subplots(figsize=(10, 5.6), dpi=110)
    bottom = dict.fromkeys(bounds, 0.0)
    for scope, colour in zip(SCOPES, ("#4c78a8", "#f58518", "#54a24b", "#b279a2"), strict=True):
        counts = dict(readings.buckets.get(scope, []))
        lefts = [1000 * edges[le][0] for le in bounds]
        widths = [1000 * (edges[le][1] - edges[le][0]) for le in bounds]
        heights = [counts.get(le, 0.0) for le in bounds]
        ax.bar(
            lefts,
            heights,
            widths,
            bottom=[bottom[le] for le in bounds],
            align="edge",
            color=colour,
            edgecolor="white",
            linewidth=0.6,
            label=f"{scope} ({readings.counts.get(scope, 0)})",
        )
        for le, height in zip(bounds, heights, strict=True):
            bottom[le] += height
    every = [seconds for scope in SCOPES for seconds in timed[scope]]
    lines = [
        (readings.quantiles.get(EVERY_SCOPE, {}), "Prometheus", "-"),
        (client_quantiles(every), "client (HTTP call)", ":"),
    ]
    for found, who, style in lines:
        for q, colour in ((0.5, "#222222"), (0.99, "#d62728")):
            if q in found:
                value = 1000 * found[q]
                ax.axvline(
                    value,
                    color=colour,
                    linestyle=style,
                    linewidth=1.8,
                    label=f"p{round(q * 100)} {who}: {value:.2f} ms",
                )
    used = [le for le in bounds if bottom[le] > 0]
    if used:
        ax.set_xlim(1000 * edges[used[0]][0] / 1.5, 1000 * edges[used[-1]][1] * 1.5)
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("sign-out duration at the gateway, ms (log scale; each bar is one histogram bucket)")
    ax.set_ylabel("sign-outs in the bucket")
    ax.set_title(
        f"End-to-end sign-out latency: {calls} sign-outs through the gateway, {when:%Y-%m-%d %H:%M} UTC\n"
        f"{HISTOGRAM}{{scope}} read back from Prometheus",
        fontsize=11,
    )
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, loc="upper right", framealpha=0.9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


# --- running ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def endpoints(args: argparse.Namespace, workdir: pathlib.Path) -> Iterator[tuple[str, str]]:
    """The gateway and Prometheus URLs: the ones given, or a suite and a Prometheus started here."""
    with contextlib.ExitStack() as stack:
        gateway_url = args.gateway_url
        if gateway_url is None:
            config = SuiteConfig.on_free_ports(workdir / "data")  # tests/e2e/conftest.py's local_config
            stack.enter_context(Suite(config, log_dir=workdir / "logs"))
            gateway_url = config.gateway_url
        prometheus_url = args.prometheus_url
        if prometheus_url is None:
            server = PrometheusServer(
                {JOB: f"{gateway_url}/metrics"}, workdir / "prometheus", free_ports(1)[0], SCRAPE_SECONDS
            )
            prometheus_url = stack.enter_context(server).url
        yield gateway_url.rstrip("/"), prometheus_url.rstrip("/")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=200, help="sign-outs to make (default 200)")
    parser.add_argument("--chart", type=pathlib.Path, default=DEFAULT_CHART, help="the PNG to write")
    parser.add_argument("--gateway-url", help="a running gateway (default: start the suite)")
    parser.add_argument("--prometheus-url", help="a Prometheus scraping that gateway as job gateway")
    args = parser.parse_args(argv)
    if args.calls < 1:
        parser.error("--calls must be at least 1")
    if args.prometheus_url and not args.gateway_url:
        parser.error("--prometheus-url needs --gateway-url (the gateway that Prometheus scrapes)")
    command = shlex.join(["python", "-m", "tools.revocation_latency", *(sys.argv[1:] if argv is None else argv)])
    with tempfile.TemporaryDirectory() as tmp, endpoints(args, pathlib.Path(tmp)) as (gateway_url, prometheus_url):
        started = time.time()
        timed = drive(gateway_url, args.calls)
        readings = read_back(prometheus_url, started, args.calls)
    when = datetime.datetime.now(datetime.UTC)
    draw(args.chart, readings, timed, args.calls, when)
    print(f"$ {command}")
    print(f"{args.calls} sign-outs through {gateway_url}, {when:%Y-%m-%d %H:%M} UTC; {HISTOGRAM} from {prometheus_url}")
    print("\n".join(table(readings, timed)))
    print(f"chart: {args.chart}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
