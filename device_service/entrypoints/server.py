"""device_service's gRPC server: built by `build_server`, run by `main` (python -m device_service)."""

from __future__ import annotations

from collections.abc import Callable

from grpc import aio
from remotesignout.device.v1 import device_pb2_grpc

from common.db import make_engine
from common.grpc_server import Server, create_server
from common.metrics import serve_metrics
from common.readiness import watch_dependencies
from common.revocation_feed import CursorStore, FeedEntryReader, FeedFollower, serve_following
from common.tls import TlsIdentity
from common.unit_of_work import in_thread
from device_service.bootstrap import Dependencies, bootstrap
from device_service.config import Config
from device_service.entrypoints.permissions import PERMISSIONS, SERVICE_NAME
from device_service.entrypoints.servicer import DeviceServicer
from device_service.service_layer.revocations import apply_revocation

# The generated _pb2_grpc module has no annotations; this is the type its function has.
_add_servicer: Callable[[device_pb2_grpc.DeviceServiceServicer, aio.Server], None] = (
    device_pb2_grpc.add_DeviceServiceServicer_to_server
)


def build_server(
    address: str, deps: Dependencies, *, tls: TlsIdentity, metrics: bool = True, reflection: bool = False
) -> Server:
    """A bound server on `address` (port 0 picks a free one), not yet started."""
    return create_server(
        address,
        lambda server: _add_servicer(DeviceServicer(deps), server),
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
        lambda revocation: in_thread(apply_revocation, deps.uow(), deps.clock, revocation),
        CursorStore(make_engine(config.database_url)),
        timeout_seconds=config.rpc_timeout_seconds,
        poll_seconds=config.feed_poll_seconds,
    )


async def main() -> None:
    config = Config.from_env()
    tls = TlsIdentity.from_env("device_service")
    auth_channel = tls.channel(config.auth_address, "auth_service")
    deps = bootstrap(config, feed_entries(config, auth_channel))
    if config.metrics_port:
        serve_metrics(config.metrics_host, config.metrics_port)
    server = build_server(config.address, deps, tls=tls, reflection=config.reflection)
    watch_dependencies(server, deps.dependencies, config.health_check_interval_seconds)
    await serve_following(server, config.grace_seconds, feed_follower(deps, config, auth_channel), auth_channel)
