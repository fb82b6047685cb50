"""A real Prometheus server scrapes the suite and reads the sign-out duration (gateway) and the revocation
commit (auth_service) with PromQL."""

from __future__ import annotations

import pytest

from tests.support import free_port, require_service
from tools import prometheus as prom
from tools.json_http import call

PASSWORD = "correct horse battery"
CALLS = 5


@pytest.fixture(scope="module")
def prometheus(suite, tmp_path_factory):  # type: ignore[no-untyped-def]
    if not prom.available():
        require_service("Debian's prometheus is not installed (make test installs it)")
    urls = suite.metrics_urls
    targets = {name: urls[name] for name in ("gateway", "auth_service", "device_service", "parental_service")}
    with prom.PrometheusServer(targets, tmp_path_factory.mktemp("prometheus"), free_port(), 0.5) as server:
        yield server


def test_prometheus_scrapes_every_process(prometheus) -> None:  # type: ignore[no-untyped-def]
    up = prometheus.wait_for("sum(up)", lambda value: value == 4)
    assert up == 4


HISTOGRAMS = {
    "gateway": "remotesignout_sign_out_duration_seconds",
    "auth_service": "remotesignout_revocation_commit_seconds",
}


def test_sign_out_duration_and_revocation_commit_reach_prometheus_by_scope(suite, prometheus) -> None:  # type: ignore[no-untyped-def]
    base = suite.gateway_url
    assert call(base, "POST", "/v1/accounts", {"email": "prom@example.com", "password": PASSWORD}).status == 201
    device = {"client_id": "prom-tv", "name": "TV", "type": "tv"}
    for _ in range(CALLS):
        signed = call(
            base, "POST", "/v1/sign-in", {"email": "prom@example.com", "password": PASSWORD, "device": device}
        ).body
        assert (
            call(base, "POST", "/v1/sign-out-all", {"include_current": True}, token=signed["access_token"]).status
            == 200
        )
    for job in ("gateway", "auth_service"):
        count = f'sum({HISTOGRAMS[job]}_count{{job="{job}",scope="all"}})'
        assert prometheus.wait_for(count, lambda value: value >= CALLS) >= CALLS
        p99 = prometheus.scalar(f'histogram_quantile(0.99, sum by (le) ({HISTOGRAMS[job]}_bucket{{job="{job}"}}))')
        assert p99 is not None and 0 < p99 < 5
    handled = prometheus.wait_for(
        'sum(remotesignout_grpc_server_handled_total{job="auth_service",grpc_method="RevokeSessions",grpc_code="OK"})',
        lambda value: value >= CALLS,
    )
    assert handled >= CALLS
