"""The Grafana dashboards as code: Revocation, Services and Edge, written to deploy/grafana/dashboards/.

    .venv/bin/python -m tools.dashboards          # (re)writes deploy/grafana/dashboards/*.json
    .venv/bin/python -m tools.dashboards --check  # exit 1 if a committed file differs from what this makes

compose.yaml mounts that folder into Grafana, which loads it through
deploy/grafana/provisioning/dashboards/remotesignout.yml. Each panel reads the recorded series of
deploy/prometheus/recording.rules.yml where one exists (names level:metric:operations) and raw series with
`$__rate_interval` otherwise. tests/tooling/test_dashboards.py checks the committed JSON is what this
module makes; tests/e2e/test_dashboards.py runs every panel's query against a real Prometheus scraping
the suite; tools/dashboard_charts.py draws them as PNGs where no Grafana runs.

Plain dicts of Grafana's JSON model (schemaVersion 39, Grafana 11), not grafanalib: grafanalib 0.7.1 runs
on Python 3.11 but writes schemaVersion 12 with data sources as bare names and old per-target defaults
(intervalFactor 2, maxDataPoints 100), and has no type annotations for mypy --strict.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

REPO = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = REPO / "deploy" / "grafana" / "dashboards"
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
TAG = "remote-signout"
WIDTH = 24
"""Grafana's grid is 24 columns wide."""
SERVER_ERROR_CODES = "UNKNOWN|INTERNAL|UNAVAILABLE|DEADLINE_EXCEEDED|DATA_LOSS|UNIMPLEMENTED"
"""The gRPC codes the error-ratio SLO counts (deploy/prometheus/recording.rules.yml); others are the system
working."""


@dataclass(frozen=True)
class Query:
    expr: str
    legend: str


@dataclass(frozen=True)
class Panel:
    title: str
    description: str
    queries: tuple[Query, ...]
    unit: str = "short"
    kind: str = "timeseries"
    width: int = 12
    height: int = 8
    thresholds: tuple[tuple[float, str], ...] = ()
    """(value, colour) steps above green; drawn as dashed lines on a time series."""
    max: float | None = None


@dataclass(frozen=True)
class Row:
    title: str
    panels: tuple[Panel, ...]


@dataclass(frozen=True)
class Variable:
    """A query variable over one label (`label_values(<series>, <label>)`), multi-valued with "All"."""

    name: str
    label: str
    series: str
    label_name: str

    @property
    def query(self) -> str:
        return f"label_values({self.series}, {self.label_name})"


@dataclass(frozen=True)
class Dashboard:
    uid: str
    title: str
    description: str
    rows: tuple[Row, ...]
    variables: tuple[Variable, ...] = field(default=())

    @property
    def file_name(self) -> str:
        return f"{self.uid.removeprefix('remotesignout-')}.json"

    def panels(self) -> Iterator[Panel]:
        for row in self.rows:
            yield from row.panels


def quantiles(
    recorded: str, label: str, selector: str = "", levels: tuple[str, ...] = ("p50", "p90", "p99")
) -> tuple[Query, ...]:
    """The recorded quantile series `<level>:<metric>:pNN_rate5m` of `recorded` (given as `<level>:<metric>`)."""
    return tuple(Query(f"{recorded}:{level}_rate5m{selector}", f"{level} {label}") for level in levels)


def burn_rates(slo: str) -> tuple[Query, ...]:
    """An SLO's error ratio over each alert window, as a multiple of its budget (0.001: a 99.9% SLO)."""
    return tuple(Query(f"slo:{slo}:error_ratio_rate{window} / 0.001", window) for window in ("5m", "1h", "6h", "3d"))


BURN_THRESHOLDS = ((1.0, "yellow"), (6.0, "orange"), (14.4, "red"))


# Revocation ---------------------------------------------------------------------------------------------

SCOPE = '{scope=~"$scope"}'

