"""The stale-accept canary: proves, every few seconds, that a revoked token is refused by every validator.

    python -m tools.canary        (`make run` and `make cluster` start it; its metrics URL is in their banner)

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

Metrics on METRICS_HOST:CANARY_METRICS_PORT (job "canary"): the stale accepts, the propagation time
(`remotesignout_canary_propagation_seconds`: the revoking call's start until every validator refused the
token, which includes the answer's own wait for every validator's acknowledgement) and the runs by outcome
(`remotesignout_canary_runs_total{outcome}`: ok, or failed with the reason logged: a step that did not
answer as expected, a validator that did not accept the fresh token or never refused the revoked one, a
stale accept). Runs start once the API's /healthz has answered 200 once (not while the suite starts).

The synthetic account is an account of its own: users never see another account's devices, sessions or
activity, and no user-facing list or total exists that counts accounts or sign-ins. Operational series do
count its requests (the gateway's `http_requests_total`, the services' gRPC series: about 3 + 2 x validators
requests per run); `canary_runs_total` says how many. auth_service validators (cluster mode) are not probed:
they validate over gRPC for the gateway only, and the canary has no internal identity.

Settings: CANARY_API_URL (http://127.0.0.1:8080: where clients go), CANARY_VALIDATOR_URLS
("gateway-1=http://10.0.0.1:8080,gateway-2=..."; default: the API URL, named "gateway"),
CANARY_INTERVAL_SECONDS (5), CANARY_EMAIL (canary@remotesignout.invalid), CANARY_PASSWORD_FILE (default
<data dir>/secrets/canary_password, which tools.local_secrets makes for local runs),
CANARY_PROPAGATION_TIMEOUT_SECONDS (10), CANARY_METRICS_PORT (9104), METRICS_HOST (127.0.0.1).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Annotated, Any

import aiohttp
from prometheus_client import Counter, Histogram
from pydantic import field_validator
from pydantic_settings import NoDecode

from common.config import ProcessSettings, env
from common.metrics import LATENCY_BUCKETS, serve_metrics
from common.runner import run
from common.secret_files import read_secret

log = logging.getLogger("canary")

DEVICE = {"client_id": "canary", "name": "Stale-accept canary", "type": "computer"}
OK, FAILED = "ok", "failed"
REFUSED = frozenset({401, 503})
"""A validator refusing a token: revoked (401), or not current (503): either way it does not accept it."""
PROBE_PAUSE_SECONDS = 0.05

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

Validators = tuple[tuple[str, str], ...]


def parse_validators(raw: str) -> Validators:
    """(name, base URL) pairs from "gateway-1=http://a:8080,gateway-2=http://b:8080"."""
    pairs = []
    for entry in (part.strip() for part in raw.split(",")):
        if not entry:
            continue
        name, sep, url = entry.partition("=")
        if not sep or not name.strip() or not url.strip().startswith(("http://", "https://")):
            raise SystemExit("CANARY_VALIDATOR_URLS must be 'name=http://host:port,name2=http://host2:port'")
        pairs.append((name.strip(), url.strip().rstrip("/")))
    return tuple(pairs)


class Settings(ProcessSettings):
    api_url: str = env("CANARY_API_URL", "http://127.0.0.1:8080")
    validators: Annotated[Validators, NoDecode] = env("CANARY_VALIDATOR_URLS", ())
    interval_seconds: float = env("CANARY_INTERVAL_SECONDS", 5.0, gt=0)
    email: str = env("CANARY_EMAIL", "canary@remotesignout.invalid")
    propagation_timeout_seconds: float = env("CANARY_PROPAGATION_TIMEOUT_SECONDS", 10.0, gt=0)
    request_timeout_seconds: float = env("CANARY_REQUEST_TIMEOUT_SECONDS", 5.0, gt=0)
    metrics_host: str = env("METRICS_HOST", "127.0.0.1")
    metrics_port: int = env("CANARY_METRICS_PORT", 9104, ge=0)

    @field_validator("validators", mode="before")
    @classmethod
    def _parse_validators(cls, value: object) -> object:
        return parse_validators(value) if isinstance(value, str) else value

    @property
    def probed(self) -> Validators:
        """The validators probed: the configured ones, or the API URL itself as "gateway"."""
        return self.validators or (("gateway", self.api_url.rstrip("/")),)


class RunFailed(Exception):
    """A step of a run did not answer as expected; the message says which (no token, no password)."""


@dataclass
class Canary:
    settings: Settings
    password: str
    http: aiohttp.ClientSession

    def __post_init__(self) -> None:
        for name, _url in self.settings.probed:  # every series exists from the start: 0 is a reading
            STALE_ACCEPTS.labels(name)
        for outcome in (OK, FAILED):
            RUNS.labels(outcome)

    async def _call(
        self, method: str, url: str, body: dict[str, Any] | None = None, token: str = ""
    ) -> tuple[int, dict[str, Any]]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        timeout = aiohttp.ClientTimeout(total=self.settings.request_timeout_seconds)
        async with self.http.request(method, url, json=body, headers=headers, timeout=timeout) as response:
            try:
                answer = await response.json(content_type=None)
            except ValueError:
                answer = {}
            return response.status, answer if isinstance(answer, dict) else {}

    async def sign_in(self) -> str:
        """A fresh access token of the synthetic account on its one device (the account made if missing)."""
        api = self.settings.api_url.rstrip("/")
        body = {"email": self.settings.email, "password": self.password, "device": DEVICE}
        status, answer = await self._call("POST", f"{api}/v1/sign-in", body)
        if status == 401:
            created, _ = await self._call(
                "POST", f"{api}/v1/accounts", {"email": self.settings.email, "password": self.password}
            )
            if created not in (201, 409):
                raise RunFailed(f"creating the canary's account answered {created}")
            status, answer = await self._call("POST", f"{api}/v1/sign-in", body)
        if status != 200 or not isinstance(answer.get("access_token"), str):
            raise RunFailed(f"signing in answered {status}")
        return str(answer["access_token"])

    async def probe(self, url: str, token: str) -> int:
        """GET /v1/session at one validator: its status, or 0 when it could not be reached."""
        try:
            status, _ = await self._call("GET", f"{url}/v1/session", token=token)
        except (aiohttp.ClientError, TimeoutError):
            return 0
        return status

    async def until_all(self, token: str, wanted: frozenset[int], deadline: float) -> tuple[set[str], set[str]]:
        """Probe every validator until each answers one of `wanted` or `deadline` passes; (those that never
        did, those that answered 200 on the way)."""
        waiting = dict(self.settings.probed)
        accepted: set[str] = set()
        while waiting:
            statuses = await asyncio.gather(*(self.probe(url, token) for url in waiting.values()))
            for name, status in zip(list(waiting), statuses, strict=True):
                if status == 200:
                    accepted.add(name)
                if status in wanted:
                    del waiting[name]
            if not waiting or time.perf_counter() >= deadline:
                break
            await asyncio.sleep(PROBE_PAUSE_SECONDS)
        return set(waiting), accepted

    async def api_ready(self) -> None:
        """Wait until the API's /healthz first answers 200: runs are counted from then on (not while the suite
        is still starting)."""
        while True:
            try:
                status, _ = await self._call("GET", f"{self.settings.api_url.rstrip('/')}/healthz")
                if status == 200:
                    return
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(min(self.settings.interval_seconds, 1.0))

    async def run_once(self) -> str:
        """One run; its outcome, counted."""
        try:
            await self._run()
        except (RunFailed, aiohttp.ClientError, TimeoutError) as error:
            log.warning("canary run failed: %s", error if isinstance(error, RunFailed) else type(error).__name__)
            RUNS.labels(FAILED).inc()
            return FAILED
        RUNS.labels(OK).inc()
        return OK

    async def _run(self) -> None:
        token = await self.sign_in()
        timeout = self.settings.propagation_timeout_seconds
        not_accepting, _ = await self.until_all(token, frozenset({200}), time.perf_counter() + timeout)
        if not_accepting:
            raise RunFailed(f"validators did not accept a fresh token, so cannot be checked: {sorted(not_accepting)}")
        started = time.perf_counter()
        status, _ = await self._call(
            "POST", f"{self.settings.api_url.rstrip('/')}/v1/sign-out-all", {"include_current": True}, token
        )
        if status != 200:
            raise RunFailed(f"signing out answered {status}")
        still_accepting, stale = await self.until_all(token, REFUSED, started + timeout)
        for name in sorted(stale):
            STALE_ACCEPTS.labels(name).inc()
            log.error("STALE ACCEPT: validator %s accepted a token after its sign-out had answered", name)
        if still_accepting:
            raise RunFailed(
                f"validators did not refuse the revoked token within {timeout:g} s: {sorted(still_accepting)}"
            )
        PROPAGATION.observe(time.perf_counter() - started)
        if stale:
            raise RunFailed(f"stale accepts at {sorted(stale)}")


async def main() -> None:
    settings = Settings.from_env()
    password = read_secret("CANARY_PASSWORD_FILE", "canary_password").decode()
    if settings.metrics_port:
        serve_metrics(settings.metrics_host, settings.metrics_port)
    names = ", ".join(f"{name} ({url})" for name, url in settings.probed)
    log.info("probing %s every %g s through %s", names, settings.interval_seconds, settings.api_url)
    async with aiohttp.ClientSession() as http:
        canary = Canary(settings, password, http)
        await canary.api_ready()
        while True:
            began = time.perf_counter()
            await canary.run_once()
            await asyncio.sleep(max(0.0, settings.interval_seconds - (time.perf_counter() - began)))


if __name__ == "__main__":
    run("canary", main)
