"""The per-RPC series the server interceptor records (counted by status code, timed): only a process that
serves gRPC (common.interceptors) imports this module, so only it exports these families."""

from __future__ import annotations

import time

import grpc
from prometheus_client import Counter, Histogram

from common.grpc_types import Context
from common.metrics import LATENCY_BUCKETS
from common.rpc_log import status_code

RPC_HANDLED = Counter(
    "remotesignout_grpc_server_handled",
    "gRPC calls this server completed, by service, method and final status code.",
    ["grpc_service", "grpc_method", "grpc_code"],
)
RPC_LATENCY = Histogram(
    "remotesignout_grpc_server_handling_seconds",
    "Time from a gRPC call's arrival at this server until its handler finished (a stream: until it ended).",
    ["grpc_service", "grpc_method"],
    buckets=LATENCY_BUCKETS,
)


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
        self._handled[status_code(context, failed)].inc()