REVOCATION = Dashboard(
    uid="remotesignout-revocation",
    title="remote-signout / Revocation",
    description="Remote sign-out: end-to-end and commit latency by scope, the receipts' validators, leases, "
    "fan-out and the canary. Alerts: deploy/prometheus/alerts.rules.yml; runbook: docs/runbook.md.",
    variables=(Variable("scope", "Scope", "remotesignout_sign_out_duration_seconds_count", "scope"),),
    rows=(
        Row(
            "End to end (gateway): request arrival until every validator acknowledged and every fan-out call answered",
            (
                Panel(
                    "Sign-out latency by scope",
                    "remotesignout_sign_out_duration_seconds at the gateway, quantiles over 5 minutes. The SLO: 99.9% "
                    "under 250 ms (red line).",
                    quantiles("scope:remotesignout_sign_out_duration_seconds", "{{scope}}", SCOPE),
                    unit="s",
                    thresholds=((0.25, "red"),),
                ),
                Panel(
                    "Sign-outs per second by scope",
                    "session: one session; device: one device; all: every device; all_others: all but the caller's.",
                    (Query(f"scope:remotesignout_sign_out_duration_seconds_count:rate5m{SCOPE}", "{{scope}}"),),
                    unit="ops",
                ),
                Panel(
                    "Latency SLO burn rate (99.9% of sign-outs under 250 ms)",
                    "Share of sign-outs slower than 250 ms over each window, divided by the budget (0.1%). Pages at "
                    "14.4 (1h and 5m) or 6 (6h and 30m), a ticket at 1 (3d and 6h): SignOutLatencyBurnRate.",
                    burn_rates("sign_out_latency"),
                    thresholds=BURN_THRESHOLDS,
                ),
                Panel(
                    "Server-error SLO burn rate (99.9% of calls without a server error)",
                    "gRPC server calls ending UNKNOWN, INTERNAL, UNAVAILABLE, DEADLINE_EXCEEDED, DATA_LOSS or "
                    "UNIMPLEMENTED, plus gateway HTTP 5xx, over every call, divided by the budget (0.1%): "
                    "ServerErrorBurnRate.",
                    burn_rates("server_errors"),
                    thresholds=BURN_THRESHOLDS,
                ),
            ),
        ),
        Row(
            "Commit (auth_service): request arrival until committed and acknowledged by every live validator",
            (
                Panel(
                    "Commit latency by scope",
                    "remotesignout_revocation_commit_seconds, every auth_service replica.",
                    quantiles("scope:remotesignout_revocation_commit_seconds", "{{scope}}", SCOPE),
                    unit="s",
                ),
                Panel(
                    "Waiting for validators (receipt: waited_ms)",
                    "remotesignout_revocation_ack_wait_seconds: from commit until every validator with a live lease "
                    "acknowledged, or its lease ran out.",
                    (
                        Query("job:remotesignout_revocation_ack_wait_seconds:p99_rate5m", "p99 {{job}}"),
                        Query(
                            "sum by (job) (rate(remotesignout_revocation_ack_wait_seconds_sum[$__rate_interval]))"
                            " / sum by (job) (rate(remotesignout_revocation_ack_wait_seconds_count[$__rate_interval]))",
                            "mean {{job}}",
                        ),
                    ),
                    unit="s",
                ),
            ),
        ),
        Row(
            "Receipts and validators (every auth_service replica and gateway)",
            (
                Panel(
                    "Acknowledgements by validator (receipt: validators_acknowledged)",
                    "Revocations each validator acknowledged before the answer, per second.",
                    (
                        Query(
                            "sum by (validator) (rate(remotesignout_validator_ack_seconds_count[$__rate_interval]))",
                            "{{validator}}",
                        ),
                    ),
                    unit="ops",
                    width=8,
                ),
                Panel(
                    "Lease expirations by validator (receipt: validators_expired)",
                    "Revocations answered without that validator because its lease ran out: ValidatorLeaseExpired "
                    "pages on any.",
                    (
                        Query(
                            "sum by (validator) (increase(remotesignout_validator_lease_expirations_total"
                            "[$__rate_interval]))",
                            "{{validator}}",
                        ),
                    ),
                    width=8,
                    thresholds=((1.0, "red"),),
                ),
                Panel(
                    "Time to acknowledge by validator (p99)",
                    "remotesignout_validator_ack_seconds: from commit until that validator acknowledged.",
                    (Query("validator:remotesignout_validator_ack_seconds:p99_rate5m", "{{validator}}"),),
                    unit="s",
                    width=8,
                ),
                Panel(
                    "Validators holding a lease",
                    "remotesignout_validators_live at each auth_service replica: the validators revocations wait for.",
                    (Query("remotesignout_validators_live", "{{instance}}"),),
                    width=6,
                ),
                Panel(
                    "Validator current (1) or refusing tokens (0)",
                    "remotesignout_validator_current: 0 means it refuses every token (HTTP 503, gRPC UNAVAILABLE) "
                    "until it holds its lease and has applied every revocation it knows of: ValidatorNotCurrent.",
                    (Query("remotesignout_validator_current", "{{job}} {{instance}}"),),
                    width=6,
                    max=1,
                ),
                Panel(
                    "Validator lag (revocations known, not applied)",
                    "remotesignout_validator_lag_sequences: known head minus applied.",
                    (Query("remotesignout_validator_lag_sequences", "{{job}} {{instance}}"),),
                    width=6,
                ),
                Panel(
                    "Tokens refused while not current, by reason",
                    "remotesignout_validator_refusals_total: lease_expired or behind.",
                    (
                        Query(
                            "sum by (job, reason) (rate(remotesignout_validator_refusals_total[$__rate_interval]))",
                            "{{job}} {{reason}}",
                        ),
                    ),
                    unit="ops",
                    width=6,
                ),
            ),
        ),
        Row(
            "Fan-out and followers (device_service, parental_service)",
            (
                Panel(
                    "Oldest revocation not applied yet",
                    "remotesignout_revocation_pending_seconds: 0 when caught up. RevocationPendingTooLong pages above "
                    "30 s for 1 minute.",
                    (
                        Query(
                            "max by (job, instance) (remotesignout_revocation_pending_seconds)", "{{job}} {{instance}}"
                        ),
                    ),
                    unit="s",
                    width=8,
                    thresholds=((30.0, "red"),),
                ),
                Panel(
                    "Fan-out failures by service",
                    "remotesignout_fanout_failures_total at the gateway: ApplyRevocation calls that failed or did not "
                    'answer "applied"; the service catches up from the feed.',
                    (
                        Query(
                            "sum by (service) (rate(remotesignout_fanout_failures_total[$__rate_interval]))",
                            "{{service}}",
                        ),
                    ),
                    unit="ops",
                    width=8,
                ),
                Panel(
                    "Delivered revocations checked against the feed",
                    "remotesignout_revocation_delivery_checks_total by outcome: matched, replaced, not_in_feed, "
                    "feed_unavailable.",
                    (
                        Query(
                            "sum by (job, outcome) (rate(remotesignout_revocation_delivery_checks_total"
                            "[$__rate_interval]))",
                            "{{job}} {{outcome}}",
                        ),
                    ),
                    unit="ops",
                    width=8,
                ),
            ),
        ),
        Row(
            "Canary (job canary): sign in, revoke, probe every validator",
            (
                Panel(
                    "Stale accepts (must stay 0)",
                    "remotesignout_canary_stale_accepts_total: a token accepted after its revocation answered. "
                    "CanaryStaleAccept pages on any.",
                    (Query("sum by (validator) (remotesignout_canary_stale_accepts_total)", "{{validator}}"),),
                    kind="stat",
                    width=8,
                    thresholds=((1.0, "red"),),
                ),
                Panel(
                    "Propagation (p99)",
                    "remotesignout_canary_propagation_seconds: from the revoke call until every validator refuses.",
                    (Query("job:remotesignout_canary_propagation_seconds:p99_rate5m", "p99"),),
                    unit="s",
                    width=8,
                ),
                Panel(
                    "Runs by outcome",
                    "remotesignout_canary_runs_total: CanaryFailing pages above 10% failed; CanaryAbsent when none.",
                    (
                        Query(
                            "sum by (outcome) (rate(remotesignout_canary_runs_total[$__rate_interval]))", "{{outcome}}"
                        ),
                    ),
                    unit="ops",
                    width=8,
                ),
            ),
        ),
    ),
)


