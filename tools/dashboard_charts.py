"""The Grafana dashboards drawn as PNGs from a real Prometheus, for where no Grafana runs (review, CI artifacts).

    .venv/bin/python -m tools.dashboard_charts --with-suite [--seconds 480 --warm-up 300]
    .venv/bin/python -m tools.dashboard_charts --prometheus http://127.0.0.1:9090 [--minutes 60]

For each dashboard of deploy/grafana/dashboards/ it runs every panel's queries as query_range (each
variable at "All", `$__rate_interval` a fixed window) and draws the panels where the dashboard places them
on Grafana's 24-column grid, with matplotlib, into artifacts/charts/<dashboard>.png. `--with-suite` starts
the suite on free ports with its stale-accept canary (tools.supervisor, the canary package), a Prometheus
scraping them every second with the rule files of deploy/prometheus/ (tools.prometheus) and tools.traffic
for `--seconds` (wrong passwords every 3 minutes, an event stream held open throughout), then draws the run
after its first `--warm-up` seconds: the recorded series are 5-minute rates, which climb for 5 minutes.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import pathlib
import re
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure  # no pyplot: no display, no global state
from matplotlib.ticker import FuncFormatter

from tools.json_http import call
from tools.prometheus import PrometheusClient, PrometheusServer
from tools.supervisor import REPO_ROOT, Suite, SuiteConfig, free_ports
from tools.traffic import PASSWORD, drive, hold_event_stream

DASHBOARDS = REPO_ROOT / "deploy" / "grafana" / "dashboards"
RULE_FILES = (REPO_ROOT / "deploy/prometheus/recording.rules.yml", REPO_ROOT / "deploy/prometheus/alerts.rules.yml")
OUTPUT = REPO_ROOT / "artifacts" / "charts"
GRID_UNIT_INCHES = 0.42
HEADER_INCHES = 0.9
WIDTH_INCHES = 20.0
MAX_LEGEND = 8
"""Series named in a panel's legend at most (the largest last values); the rest are drawn unnamed."""


@dataclass(frozen=True)
class Unit:
    """How a Grafana unit is shown: values multiplied by `scale`, `suffix` on the axis."""

    scale: float
    suffix: str


UNITS = {
    "s": Unit(1000.0, "ms"),
    "percentunit": Unit(100.0, "%"),
    "bytes": Unit(1 / 2**20, "MiB"),
    "reqps": Unit(1.0, "req/s"),
    "ops": Unit(1.0, "/s"),
}
PLAIN = Unit(1.0, "")


@dataclass
class Series:
    name: str
    times: list[float]
    """Unix seconds."""
    values: list[float]


def concrete(expr: str, variables: list[str], rate_interval: str) -> str:
    """The query Grafana would send with every variable at "All" (`.*`)."""
    expr = expr.replace("$__rate_interval", rate_interval)
    for name in sorted(variables, key=len, reverse=True):
        expr = expr.replace(f"${{{name}}}", ".*").replace(f"${name}", ".*")
    return expr


def legend(template: str, labels: dict[str, str]) -> str:
    """Grafana's legendFormat: each {{label}} replaced by that label's value."""
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda match: labels.get(match.group(1), ""), template).strip()


def fetch(
    prometheus: PrometheusClient,
    panel: dict[str, Any],
    variables: list[str],
    window: tuple[float, float, float],
    rate: str,
) -> list[Series]:
    found: list[Series] = []
    for target in panel.get("targets", []):
        start, end, step = window
        for result in prometheus.query_range(concrete(target["expr"], variables, rate), start, end, step):
            points = [(float(t), float(v)) for t, v in result["values"]]
            name = legend(target.get("legendFormat", ""), result["metric"]) or str(result["metric"])
            found.append(Series(name, [t for t, _ in points], [v for _, v in points]))
    return found


def _last(series: Series) -> float:
    finite = [value for value in series.values if value == value]  # NaN != NaN
    return finite[-1] if finite else 0.0


