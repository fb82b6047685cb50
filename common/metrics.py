"""Prometheus metrics shared by every process, and the per-RPC series the server interceptor records.

Labels carry only method names, status codes and revocation scopes: never an
account, a token, an email or an address.
"""

from __future__ import annotations

import time

import grpc
from prometheus_client import Counter, Histogram, start_http_server

from common.grpc_types import Context

LATENCY_BUCKETS = (
    0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1,
    0.25, 0.5, 1.0, 2.5, 5.0,
)

RPC_HANDLED = Counter(
    "remotesignout_grpc_server_handled",
    "gRPC calls this server completed, by method and status code.",
    ["grpc_service", "grpc_method", "grpc_code"],
)
RPC_LATENCY = Histogram(
    "remotesignout_grpc_server_handling_seconds",
    "Time from a call's arrival until its handler finished.",
    ["grpc_service", "grpc_method"],
    buckets=LATENCY_BUCKETS,
)
REVOCATION_LATENCY = Histogram(
    "remotesignout_revocation_latency_seconds",
    "Revocation latency by scope. auth_service: request until the revocation is "
    "durably committed and enforced; gateway: request arrival until every fan-out "
    "call has answered.",
    ["scope"],
    buckets=LATENCY_BUCKETS,
)


def serve_metrics(host: str, port: int) -> None:
    """Expose this process's metrics at http://host:port/metrics."""
    start_http_server(port, addr=host)


def _split(full_method: str) -> tuple[str, str]:
    _, service, method = full_method.split("/", 2)
    return service, method


class CallMetrics:
    """The series of one RPC method; `record` counts a finished call and observes its latency."""

    def __init__(self, full_method: str) -> None:
        service, method = _split(full_method)
        self._handled = {code: RPC_HANDLED.labels(service, method, code.name) for code in grpc.StatusCode}
        self._latency = RPC_LATENCY.labels(service, method)

    def record(self, started: float, context: Context, failed: bool) -> None:
        self._latency.observe(time.perf_counter() - started)
        self._handled[_code(context, failed)].inc()


_BY_VALUE = {code.value[0]: code for code in grpc.StatusCode}


def _code(context: Context, failed: bool) -> grpc.StatusCode:
    code = context.code()
    if code is None:
        return grpc.StatusCode.UNKNOWN if failed else grpc.StatusCode.OK
    if isinstance(code, grpc.StatusCode):
        return code
    return _BY_VALUE.get(code, grpc.StatusCode.UNKNOWN)