# Services -----------------------------------------------------------------------------------------------

JOB = '{job=~"$job"}'
JOB_METHOD = '{job=~"$job",grpc_method=~"$method"}'

SERVICES = Dashboard(
    uid="remotesignout-services",
    title="remote-signout / Services",
    description="Rate, errors and duration of every gRPC service and RPC, the callers' side too, and each "
    "process. Server errors: " + SERVER_ERROR_CODES.replace("|", ", ") + "; every other code is the system working.",
    variables=(
        Variable("job", "Job", "up", "job"),
        Variable("method", "RPC", 'remotesignout_grpc_server_handled_total{job=~"$job"}', "grpc_method"),
    ),
    rows=(
        Row(
            "gRPC servers, per service",
            (
                Panel(
                    "Calls per second",
                    "Every RPC the service completed (remotesignout_grpc_server_handled_total).",
                    (Query(f"job:remotesignout_grpc_server_handled:rate5m{JOB}", "{{job}}"),),
                    unit="reqps",
                    width=6,
                ),
                Panel(
                    "Server-error ratio",
                    "Calls ending " + SERVER_ERROR_CODES.replace("|", ", ") + " over every call.",
                    (Query(f"job:remotesignout_grpc_server_errors_per_handled:ratio_rate5m{JOB}", "{{job}}"),),
                    unit="percentunit",
                    width=6,
                    thresholds=((0.001, "red"),),
                ),
                Panel(
                    "Latency of unary calls",
                    "remotesignout_grpc_server_handling_seconds without the streams (WatchSession, SyncRevocations, "
                    "WatchPlaybackStops: their duration is how long they stayed open).",
                    quantiles("job:remotesignout_grpc_server_handling_seconds", "{{job}}", JOB),
                    unit="s",
                    width=6,
                ),
                Panel(
                    "Answers by status code",
                    "Every code, the system-working ones too (NOT_FOUND, UNAUTHENTICATED, RESOURCE_EXHAUSTED ...).",
                    (
                        Query(
                            f"sum by (grpc_code) (job_grpc_code:remotesignout_grpc_server_handled:rate5m{JOB}) > 0",
                            "{{grpc_code}}",
                        ),
                    ),
                    unit="reqps",
                    width=6,
                ),
            ),
        ),
        Row(
            "gRPC servers, per RPC",
            (
                Panel(
                    "Calls per second by RPC",
                    "",
                    (
                        Query(
                            f"job_grpc_service_grpc_method:remotesignout_grpc_server_handled:rate5m{JOB_METHOD} > 0",
                            "{{job}} {{grpc_method}}",
                        ),
                    ),
                    unit="reqps",
                ),
                Panel(
                    "Latency by RPC (p99)",
                    "A stream's figure is how long it stayed open.",
                    (
                        Query(
                            f"job_grpc_service_grpc_method:remotesignout_grpc_server_handling_seconds:p99_rate5m{JOB_METHOD}",
                            "{{job}} {{grpc_method}}",
                        ),
                    ),
                    unit="s",
                ),
                Panel(
                    "Server errors by RPC and code",
                    "No data is good news.",
                    (
                        Query(
                            "sum by (job, grpc_method, grpc_code) (rate(remotesignout_grpc_server_handled_total"
                            f'{{job=~"$job",grpc_method=~"$method",grpc_code=~"{SERVER_ERROR_CODES}"}}'
                            "[$__rate_interval])) > 0",
                            "{{job}} {{grpc_method}} {{grpc_code}}",
                        ),
                    ),
                    unit="reqps",
                ),
                Panel(
                    "Caller mistakes and refusals by RPC and code",
                    "Not errors: wrong passwords, unknown ids, refused permissions, throttling, conflicts.",
                    (
                        Query(
                            "sum by (job, grpc_method, grpc_code) (rate(remotesignout_grpc_server_handled_total"
                            f'{{job=~"$job",grpc_method=~"$method",grpc_code!~"OK|{SERVER_ERROR_CODES}"}}'
                            "[$__rate_interval])) > 0",
                            "{{job}} {{grpc_method}} {{grpc_code}}",
                        ),
                    ),
                    unit="reqps",
                ),
            ),
        ),
        Row(
            "gRPC clients: the callers' view (gateway, auth_service, the feed followers)",
            (
                Panel(
                    "Client calls per second by RPC",
                    "remotesignout_grpc_client_handled_total, by calling job and the RPC it called.",
                    (
                        Query(
                            "job_grpc_service_grpc_method:remotesignout_grpc_client_handled:rate5m > 0",
                            "{{job}} → {{grpc_method}}",
                        ),
                    ),
                    unit="reqps",
                    width=8,
                ),
                Panel(
                    "Client latency by RPC (p99)",
                    "Includes the network and the TLS channel: compare with the server's figure for the same RPC.",
                    (
                        Query(
                            "job_grpc_service_grpc_method:remotesignout_grpc_client_handling_seconds:p99_rate5m",
                            "{{job}} → {{grpc_method}}",
                        ),
                    ),
                    unit="s",
                    width=8,
                ),
                Panel(
                    "Client errors by RPC",
                    "Calls that ended with a server-error code as the caller saw them (a deadline, an unreachable "
                    "replica). No data is good news.",
                    (
                        Query(
                            "job_grpc_service_grpc_method:remotesignout_grpc_client_errors:rate5m > 0",
                            "{{job}} → {{grpc_method}}",
                        ),
                    ),
                    unit="reqps",
                    width=8,
                ),
            ),
        ),
        Row(
            "Processes",
            (
                Panel(
                    "Targets up",
                    "1 when Prometheus scraped the target: TargetDown after 5 minutes at 0.",
                    (Query(f"up{JOB}", "{{job}} {{instance}}"),),
                    width=8,
                    max=1,
                ),
                Panel(
                    "Resident memory",
                    "",
                    (Query(f"process_resident_memory_bytes{JOB}", "{{job}} {{instance}}"),),
                    unit="bytes",
                    width=8,
                ),
                Panel(
                    "CPU",
                    "CPU seconds per second: 100% is one core.",
                    (Query(f"rate(process_cpu_seconds_total{JOB}[$__rate_interval])", "{{job}} {{instance}}"),),
                    unit="percentunit",
                    width=8,
                ),
            ),
        ),
    ),
)