def draw_timeseries(axes: Axes, panel: dict[str, Any], series: list[Series]) -> None:
    defaults = panel["fieldConfig"]["defaults"]
    unit = UNITS.get(defaults.get("unit", ""), PLAIN)
    ranked = sorted(series, key=_last, reverse=True)
    for index, item in enumerate(ranked):
        axes.plot(
            item.times,
            [value * unit.scale for value in item.values],
            linewidth=1.2,
            label=textwrap.shorten(item.name, 48) if index < MAX_LEGEND else None,
        )
    highest = max((value * unit.scale for item in series for value in item.values if value == value), default=0.0)
    # Room above the highest point: a flat line would otherwise sit on the frame.
    axes.set_ylim(0, defaults["max"] * unit.scale * 1.05 if "max" in defaults else (highest * 1.15 or 1.0))
    top = axes.get_ylim()[1]
    above = []
    for step in defaults["thresholds"]["steps"][1:]:
        value = step["value"] * unit.scale
        if value <= top:
            axes.axhline(value, color=step["color"], linestyle="--", linewidth=1)
        else:
            above.append(f"{value:g}")
    if above:
        text = f"threshold{'s' if len(above) > 1 else ''} {', '.join(above)} {unit.suffix} above".replace("  ", " ")
        axes.text(0.99, 0.97, text, transform=axes.transAxes, ha="right", va="top", fontsize=7, color="red")
    axes.set_ylabel(unit.suffix, fontsize=8)
    axes.xaxis.set_major_formatter(
        FuncFormatter(lambda seconds, _: datetime.fromtimestamp(seconds).strftime("%H:%M:%S"))
    )
    axes.tick_params(labelsize=7)
    axes.grid(alpha=0.3)
    if ranked:
        extra = f" (+{len(ranked) - MAX_LEGEND} more)" if len(ranked) > MAX_LEGEND else ""
        axes.legend(fontsize=6, loc="upper left", ncol=2, framealpha=0.6, title=extra or None, title_fontsize=6)


def draw_stat(axes: Axes, panel: dict[str, Any], series: list[Series]) -> None:
    axes.set_axis_off()
    text = "\n".join(f"{item.name}: {_last(item):g}" for item in series[:MAX_LEGEND])
    axes.text(0.5, 0.5, text, ha="center", va="center", fontsize=14, transform=axes.transAxes)


def draw(
    dashboard: dict[str, Any], fetch_panel: Callable[[dict[str, Any]], list[Series]], caption: str, path: pathlib.Path
) -> None:
    """One PNG: every panel at its gridPos, rows as headings, "No data" where a panel's queries found none."""
    panels = dashboard["panels"]
    height = max(panel["gridPos"]["y"] + panel["gridPos"]["h"] for panel in panels)
    inches = height * GRID_UNIT_INCHES + HEADER_INCHES
    figure = Figure(figsize=(WIDTH_INCHES, inches))
    grid = figure.add_gridspec(
        height, 24, hspace=4.5, wspace=1.2, top=1 - HEADER_INCHES / inches, bottom=0.02, left=0.03, right=0.99
    )
    figure.text(0.03, 1 - 0.3 / inches, dashboard["title"], fontsize=16, fontweight="bold", va="center")
    figure.text(0.03, 1 - 0.62 / inches, caption, fontsize=9, color="dimgrey", va="center")
    for panel in panels:
        place = panel["gridPos"]
        axes = figure.add_subplot(grid[place["y"] : place["y"] + place["h"], place["x"] : place["x"] + place["w"]])
        if panel["type"] == "row":
            axes.set_axis_off()
            axes.text(0, 0.2, panel["title"], fontsize=11, fontweight="bold", transform=axes.transAxes)
            continue
        axes.set_title(textwrap.shorten(panel["title"], 90), fontsize=9, loc="left")
        series = fetch_panel(panel)
        if not series:
            axes.set_xticks([])
            axes.set_yticks([])
            axes.text(0.5, 0.5, "No data", ha="center", va="center", color="grey", transform=axes.transAxes)
        elif panel["type"] == "stat":
            draw_stat(axes, panel, series)
        else:
            draw_timeseries(axes, panel, series)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=80)


