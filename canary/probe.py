"""One canary run: sign in, check every validator accepts the fresh token, revoke it, probe every validator
until each refuses it (the steps: the canary package's docstring). Each validator that still answers 200
after the sign-out has answered is a stale accept, counted in canary.metrics.

It talks to the public HTTP API only, like any client, with aiohttp's client.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

import aiohttp

from canary.config import Settings
from canary.metrics import FAILED, OK, PROPAGATION, RUNS, STALE_ACCEPTS

log = logging.getLogger("canary")

DEVICE = {"client_id": "canary", "name": "Stale-accept canary", "type": "computer"}
REFUSED = frozenset({401, 503})
"""A validator refusing a token: revoked (401), or not current (503): either way it does not accept it."""
PROBE_PAUSE_SECONDS = 0.05


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
