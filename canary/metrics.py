"""The canary's series (job "canary", served on METRICS_HOST:CANARY_METRICS_PORT by canary.__main__).

`remotesignout_canary_stale_accepts_total{validator}`: must stay 0. `remotesignout_canary_propagation_seconds`:
the revoking call's start until every validator refused the token, which includes the answer's own wait for
every validator's acknowledgement. `remotesignout_canary_runs_total{outcome}`: ok, or failed with the reason
logged (a step that did not answer as expected, a validator that did not accept the fresh token or never
refused the revoked one, a stale accept). The `validator` label is a name from CANARY_VALIDATOR_URLS (bounded).
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from common.metrics import LATENCY_BUCKETS

OK, FAILED = "ok", "failed"
"""The outcomes of a run (label `outcome`)."""

STALE_ACCEPTS = Counter(
    "remotesignout_canary_stale_accepts",
    "Canary: revoked tokens this validator accepted (answered 200) after the sign-out had answered; must stay 0.",
    ["validator"],
)
PROPAGATION = Histogram(
    "remotesignout_canary_propagation_seconds",
    "Canary: a sign-out call's start until every validator refused the revoked token.",
    buckets=LATENCY_BUCKETS,
)
RUNS = Counter(
    "remotesignout_canary_runs",
    "Canary: runs (sign in, check, revoke, probe every validator) by outcome: ok, or failed (the reason is logged).",
    ["outcome"],
)
