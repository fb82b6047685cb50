"""python -m parental_service: serve ParentalService on PARENTAL_ADDRESS."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from common.db import make_engine
from common.grpc_server import configure_logging, serve
from common.metrics import serve_metrics
from common.revocation_feed import CursorStore, FeedFollower
from common.tls import TlsIdentity
from parental_service.bootstrap import bootstrap
from parental_service.config import Config
from parental_service.entrypoints.convert import revocation_from_pb
from parental_service.entrypoints.server import build_server, feed_entries

log = logging.getLogger("parental_service")


async def main() -> None:
    config = Config.from_env()
    tls = TlsIdentity.from_env("parental_service")
    app = bootstrap(config)
    if config.metrics_port:
        serve_metrics(config.metrics_host, config.metrics_port)
        log.info("metrics on http://%s:%d/metrics", config.metrics_host, config.metrics_port)
    auth_channel = tls.channel(config.auth_address, "auth_service")
    server = build_server(config.address, app, feed_entries(config, auth_channel), tls=tls,
                          reflection=config.reflection)
    follower = FeedFollower(
        auth_channel, lambda message: app.apply_revocation(revocation_from_pb(message)),
        CursorStore(make_engine(config.database_url)), timeout_seconds=config.rpc_timeout_seconds,
        poll_seconds=config.feed_poll_seconds,
    )
    following = asyncio.create_task(follower.run())

    async def on_stop() -> None:
        following.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await following
        await auth_channel.close()
        app.close()

    await serve(server, config.grace_seconds, on_stop)


if __name__ == "__main__":
    configure_logging("parental_service")
    asyncio.run(main())
