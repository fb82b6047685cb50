"""Prometheus metrics shared by every process (the per-RPC series are recorded by common.call_metrics).

Labels carry only method names, status codes and revocation scopes: never an
account, a token, an email or an address.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram, start_http_server

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
    "durably committed, enforced and applied by every validator with a live lease; "
    "gateway: request arrival until every fan-out call has answered.",
    ["scope"],
    buckets=LATENCY_BUCKETS,
)

REVOCATION_ACK_WAIT = Histogram(
    "remotesignout_revocation_ack_wait_seconds",
    "auth_service: how long a committed revocation waited for validators to acknowledge it (or for their "
    "leases to run out) before its answer.",
    buckets=LATENCY_BUCKETS,
)
VALIDATORS_LIVE = Gauge(
    "remotesignout_validators_live",
    "auth_service: validators (gateways, other replicas) holding a live lease in this process's registry.",
)
VALIDATOR_REFUSALS = Counter(
    "remotesignout_validator_refusals",
    "Token checks this validator refused because it could not vouch for its revocation index, by cause "
    "(lease_expired: it could not renew its lease; behind: entries it knows of are not applied yet).",
    ["reason"],
)


def serve_metrics(host: str, port: int) -> None:
    """Expose this process's metrics at http://host:port/metrics."""
    start_http_server(port, addr=host)
