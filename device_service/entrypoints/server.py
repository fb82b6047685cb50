"""Builds the gRPC server of device_service and runs it."""

from __future__ import annotations

import asyncio
import contextlib

from grpc import aio
from remotesignout.device.v1 import device_pb2_grpc

from common.db import make_engine
from common.grpc_server import Server, configure_logging, create_server, serve
from common.metrics import serve_metrics
from common.revocation_delivery import FeedEntries
from common.revocation_feed import CursorStore, FeedEntryReader, FeedFollower
from common.tls import TlsIdentity
from device_service.bootstrap import bootstrap
from device_service.config import Config
from device_service.domain.revocation import Revocation
from device_service.entrypoints.permissions import PERMISSIONS
from device_service.entrypoints.servicer import SERVICE_NAME, DeviceServicer
from device_service.entrypoints.translate import revocation_from
from device_service.service_layer.dependencies import Dependencies
from device_service.service_layer.revocations import apply_revocation


def build_server(deps: Dependencies, address: str, feed: FeedEntries[Revocation], *, tls: TlsIdentity,
                 metrics: bool = True, reflection: bool = False) -> Server:
    """A bound server on `address` (port 0 picks a free one), not yet started.

    `feed` (see `feed_entries`) checks ApplyRevocation calls from callers other than auth_service.
    """

    def register(server: aio.Server) -> None:
        device_pb2_grpc.add_DeviceServiceServicer_to_server(DeviceServicer(deps, feed), server)

    return create_server(address, register, [SERVICE_NAME], tls=tls, permissions=PERMISSIONS,
                         reflection_enabled=reflection, metrics=metrics)


def feed_entries(config: Config, auth_channel: aio.Channel, *, settle_seconds: float = 1.0
                 ) -> FeedEntryReader[Revocation]:
    """Looks single entries up in auth_service's feed, over the follower's channel, with a deadline
    (see FeedEntryReader for `settle_seconds`)."""
    return FeedEntryReader(
        auth_channel, revocation_from, timeout_seconds=config.rpc_timeout_seconds, settle_seconds=settle_seconds
    )


def feed_follower(deps: Dependencies, config: Config, auth_channel: aio.Channel) -> FeedFollower:
    """Catches up on revocations made while this service was down."""
    return FeedFollower(
        auth_channel, lambda message: asyncio.to_thread(apply_revocation, deps, revocation_from(message)),
        CursorStore(make_engine(config.database_url)), timeout_seconds=config.rpc_timeout_seconds,
        poll_seconds=config.feed_poll_seconds,
    )


async def main() -> None:
    configure_logging("device_service")
    config = Config.from_env()
    tls = TlsIdentity.from_env("device_service")
    deps = bootstrap(config)
    if config.metrics_port:
        serve_metrics(config.metrics_host, config.metrics_port)
    auth_channel = tls.channel(config.auth_address, "auth_service")
    follower = asyncio.create_task(feed_follower(deps, config, auth_channel).run())

    async def on_stop() -> None:
        follower.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await follower
        await auth_channel.close()

    server = build_server(deps, config.address, feed_entries(config, auth_channel), tls=tls,
                          reflection=config.reflection)
    await serve(server, config.grace_seconds, on_stop)
