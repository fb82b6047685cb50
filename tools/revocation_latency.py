"""Revocation latency as the metrics show it: N sign-out-all calls, read back with PromQL.

    .venv/bin/python -m tools.revocation_latency [--calls 100]

Starts the suite on free ports with a fresh data folder and a real Prometheus
scraping it, makes N accounts' worth of sign-out-all calls through the gateway,
and prints p50/p99 of remotesignout_sign_out_duration_seconds at the gateway
(request arrival until every validator acknowledged and every fan-out call
answered) and of remotesignout_revocation_commit_seconds at auth_service (until
the revocation is durably committed, enforced and acknowledged), computed by
Prometheus's histogram_quantile over the scraped buckets.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import tempfile
import urllib.request
from typing import Any

from tools.prometheus import PrometheusServer
from tools.supervisor import Suite, SuiteConfig, free_ports

PASSWORD = "latency-password-1"


def post(base: str, path: str, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    request = urllib.request.Request(
        base + path, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as reply:
        answer: dict[str, Any] = json.loads(reply.read() or b"{}")
        return answer


def sign_out_all_calls(base: str, calls: int) -> None:
    post(base, "/v1/accounts", {"email": "latency@example.com", "password": PASSWORD})
    for n in range(calls):
        device = {"client_id": f"latency-{n % 3}", "name": f"Device {n % 3}", "type": "tv"}
        token = post(base, "/v1/sign-in", {"email": "latency@example.com", "password": PASSWORD, "device": device})[
            "access_token"
        ]
        post(base, "/v1/sign-out-all", {"include_current": True}, token)


HISTOGRAMS = {
    "gateway": "remotesignout_sign_out_duration_seconds",
    "auth_service": "remotesignout_revocation_commit_seconds",
}


def quantiles(prometheus: PrometheusServer, job: str) -> dict[str, float]:
    series = f'{HISTOGRAMS[job]}_bucket{{job="{job}",scope="all"}}'
    found = {
        name: prometheus.scalar(f"histogram_quantile({q}, sum by (le) ({series}))")
        for name, q in (("p50_ms", 0.5), ("p99_ms", 0.99))
    }
    return {name: 1000 * value if value is not None else float("nan") for name, value in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        config = SuiteConfig.on_free_ports(root / "data")
        urls = config.metrics_urls()
        with (
            Suite(config, log_dir=root / "logs"),
            PrometheusServer(
                {"gateway": urls["gateway"], "auth_service": urls["auth_service"]},
                root / "prometheus",
                free_ports(1)[0],
            ) as prometheus,
        ):
            sign_out_all_calls(config.gateway_url, args.calls)
            for job in ("gateway", "auth_service"):
                prometheus.wait_for(
                    f'sum({HISTOGRAMS[job]}_count{{job="{job}",scope="all"}})',
                    lambda value: value >= args.calls,
                )
            print(f"{args.calls} sign-out-all calls, from Prometheus (histogram_quantile):")
            for job in ("gateway", "auth_service"):
                figures = quantiles(prometheus, job)
                print(f"  {HISTOGRAMS[job]:40s} p50 {figures['p50_ms']:7.2f} ms   p99 {figures['p99_ms']:7.2f} ms")


if __name__ == "__main__":
    main()