def draw_all(prometheus: PrometheusClient, start: float, end: float, rate_interval: str, output: pathlib.Path) -> None:
    window = (start, end, max(1.0, (end - start) / 240))
    for path in sorted(DASHBOARDS.glob("*.json")):
        dashboard = json.loads(path.read_text())
        variables = [variable["name"] for variable in dashboard["templating"]["list"]]
        target = output / f"{path.stem}.png"
        shown = f"{datetime.fromtimestamp(start):%Y-%m-%d %H:%M:%S} to {datetime.fromtimestamp(end):%H:%M:%S}"
        caption = (
            f"Drawn by tools/dashboard_charts.py from Prometheus at {prometheus.url}, {shown}: every variable at All, "
            f"$__rate_interval = {rate_interval}; {path.relative_to(REPO_ROOT)}"
        )
        draw(
            dashboard,
            functools.partial(fetch, prometheus, variables=variables, window=window, rate=rate_interval),
            caption,
            target,
        )
        print(f"wrote {target}")


WRONG_PASSWORDS_EVERY = 180.0
"""Seconds between two bursts of wrong passwords: the sign-in throttle's panels get something, and the
per-address throttle (20 new-device sign-ins, one more a minute) is not exhausted for the good traffic."""


def with_suite(seconds: float, warm_up: float, output: pathlib.Path) -> None:
    """The suite, a Prometheus with the rules and `seconds` of traffic; then the charts after `warm_up`."""
    with tempfile.TemporaryDirectory() as folder:
        root = pathlib.Path(folder)
        # Every round signs new devices in from 127.0.0.1: the per-address throttle would refuse them all.
        config = dataclasses.replace(
            SuiteConfig.on_free_ports(root / "data", {"GRACE_SECONDS": "2", "SOURCE_THROTTLE_AFTER": "1000000"}),
            canary_metrics_port=free_ports(1)[0],  # the stale-accept canary too (job canary), as `make run` starts it
        )
        with (
            Suite(config, log_dir=root / "logs"),
            PrometheusServer(
                config.metrics_urls(), root / "prometheus", free_ports(1)[0], 1.0, RULE_FILES
            ) as prometheus,
        ):
            start = time.time()
            base = config.gateway_url
            call(base, "POST", "/v1/accounts", {"email": "charts@example.com", "password": PASSWORD})
            device = {"client_id": "charts-tv", "name": "TV", "type": "tv"}
            viewer = call(
                base, "POST", "/v1/sign-in", {"email": "charts@example.com", "password": PASSWORD, "device": device}
            )
            opened = threading.Event()
            stream = threading.Thread(
                target=hold_event_stream, args=(base, viewer.body["access_token"], opened, seconds + 30)
            )
            stream.start()
            rounds = 0
            last_wrong = 0.0
            while time.time() - start < seconds:
                wrong = time.time() - last_wrong >= WRONG_PASSWORDS_EVERY
                last_wrong = time.time() if wrong else last_wrong
                counts = drive(base, rounds=1, wrong_passwords=wrong)
                rounds += 1
                if counts.unexpected:
                    print("unexpected answers:", counts.unexpected)
                time.sleep(2)
            call(base, "POST", "/v1/sign-out", token=viewer.body["access_token"])
            stream.join(10)
            time.sleep(5)  # one more scrape and rule evaluation after the last call
            print(f"{rounds} rounds of traffic in {time.time() - start:.0f} s")
            draw_all(prometheus, min(start + warm_up, time.time() - 60), time.time(), "30s", output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--with-suite", action="store_true", help="start the suite, Prometheus and traffic here")
    source.add_argument("--prometheus", metavar="URL", help="a running Prometheus with deploy/prometheus's rules")
    parser.add_argument("--seconds", type=float, default=480.0, help="--with-suite: how long to drive traffic")
    parser.add_argument("--warm-up", type=float, default=300.0, help="--with-suite: seconds not drawn")
    parser.add_argument("--minutes", type=float, default=60.0, help="--prometheus: how far back to draw")
    parser.add_argument("--rate-interval", default="1m", help="--prometheus: what $__rate_interval becomes")
    parser.add_argument("--output", type=pathlib.Path, default=OUTPUT)
    args = parser.parse_args()
    if args.with_suite:
        with_suite(args.seconds, args.warm_up, args.output)
        return
    end = time.time()
    draw_all(PrometheusClient(args.prometheus), end - 60 * args.minutes, end, args.rate_interval, args.output)


if __name__ == "__main__":
    main()
