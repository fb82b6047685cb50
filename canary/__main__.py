"""python -m canary (remotesignout-canary): serve the canary's metrics, wait for the API's /healthz to answer
200 once (runs are not counted while the suite starts), then run every CANARY_INTERVAL_SECONDS until SIGTERM
or SIGINT (handled: in a container the process is PID 1, which the default SIGTERM would not stop)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time

import aiohttp

from canary.config import Settings
from canary.probe import Canary
from common.metrics import serve_metrics
from common.runner import run
from common.secret_files import read_secret

log = logging.getLogger("canary")


async def run_forever(canary: Canary, interval_seconds: float) -> None:
    await canary.api_ready()
    while True:
        began = time.perf_counter()
        await canary.run_once()
        await asyncio.sleep(max(0.0, interval_seconds - (time.perf_counter() - began)))


async def serve() -> None:
    settings = Settings.from_env()
    password = read_secret("CANARY_PASSWORD_FILE", "canary_password").decode()
    if settings.metrics_port:
        serve_metrics(settings.metrics_host, settings.metrics_port)
    names = ", ".join(f"{name} ({url})" for name, url in settings.probed)
    log.info("probing %s every %g s through %s", names, settings.interval_seconds, settings.api_url)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with aiohttp.ClientSession() as http:
        runs = asyncio.create_task(run_forever(Canary(settings, password, http), settings.interval_seconds))
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({runs, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        runs.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await runs  # re-raises what stopped the runs, if not the signal


def main() -> None:
    run("canary", serve)


if __name__ == "__main__":
    main()