# Edge ---------------------------------------------------------------------------------------------------

ROUTE = '{route=~"$route"}'

EDGE = Dashboard(
    uid="remotesignout-edge",
    title="remote-signout / Edge",
    description="The gateway's HTTP side by route template and status class, event streams, throttling and "
    "the sign-out fan-out.",
    variables=(Variable("route", "Route", "remotesignout_http_requests_total", "route"),),
    rows=(
        Row(
            "HTTP at the gateway (route templates; unmatched: 404 on an unknown path)",
            (
                Panel(
                    "Requests per second by status class",
                    "",
                    (
                        Query(
                            "sum by (status_class) (job_status_class:remotesignout_http_requests:rate5m)",
                            "{{status_class}}",
                        ),
                    ),
                    unit="reqps",
                    width=8,
                ),
                Panel(
                    "Requests per second by route and status class",
                    "",
                    (
                        Query(
                            f"route_method_status_class:remotesignout_http_requests:rate5m{ROUTE} > 0",
                            "{{method}} {{route}} {{status_class}}",
                        ),
                    ),
                    unit="reqps",
                    width=16,
                ),
                Panel(
                    "Latency by route",
                    "remotesignout_http_request_duration_seconds, without GET /v1/events (its duration is how "
                    "long its stream stayed open).",
                    quantiles(
                        "route:remotesignout_http_request_duration_seconds",
                        "{{route}}",
                        '{route=~"$route",route!="/v1/events"}',
                        ("p50", "p99"),
                    ),
                    unit="s",
                ),
                Panel(
                    "5xx ratio by route",
                    "Server errors as the client saw them; part of ServerErrorBurnRate. No data is good news.",
                    (
                        Query(
                            f"route:remotesignout_http_requests_5xx_per_requests:ratio_rate5m{ROUTE} > 0", "{{route}}"
                        ),
                    ),
                    unit="percentunit",
                ),
                Panel(
                    "Client mistakes (4xx) by route",
                    "401 without a valid token, 404, 409, 422, 429 (throttled): the system working.",
                    (
                        Query(
                            "sum by (method, route) (rate(remotesignout_http_requests_total"
                            '{status_class="4xx",route=~"$route"}[$__rate_interval])) > 0',
                            "{{method}} {{route}}",
                        ),
                    ),
                    unit="reqps",
                ),
                Panel(
                    "Unknown paths (404, route unmatched)",
                    "Scanners and stale clients.",
                    (
                        Query(
                            'sum(rate(remotesignout_http_requests_total{route="unmatched"}[$__rate_interval]))',
                            "unmatched",
                        ),
                    ),
                    unit="reqps",
                ),
            ),
        ),
        Row(
            "Event streams (GET /v1/events)",
            (
                Panel(
                    "Open event streams",
                    "remotesignout_sse_open_streams at each gateway.",
                    (Query("sum by (instance) (remotesignout_sse_open_streams)", "{{instance}}"),),
                    width=8,
                ),
                Panel(
                    "Streams opened per second",
                    "Requests to GET /v1/events by status class (a 4xx: a revoked token or a full gateway).",
                    (
                        Query(
                            "sum by (status_class) (rate(remotesignout_http_requests_total"
                            '{route="/v1/events"}[$__rate_interval]))',
                            "{{status_class}}",
                        ),
                    ),
                    unit="reqps",
                    width=8,
                ),
                Panel(
                    "Streams the gateway closed, by reason",
                    "remotesignout_sse_streams_closed_total: too_many_streams, token_expired.",
                    (
                        Query(
                            "sum by (reason) (rate(remotesignout_sse_streams_closed_total[$__rate_interval]))",
                            "{{reason}}",
                        ),
                    ),
                    unit="ops",
                    width=8,
                ),
            ),
        ),
        Row(
            "Throttling",
            (
                Panel(
                    "Sign-ins throttled by reason",
                    "remotesignout_sign_in_throttled_total at auth_service (password attempts per account, source, "
                    "device) and remotesignout_device_code_throttled_total (TV sign-in: codes asked for per source, "
                    "user codes entered per session, account and source).",
                    (
                        Query(
                            "sum by (reason) (rate(remotesignout_sign_in_throttled_total[$__rate_interval]))",
                            "{{reason}}",
                        ),
                        Query(
                            "sum by (reason) (rate(remotesignout_device_code_throttled_total[$__rate_interval]))",
                            "TV code {{reason}}",
                        ),
                    ),
                    unit="ops",
                    width=8,
                ),
                Panel(
                    "Calls refused as RESOURCE_EXHAUSTED (HTTP 429)",
                    "",
                    (
                        Query(
                            "sum by (job, grpc_method) (rate(remotesignout_grpc_server_handled_total"
                            '{grpc_code="RESOURCE_EXHAUSTED"}[$__rate_interval])) > 0',
                            "{{job}} {{grpc_method}}",
                        ),
                    ),
                    unit="reqps",
                    width=8,
                ),
                Panel(
                    "PIN lock-outs",
                    "remotesignout_pin_lockouts_total at parental_service.",
                    (Query("sum(rate(remotesignout_pin_lockouts_total[$__rate_interval]))", "lock-outs"),),
                    unit="ops",
                    width=8,
                ),
            ),
        ),
        Row(
            "Fan-out: the gateway applies each sign-out at device_service and parental_service",
            (
                Panel(
                    "ApplyRevocation calls by service and code",
                    "The gateway's calls (remotesignout_grpc_client_handled_total).",
                    (
                        Query(
                            "sum by (grpc_service, grpc_code) (rate(remotesignout_grpc_client_handled_total"
                            '{job="gateway",grpc_method="ApplyRevocation"}[$__rate_interval]))',
                            "{{grpc_service}} {{grpc_code}}",
                        ),
                    ),
                    unit="reqps",
                    width=8,
                ),
                Panel(
                    "ApplyRevocation latency at the gateway (p99)",
                    "",
                    (
                        Query(
                            "job_grpc_service_grpc_method:remotesignout_grpc_client_handling_seconds:p99_rate5m"
                            '{job="gateway",grpc_method="ApplyRevocation"}',
                            "{{grpc_service}}",
                        ),
                    ),
                    unit="s",
                    width=8,
                ),
                Panel(
                    "Fan-out failures by service",
                    "Failed or not applied: the service catches up from the feed. No data is good news.",
                    (
                        Query(
                            "sum by (service) (rate(remotesignout_fanout_failures_total[$__rate_interval]))",
                            "{{service}}",
                        ),
                    ),
                    unit="ops",
                    width=8,
                ),
            ),
        ),
    ),
)

