"""Prometheus conventions shared by every process: the latency buckets, serving /metrics, bounded labels.

No metric family is defined here. Each is defined in the module that records it, and only the
processes that can record a sample import that module, so each process exports exactly its own
families (README, "Metrics", lists them per process; tests/e2e/test_metric_families.py checks it):

    common.call_metrics      gRPC server calls          auth_service, device_service, parental_service
    common.client_metrics    gRPC client calls          every process (every channel is made by common.tls)
    common.validator         validator state            gateway, auth_service
    common.revocation_feed   the feed follower          device_service, parental_service
    common.revocation_delivery  deliveries checked      device_service, parental_service
    auth_service.*, parental_service.*, gateway.*        that process's own

Labels carry only bounded values: method names, status codes or classes, revocation scopes, route
templates, validator names (`BoundedLabel`): never an account, a token, an email, a device or an address.
"""

from __future__ import annotations

import re

from prometheus_client import start_http_server

LATENCY_BUCKETS = (
    0.0001,
    0.00025,
    0.0005,
    0.001,
    0.002,
    0.003,
    0.005,
    0.0075,
    0.01,
    0.015,
    0.02,
    0.03,
    0.05,
    0.075,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
)

OTHER = "other"
_LABEL_VALUE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


class BoundedLabel:
    """Label values from a small set that is not known in advance (validators' names): the first `limit`
    distinct values pass as they are, any later one is "other", and so is a value that is not 1 to 64
    letters, digits, `_`, `.`, `:` or `-`. A process's series therefore stay bounded whatever it is told."""

    def __init__(self, limit: int = 64) -> None:
        self.limit = limit
        self._seen: set[str] = set()

    def __call__(self, value: str) -> str:
        if value in self._seen:
            return value
        if len(self._seen) >= self.limit or not _LABEL_VALUE.fullmatch(value):
            return OTHER
        self._seen.add(value)
        return value


def serve_metrics(host: str, port: int) -> None:
    """Expose this process's metrics at http://host:port/metrics."""
    start_http_server(port, addr=host)
