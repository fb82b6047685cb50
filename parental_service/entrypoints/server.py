"""Building and running the parental_service gRPC server."""

from __future__ import annotations

from grpc import aio
from remotesignout.parental.v1 import parental_pb2_grpc

from common.grpc_server import Server, create_server
from common.revocation_delivery import FeedEntries
from common.revocation_feed import FeedEntryReader
from common.tls import TlsIdentity
from parental_service.config import Config
from parental_service.domain.revocations import Revocation
from parental_service.entrypoints.convert import revocation_from_pb
from parental_service.entrypoints.permissions import PERMISSIONS, SERVICE_NAME
from parental_service.entrypoints.servicer import ParentalServicer
from parental_service.service_layer.app import ParentalApp

__all__ = ["SERVICE_NAME", "build_server"]


def build_server(address: str, app: ParentalApp, feed: FeedEntries[Revocation], *, tls: TlsIdentity,
                 metrics: bool = True, reflection: bool = False) -> Server:
    """`feed` (see `feed_entries`) checks ApplyRevocation calls from callers other than auth_service."""

    def register(server: aio.Server) -> None:
        parental_pb2_grpc.add_ParentalServiceServicer_to_server(ParentalServicer(app, feed), server)

    return create_server(address, register, [SERVICE_NAME], tls=tls, permissions=PERMISSIONS,
                         reflection_enabled=reflection, metrics=metrics)


def feed_entries(config: Config, auth_channel: aio.Channel, *, settle_seconds: float = 1.0
                 ) -> FeedEntryReader[Revocation]:
    """Looks single entries up in auth_service's feed, over the follower's channel, with a deadline
    (see FeedEntryReader for `settle_seconds`)."""
    return FeedEntryReader(
        auth_channel, revocation_from_pb, timeout_seconds=config.rpc_timeout_seconds, settle_seconds=settle_seconds
    )
