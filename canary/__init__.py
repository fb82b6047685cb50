"""canary: the stale-accept canary, a process of its own that proves, every few seconds, that a revoked token
is refused by every validator.

    python -m canary      (console script remotesignout-canary; `make run` and `make cluster` start it,
                           compose.yaml runs it under the `canary` profile: docker compose --profile canary up)

Each run, through the public HTTP API only, like any client (no internal identity, no trust it could abuse):

1. sign its synthetic account in on its one synthetic device (CANARY_EMAIL, `client_id` "canary": the same
   device every run, so the account's device list holds one device, however long it runs; the account is
   created on the first run);
2. check that every validator accepts the fresh token (GET /v1/session answers 200): a validator that
   refuses every token would otherwise look perfect;
3. revoke it: POST /v1/sign-out-all with include_current (a per-account cutoff, so the validators'
   revocation index does not grow with the runs; each run adds one entry to the durable feed and one
   signed-out session, as any sign-out does);
4. once the sign-out has answered, probe every validator (CANARY_VALIDATOR_URLS: each gateway's own URL,
   never a load balancer, which would probe one of them at random) with the revoked token until each
   refuses it (401, or 503 while it is not current). Each validator that answers 200 is a stale accept:
   counted once per run in `remotesignout_canary_stale_accepts_total{validator}`, which must stay 0.

Modules: canary.config (its settings), canary.metrics (its series, job "canary"), canary.probe (one run),
canary.__main__ (the process: metrics server, then a run every CANARY_INTERVAL_SECONDS).

The synthetic account is an account of its own: users never see another account's devices, sessions or
activity, and no user-facing list or total exists that counts accounts or sign-ins. Operational series do
count its requests (the gateway's `http_requests_total`, the services' gRPC series: about 3 + 2 x validators
requests per run); `canary_runs_total` says how many. auth_service validators (cluster mode) are not probed:
they validate over gRPC for the gateway only, and the canary has no internal identity.

It imports common/ and no process of the suite (.importlinter): it talks HTTP to the API like any client,
with aiohttp's client.
"""
