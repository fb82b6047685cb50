"""`make run`: start the whole suite on this machine, seed a demo account, wait for Ctrl-C.

Addresses and ports come from the same environment variables the services read
(defaults in docs/architecture.md, "Processes"); data and logs go under $REMOTESIGNOUT_DATA_DIR (./data).
"""

from __future__ import annotations

import os
import pathlib
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType

from tools.demo import DEMO_DEVICES, DEMO_EMAIL, DEMO_PASSWORD, DemoAccount, GatewayError, seed, seed_household
from tools.supervisor import Suite, SuiteConfig, SuiteError

WATCH_SECONDS = 0.5


class Interrupted(Exception):
    """SIGINT or SIGTERM arrived: stop the suite and exit 0."""


def config_from_env() -> SuiteConfig:
    env = os.environ.get
    return SuiteConfig(
        auth_address=env("AUTH_ADDRESS", "127.0.0.1:50051"),
        device_address=env("DEVICE_ADDRESS", "127.0.0.1:50052"),
        parental_address=env("PARENTAL_ADDRESS", "127.0.0.1:50053"),
        gateway_address=env("GATEWAY_ADDRESS", "127.0.0.1:8080"),
        auth_metrics_port=int(env("AUTH_METRICS_PORT", "9101")),
        device_metrics_port=int(env("DEVICE_METRICS_PORT", "9102")),
        parental_metrics_port=int(env("PARENTAL_METRICS_PORT", "9103")),
        metrics_host=env("METRICS_HOST", "127.0.0.1"),
        data_dir=pathlib.Path(env("REMOTESIGNOUT_DATA_DIR", "data")),
        extra_env={"GRPC_REFLECTION": "1"},  # grpcurl and friends can list the services locally
        canary_metrics_port=int(env("CANARY_METRICS_PORT", "9104")),  # 0: no stale-accept canary
    )


def curl_lines(gateway_url: str, tv_device_id: str) -> list[str]:
    """Commands a new user can paste, in order, to try remote sign-out by hand."""
    sign_in = (
        f'{{"email":"{DEMO_EMAIL}","password":"{DEMO_PASSWORD}",'
        '"device":{"client_id":"curl-terminal","name":"My terminal","type":"computer"}}'
    )
    auth = '-H "Authorization: Bearer $TOKEN"'
    return [
        f"TOKEN=$(curl -s -X POST {gateway_url}/v1/sign-in -H 'Content-Type: application/json' "
        f"-d '{sign_in}' | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')",
        f"curl -s {gateway_url}/v1/devices {auth}",
        f"curl -s -X POST {gateway_url}/v1/devices/{tv_device_id}/sign-out {auth}"
        "   # 403 reauthentication_required 10 min after sign-in: POST /v1/session/confirm-password {password}",
        f"curl -s -X POST {gateway_url}/v1/sign-out-all {auth} -H 'Content-Type: application/json' "
        "-d '{\"include_current\": false}'",
        f"curl -s -X POST {gateway_url}/v1/sign-out {auth}",
        f"curl -s -o /dev/null -w '%{{http_code}}\\n' {gateway_url}/v1/session {auth}   # 401: the token is revoked",
    ]


def canary_lines(metrics_urls: dict[str, str]) -> list[str]:
    """What the banner says of the stale-accept canary (`python -m canary`), if it runs."""
    if "canary" not in metrics_urls:
        return ["  (no stale-accept canary: CANARY_METRICS_PORT=0)"]
    return [
        "  the canary signs a synthetic account in and out every CANARY_INTERVAL_SECONDS (5) and probes every",
        f"  gateway: remotesignout_canary_stale_accepts_total must stay 0 ({metrics_urls['canary']})",
    ]


def banner(config: SuiteConfig, account: DemoAccount, log_dir: pathlib.Path) -> str:
    tv_device_id = account.device_ids.get("Living room TV") or "<device_id>"
    lines = [
        "",
        f"remote-signout is running. Gateway: {config.gateway_url}/",
        f"Sign a TV in with a code: {config.gateway_url}/tv-screen (the TV), {config.gateway_url}/tv (the phone)",
        "Metrics:",
        *(f"  {name:<17}{url}" for name, url in config.metrics_urls().items()),
        *canary_lines(config.metrics_urls()),
        f"Logs: {log_dir}/ (one JSON object per line: jq, or LOG_FORMAT=console for plain text)",
        "",
        "Demo mode: the gateway accepts the demo OAuth client resource-server / resource-server-secret,",
        f"gRPC reflection is on, and a throw-away CA, certificates and keys live in {config.data_dir / 'secrets'}/.",
        "",
        f"Demo account: {DEMO_EMAIL} / {DEMO_PASSWORD}" + (" (created now)" if account.created else " (already there)"),
        "Signed-in devices:",
        *(f"  {name:<17}{device_id}" for name, device_id in account.device_ids.items()),
        *(f"  not signed in: {problem}" for problem in account.problems),
        "",
        "Try it (paste in order):",
        *(f"  {line}" for line in curl_lines(config.gateway_url, tv_device_id)),
        "",
        "Ctrl-C stops everything.",
    ]
    return "\n".join(lines)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    # The first Ctrl-C (or SIGTERM) stops the suite; any later one must not interrupt that stop, or the
    # children (in sessions of their own) would be left running.
    for other in (signal.SIGINT, signal.SIGTERM):
        signal.signal(other, signal.SIG_IGN)
    raise Interrupted(signal.Signals(signum).name)


def seed_demo(gateway_url: str) -> DemoAccount:
    """The demo account with its household, or an empty one (and a message) when seeding failed."""
    try:
        account = seed(gateway_url)
        if account.created and len(account.access_tokens) == len(DEMO_DEVICES):
            seed_household(gateway_url, account)
        return account
    except (GatewayError, OSError) as error:
        print(f"seeding the demo account failed: {error}", file=sys.stderr)
        return DemoAccount()


def serve(suite: Suite, start: Callable[[], object], describe: Callable[[], str]) -> int:
    """Start, print `describe()`, watch the children until Ctrl-C or SIGTERM, stop; the exit status."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    status = 0
    try:
        print(f"starting (logs in {suite.log_dir}/) ...", flush=True)
        start()
        print(describe(), flush=True)
        idle = threading.Event()
        while not idle.wait(WATCH_SECONDS):
            suite.check_alive()
    except Interrupted:
        print("\nstopping ...", flush=True)
    except (SuiteError, RuntimeError) as error:
        print(f"\n{error}", file=sys.stderr)
        status = 1
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)
        codes = suite.stop()
        if codes:
            print("stopped: " + ", ".join(f"{name} {code}" for name, code in codes.items()), flush=True)
    return status


def main() -> int:
    config = config_from_env()
    log_dir = config.data_dir / "logs"
    suite = Suite(config, log_dir=log_dir)
    return serve(suite, suite.start, lambda: banner(config, seed_demo(config.gateway_url), log_dir))


if __name__ == "__main__":
    sys.exit(main())
