"""The gateway's own Prometheus series (the revocation latency lives in common.metrics)."""

from __future__ import annotations

from prometheus_client import Counter

FANOUT_FAILURES = Counter(
    "remotesignout_fanout_failures",
    "Fan-out calls of a revocation that failed or did not confirm it applied; the service catches up from the "
    "revocation feed.",
    ["service"],
)
