"""python -m gateway: serve the HTTP gateway on GATEWAY_ADDRESS until SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import signal

from aiohttp import web

from common.runner import run
from common.tls import TlsIdentity
from gateway.app import create_app
from gateway.bootstrap import bootstrap
from gateway.config import Settings, split_address

SHUTDOWN_SECONDS = 5.0
MAX_LINE_BYTES = 64 * 1024  # a request line with every query parameter at its longest (gateway.api)


async def serve() -> None:
    settings = Settings.from_env()
    tls = TlsIdentity.from_env("gateway")
    host, port = split_address(settings.gateway_address)
    runner = web.AppRunner(
        create_app(bootstrap(settings, tls)),
        handler_cancellation=True,
        shutdown_timeout=SHUTDOWN_SECONDS,
        max_line_size=MAX_LINE_BYTES,
        access_log=None,  # aiohttp's own writes the path and query; gateway.request_log writes the route
    )
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await web.TCPSite(runner, host, port).start()
        await stop.wait()
    finally:
        await runner.cleanup()


def main() -> None:
    run("gateway", serve)


if __name__ == "__main__":
    main()
