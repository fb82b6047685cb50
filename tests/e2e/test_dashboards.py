"""Every panel of the Grafana dashboards (deploy/grafana/dashboards/) against a real Prometheus scraping the
running suite and its stale-accept canary (job canary), with the rule files of deploy/prometheus/: each query
runs without an error, each variable has values, every rule evaluates cleanly, and the core panels (CORE)
show data once tools.traffic has signed in, signed out in every scope, made caller mistakes, been throttled
and held an event stream.

Grafana's variables become concrete values first: `$__rate_interval` a window, every dashboard variable its
"All" value (`.*`). Panels left out of CORE show data only when something goes wrong (server errors, fan-out
failures, lease expirations, refusals, closed streams, PIN lock-outs).
"""

from __future__ import annotations

import dataclasses
import json
import pathlib
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support import free_port, require_service
from tools import prometheus as prom
from tools.supervisor import Suite, SuiteConfig
from tools.traffic import drive

REPO = pathlib.Path(__file__).resolve().parents[2]
DASHBOARDS = {
    path.stem: json.loads(path.read_text()) for path in sorted((REPO / "deploy/grafana/dashboards").glob("*.json"))
}
RULE_FILES = (REPO / "deploy/prometheus/recording.rules.yml", REPO / "deploy/prometheus/alerts.rules.yml")
RATE_INTERVAL = "2m"
ALL = ".*"
DATA_TIMEOUT = 45.0

CORE = {
    "revocation": {
        "Sign-out latency by scope",
        "Sign-outs per second by scope",
        "Latency SLO burn rate (99.9% of sign-outs under 250 ms)",
        "Server-error SLO burn rate (99.9% of calls without a server error)",
        "Commit latency by scope",
        "Waiting for validators (receipt: waited_ms)",
        "Acknowledgements by validator (receipt: validators_acknowledged)",
        "Time to acknowledge by validator (p99)",
        "Validators holding a lease",
        "Validator current (1) or refusing tokens (0)",
        "Validator lag (revocations known, not applied)",
        "Oldest revocation not applied yet",
        "Delivered revocations checked against the feed",
        "Stale accepts (must stay 0)",
        "Propagation (p99)",
        "Runs by outcome",
    },
    "services": {
        "Calls per second",
        "Server-error ratio",
        "Latency of unary calls",
        "Answers by status code",
        "Calls per second by RPC",
        "Latency by RPC (p99)",
        "Caller mistakes and refusals by RPC and code",
        "Client calls per second by RPC",
        "Client latency by RPC (p99)",
        "Targets up",
        "Resident memory",
        "CPU",
    },
    "edge": {
        "Requests per second by status class",
        "Requests per second by route and status class",
        "Latency by route",
        "Client mistakes (4xx) by route",
        "Unknown paths (404, route unmatched)",
        "Open event streams",
        "Streams opened per second",
        "Sign-ins throttled by reason",
        "Calls refused as RESOURCE_EXHAUSTED (HTTP 429)",
        "ApplyRevocation calls by service and code",
        "ApplyRevocation latency at the gateway (p99)",
    },
}


def concrete(expr: str, variables: list[str]) -> str:
    """The query Grafana would send with every variable at "All" and a rate window for $__rate_interval."""
    expr = expr.replace("$__rate_interval", RATE_INTERVAL)
    for name in sorted(variables, key=len, reverse=True):
        expr = expr.replace(f"${name}", ALL).replace(f"${{{name}}}", ALL)
    assert "$" not in expr, expr
    return expr


