"""parental_service's gRPC server: built by `build_server`, run by `main` (python -m parental_service)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from grpc import aio
from remotesignout.parental.v1 import parental_pb2_grpc

from common.db import make_engine
from common.grpc_server import Server, create_server
from common.metrics import serve_metrics
from common.readiness import watch_dependencies
from common.revocation_feed import CursorStore, FeedEntryReader, FeedFollower, serve_following
from common.tls import TlsIdentity
from common.unit_of_work import in_thread
from parental_service.bootstrap import Dependencies, bootstrap
from parental_service.config import Config
from parental_service.entrypoints.permissions import PERMISSIONS, SERVICE_NAME
from parental_service.entrypoints.servicer import ParentalServicer
from parental_service.service_layer.revocations import apply_revocation

log = logging.getLogger("parental_service")

# The generated _pb2_grpc module has no annotations; this is the type its function has.
_add_servicer: Callable[[parental_pb2_grpc.ParentalServiceServicer, aio.Server], None] = (
    parental_pb2_grpc.add_ParentalServiceServicer_to_server
)


def build_server(
    address: str, deps: Dependencies, *, tls: TlsIdentity, metrics: bool = True, reflection: bool = False
) -> Server:
    """A bound server on `address` (port 0 picks a free one), not yet started."""
    return create_server(
        address,
        lambda server: _add_servicer(ParentalServicer(deps), server),
        [SERVICE_NAME],
        tls=tls,
        permissions=PERMISSIONS,
        reflection_enabled=reflection,
        metrics=metrics,
    )


def feed_entries(config: Config, auth_channel: aio.Channel, *, settle_seconds: float = 1.0) -> FeedEntryReader:
    """Looks single entries up in auth_service's feed, over the follower's channel, with a deadline
    (see FeedEntryReader for `settle_seconds`)."""
    return FeedEntryReader(auth_channel, timeout_seconds=config.rpc_timeout_seconds, settle_seconds=settle_seconds)


def feed_follower(deps: Dependencies, config: Config, auth_channel: aio.Channel) -> FeedFollower:
    """Catches up on revocations made while this service was down (or whose delivery failed)."""
    return FeedFollower(
        auth_channel,
        lambda revocation: in_thread(apply_revocation, deps.uow(), deps.clock, deps.stops, revocation),
        CursorStore(make_engine(config.database_url)),
        timeout_seconds=config.rpc_timeout_seconds,
        poll_seconds=config.feed_poll_seconds,
    )


async def main() -> None:
    config = Config.from_env()
    tls = TlsIdentity.from_env("parental_service")
    auth_channel = tls.channel(config.auth_address, "auth_service")
    deps = bootstrap(config, feed_entries(config, auth_channel))
    if config.metrics_port:
        serve_metrics(config.metrics_host, config.metrics_port)
        log.info("metrics on http://%s:%d/metrics", config.metrics_host, config.metrics_port)
    server = build_server(config.address, deps, tls=tls, reflection=config.reflection)
    watch_dependencies(server, deps.dependencies, config.health_check_interval_seconds)
    await deps.stops.start()  # with PARENTAL_REDIS_URL: every replica's stops reach this one's watchers
    await serve_following(
        server, config.grace_seconds, feed_follower(deps, config, auth_channel), auth_channel, [deps.stops.close]
    )