DASHBOARDS = (REVOCATION, SERVICES, EDGE)


# Grafana's JSON model -------------------------------------------------------------------------------------


def _thresholds(panel: Panel) -> dict[str, Any]:
    steps: list[dict[str, Any]] = [{"color": "green", "value": None}]
    steps += [{"color": color, "value": value} for value, color in panel.thresholds]
    return {"mode": "absolute", "steps": steps}


def _panel(panel: Panel, panel_id: int, x: int, y: int) -> dict[str, Any]:
    defaults: dict[str, Any] = {"unit": panel.unit, "min": 0, "thresholds": _thresholds(panel)}
    if panel.max is not None:
        defaults["max"] = panel.max
    if panel.kind == "timeseries":
        defaults["color"] = {"mode": "palette-classic"}
        defaults["custom"] = {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": False,
            "thresholdsStyle": {"mode": "dashed" if panel.thresholds else "off"},
        }
        options: dict[str, Any] = {
            "legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
            "tooltip": {"mode": "multi", "sort": "desc"},
        }
    else:
        defaults["color"] = {"mode": "thresholds"}
        options = {
            "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
            "colorMode": "background",
            "graphMode": "none",
            "textMode": "value_and_name",
            "justifyMode": "auto",
            "orientation": "auto",
        }
    return {
        "id": panel_id,
        "type": panel.kind,
        "title": panel.title,
        "description": panel.description,
        "datasource": DATASOURCE,
        "gridPos": {"h": panel.height, "w": panel.width, "x": x, "y": y},
        "targets": [
            {
                "refId": chr(ord("A") + index),
                "datasource": DATASOURCE,
                "expr": query.expr,
                "legendFormat": query.legend,
                "range": True,
                "instant": False,
            }
            for index, query in enumerate(panel.queries)
        ],
        "fieldConfig": {"defaults": defaults, "overrides": []},
        "options": options,
    }


