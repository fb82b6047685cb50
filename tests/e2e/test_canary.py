"""The stale-accept canary (`python -m canary`) against the running suite: its runs succeed with no stale accept,
its account keeps one device, its metrics are clean; and a validator that accepts a revoked token is caught."""

from __future__ import annotations

import dataclasses
import pathlib
import shutil
import subprocess
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest
from aiohttp import web
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from canary.config import Settings
from canary.metrics import FAILED, OK
from canary.probe import Canary
from tests.support import free_port, require_service
from tools.json_http import call
from tools.supervisor import Suite, SuiteConfig

CANARY_EMAIL = "canary@remotesignout.invalid"


@dataclasses.dataclass(frozen=True)
class Running:
    config: SuiteConfig
    suite: Suite

    @property
    def password(self) -> str:
        return (pathlib.Path(self.config.data_dir) / "secrets" / "canary_password").read_text().strip()


@pytest.fixture(scope="module")
def running(tmp_path_factory) -> Iterator[Running]:  # type: ignore[no-untyped-def]
    """The suite with its canary, every half second (`make run`'s, faster)."""
    root = tmp_path_factory.mktemp("canary")
    config = dataclasses.replace(
        SuiteConfig.on_free_ports(root / "data", {"GRACE_SECONDS": "2", "CANARY_INTERVAL_SECONDS": "0.5"}),
        canary_metrics_port=free_port(),
    )
    with Suite(config, log_dir=root / "logs") as suite:
        yield Running(config, suite)


def scrape(url: str) -> dict[str, float]:
    text = urllib.request.urlopen(url, timeout=5).read().decode()
    return {
        f"{sample.name}{sorted(sample.labels.items())}": sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def runs(samples: dict[str, float], outcome: str) -> float:
    return samples.get(f"remotesignout_canary_runs_total{[('outcome', outcome)]}", 0.0)


def test_the_canary_runs_ok_with_no_stale_accept(running: Running) -> None:
    url = running.config.metrics_urls()["canary"]
    deadline = time.monotonic() + 60
    samples = scrape(url)
    while runs(samples, OK) < 5 and time.monotonic() < deadline:
        time.sleep(0.5)
        samples = scrape(url)
    assert runs(samples, OK) >= 5, samples
    assert runs(samples, FAILED) == 0, pathlib.Path(running.suite.log_path("canary")).read_text()[-2000:]
    assert samples[f"remotesignout_canary_stale_accepts_total{[('validator', 'gateway')]}"] == 0
    assert samples["remotesignout_canary_propagation_seconds_count[]"] >= 5


def test_the_canary_keeps_one_device_and_its_account_to_itself(running: Running) -> None:
    base = running.config.gateway_url
    device = {"client_id": "canary", "name": "Stale-accept canary", "type": "computer"}
    signed = call(base, "POST", "/v1/sign-in", {"email": CANARY_EMAIL, "password": running.password, "device": device})
    assert signed.status == 200
    listed = call(base, "GET", "/v1/devices", token=signed.body["access_token"])
    assert listed.status == 200
    assert len(listed.body["devices"]) == 1  # however many runs: one device, reused
    canary_devices = {device["device_id"] for device in listed.body["devices"]}
    password = "correct horse battery"
    assert call(base, "POST", "/v1/accounts", {"email": "someone@example.com", "password": password}).status == 201
    user_device = {"client_id": "user-tv", "name": "User TV", "type": "tv"}
    user = call(
        base, "POST", "/v1/sign-in", {"email": "someone@example.com", "password": password, "device": user_device}
    ).body
    theirs = call(base, "GET", "/v1/devices", token=user["access_token"]).body["devices"]
    assert [device["name"] for device in theirs] == ["User TV"]  # a user sees their own device only
    assert not canary_devices & {device["device_id"] for device in theirs}


def test_the_canary_metrics_are_its_own_and_promtool_clean(running: Running) -> None:
    text = urllib.request.urlopen(running.config.metrics_urls()["canary"], timeout=5).read().decode()
    ours = {
        family.name
        for family in text_string_to_metric_families(text)
        if family.name.startswith("remotesignout_") and not family.name.endswith("_created")
    }
    assert ours == {
        "remotesignout_canary_stale_accepts",
        "remotesignout_canary_propagation_seconds",
        "remotesignout_canary_runs",
    }
    promtool = shutil.which("promtool")
    if promtool is None:
        require_service("promtool is not installed (apt-get install prometheus)")
        return
    checked = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and not (checked.stdout + checked.stderr).strip(), checked.stdout + checked.stderr


@pytest.fixture
async def lying_validator() -> AsyncIterator[str]:
    """A "validator" that accepts every token, revoked or not."""

    async def session(_request: web.Request) -> web.Response:
        return web.json_response({"session_id": "whatever"})

    app = web.Application()
    app.router.add_get("/v1/session", session)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


def stale(validator: str) -> float:
    return REGISTRY.get_sample_value("remotesignout_canary_stale_accepts_total", {"validator": validator}) or 0.0


async def test_a_validator_that_accepts_a_revoked_token_is_a_stale_accept(running: Running, lying_validator) -> None:  # type: ignore[no-untyped-def]
    gateway = running.config.gateway_url
    settings = Settings(
        api_url=gateway,
        validators=(("gateway", gateway), ("liar", lying_validator)),
        propagation_timeout_seconds=1.0,
    )
    before = {name: stale(name) for name in ("gateway", "liar")}
    async with aiohttp.ClientSession() as http:
        outcome = await Canary(settings, running.password, http).run_once()
    assert outcome == FAILED
    assert stale("liar") == before["liar"] + 1
    assert stale("gateway") == before["gateway"]


async def test_with_honest_validators_the_same_run_is_ok(running: Running) -> None:
    gateway = running.config.gateway_url
    settings = Settings(api_url=gateway, validators=(("gateway", gateway),), propagation_timeout_seconds=5.0)
    before = stale("gateway")
    async with aiohttp.ClientSession() as http:
        assert await Canary(settings, running.password, http).run_once() == OK
    assert stale("gateway") == before