def variables_of(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    return [variable for variable in dashboard["templating"]["list"] if variable["type"] == "query"]


def targets() -> list[Any]:
    """(dashboard, panel title, refId, expr) for every query of every panel, named dashboard/title/refId."""
    return [
        pytest.param(
            name, panel["title"], target["refId"], target["expr"], id=f"{name}/{panel['title']}/{target['refId']}"
        )
        for name, dashboard in DASHBOARDS.items()
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
    ]


def test_core_panels_exist():
    titles = {name: {panel["title"] for panel in dashboard["panels"]} for name, dashboard in DASHBOARDS.items()}
    for name, core in CORE.items():
        assert core <= titles[name], core - titles[name]


@pytest.fixture(scope="module")
def suite(tmp_path_factory) -> Iterator[SuiteConfig]:  # type: ignore[no-untyped-def]
    """The suite with its canary (a run every half second), as `make run` starts it."""
    root = tmp_path_factory.mktemp("dashboards")
    config = dataclasses.replace(
        SuiteConfig.on_free_ports(root / "data", {"GRACE_SECONDS": "2", "CANARY_INTERVAL_SECONDS": "0.5"}),
        canary_metrics_port=free_port(),
    )
    with Suite(config, log_dir=root / "logs"):
        yield config


@pytest.fixture(scope="module")
def prometheus(suite, tmp_path_factory):  # type: ignore[no-untyped-def]
    if not prom.available():
        require_service("Debian's prometheus is not installed (make test installs it)")
    workdir = tmp_path_factory.mktemp("prometheus")
    targets = suite.metrics_urls()
    assert set(targets) == {"auth_service", "device_service", "parental_service", "gateway", "canary"}
    with prom.PrometheusServer(targets, workdir, free_port(), 0.5, rule_files=RULE_FILES) as server:
        server.wait_for("sum(up)", lambda value: value == len(targets))
        counts = drive(suite.gateway_url, rounds=3)
        assert counts.unexpected == []
        # The recording rules have seen the traffic: every scope's sign-outs are in their 5m rate.
        server.wait_for("count(scope:remotesignout_sign_out_duration_seconds_count:rate5m > 0)", lambda n: n == 4)
        yield server


@pytest.mark.parametrize(("dashboard", "title", "ref", "expr"), targets())
def test_every_panel_query_runs_and_core_panels_show_data(prometheus, dashboard, title, ref, expr):  # type: ignore[no-untyped-def]
    names = [variable["name"] for variable in DASHBOARDS[dashboard]["templating"]["list"]]
    query = concrete(expr, names)

    result = prometheus.query(query)  # RuntimeError with Prometheus's message on a bad query

    if title in CORE[dashboard]:
        deadline = time.monotonic() + DATA_TIMEOUT
        while not result and time.monotonic() < deadline:
            time.sleep(1)
            result = prometheus.query(query)
        assert result, f"{dashboard} / {title} ({ref}) shows no data: {query}"


@pytest.mark.parametrize(
    ("dashboard", "variable"),
    [
        pytest.param(name, variable, id=f"{name}/${variable['name']}")
        for name, dashboard in DASHBOARDS.items()
        for variable in variables_of(dashboard)
    ],
)
def test_every_dashboard_variable_has_values(prometheus, dashboard, variable):  # type: ignore[no-untyped-def]
    names = [other["name"] for other in DASHBOARDS[dashboard]["templating"]["list"]]
    query = variable["query"]
    assert query.startswith("label_values(") and query.endswith(")"), query
    series, _, label = concrete(query.removeprefix("label_values(").removesuffix(")"), names).rpartition(", ")

    values = prometheus.api(f"label/{label}/values", {"match[]": series})

    assert values, f"{dashboard}: ${variable['name']} has no values ({query})"


def test_every_rule_evaluates_without_an_error_on_the_suites_series(prometheus):  # type: ignore[no-untyped-def]
    """Recording and alerting rules against real series: no many-to-many match, no bad expression."""
    deadline = time.monotonic() + DATA_TIMEOUT
    while True:
        groups = prometheus.api("rules", {})["groups"]
        rules = [rule for group in groups for rule in group["rules"]]
        pending = [rule["name"] for rule in rules if rule.get("lastEvaluation", "").startswith("0001")]
        if not pending or time.monotonic() > deadline:
            break
        time.sleep(1)

    assert {group["file"].rpartition("/")[2] for group in groups} == {path.name for path in RULE_FILES}
    assert len(rules) > 50
    assert pending == []
    assert [(rule["name"], rule.get("lastError")) for rule in rules if rule["health"] != "ok"] == []