def _variable(variable: Variable) -> dict[str, Any]:
    return {
        "name": variable.name,
        "label": variable.label,
        "type": "query",
        "datasource": DATASOURCE,
        "query": variable.query,
        "definition": variable.query,
        "refresh": 2,
        "includeAll": True,
        "allValue": ".*",
        "multi": True,
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
        "options": [],
        "regex": "",
        "sort": 1,
        "hide": 0,
    }


def render(dashboard: Dashboard) -> dict[str, Any]:
    """The dashboard as Grafana's JSON model: rows of panels laid out left to right on the 24-column grid."""
    panels: list[dict[str, Any]] = []
    y = 0
    for row in dashboard.rows:
        panels.append(
            {
                "id": len(panels) + 1,
                "type": "row",
                "title": row.title,
                "collapsed": False,
                "gridPos": {"h": 1, "w": WIDTH, "x": 0, "y": y},
                "panels": [],
            }
        )
        y += 1
        x = 0
        line_height = 0
        for panel in row.panels:
            if x + panel.width > WIDTH:
                x, y, line_height = 0, y + line_height, 0
            panels.append(_panel(panel, len(panels) + 1, x, y))
            x += panel.width
            line_height = max(line_height, panel.height)
        y += line_height
    datasource = {
        "name": "datasource",
        "label": "Data source",
        "type": "datasource",
        "query": "prometheus",
        "current": {},
        "options": [],
        "regex": "",
        "refresh": 1,
        "hide": 0,
    }
    return {
        "uid": dashboard.uid,
        "title": dashboard.title,
        "description": dashboard.description,
        "tags": [TAG],
        "timezone": "browser",
        "editable": True,
        "graphTooltip": 1,
        "time": {"from": "now-1h", "to": "now"},
        "refresh": "30s",
        "schemaVersion": 39,
        "version": 1,
        "links": [
            {
                "type": "dashboards",
                "tags": [TAG],
                "title": "remote-signout",
                "asDropdown": False,
                "includeVars": False,
                "keepTime": True,
            }
        ],
        "annotations": {
            "list": [
                {
                    "builtIn": 1,
                    "datasource": {"type": "grafana", "uid": "-- Grafana --"},
                    "enable": True,
                    "hide": True,
                    "iconColor": "rgba(0, 211, 255, 1)",
                    "name": "Annotations & Alerts",
                    "type": "dashboard",
                }
            ]
        },
        "templating": {"list": [datasource, *(_variable(variable) for variable in dashboard.variables)]},
        "panels": panels,
    }


def text(dashboard: Dashboard) -> str:
    """The committed file's exact content."""
    return json.dumps(render(dashboard), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for dashboard in DASHBOARDS:
        path = OUTPUT / dashboard.file_name
        shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        if args.check:
            if not path.exists() or path.read_text() != text(dashboard):
                stale.append(str(shown))
        else:
            OUTPUT.mkdir(parents=True, exist_ok=True)
            path.write_text(text(dashboard))
            print(f"wrote {shown}")
    if stale:
        print("stale, run `python -m tools.dashboards`: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
