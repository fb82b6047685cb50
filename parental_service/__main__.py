"""python -m parental_service: serve ParentalService on PARENTAL_ADDRESS."""

from __future__ import annotations

import asyncio
import logging

from common.grpc_server import configure_logging, serve
from common.metrics import serve_metrics
from parental_service.bootstrap import bootstrap
from parental_service.config import Config
from parental_service.entrypoints.server import build_server

log = logging.getLogger("parental_service")


async def main() -> None:
    config = Config.from_env()
    app = bootstrap(config)
    if config.metrics_port:
        serve_metrics(config.metrics_host, config.metrics_port)
        log.info("metrics on http://%s:%d/metrics", config.metrics_host, config.metrics_port)
    server = build_server(config.address, app)

    async def on_stop() -> None:
        app.close()

    await serve(server, config.grace_seconds, on_stop)


if __name__ == "__main__":
    configure_logging("parental_service")
    asyncio.run(main())
