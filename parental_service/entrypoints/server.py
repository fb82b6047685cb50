"""Building and running the parental_service gRPC server."""

from __future__ import annotations

from grpc import aio
from remotesignout.parental.v1 import parental_pb2, parental_pb2_grpc

from common.grpc_server import Server, create_server
from common.revocation_delivery import FeedEntries
from common.revocation_feed import FeedEntryReader
from parental_service.config import Config
from parental_service.domain.revocations import Revocation
from parental_service.entrypoints.convert import revocation_from_pb
from parental_service.entrypoints.servicer import ParentalServicer
from parental_service.service_layer.app import ParentalApp

SERVICE_NAME = parental_pb2.DESCRIPTOR.services_by_name["ParentalService"].full_name


def build_server(address: str, app: ParentalApp, feed: FeedEntries[Revocation], *, metrics: bool = True) -> Server:
    """`feed` (see `feed_entries`) checks ApplyRevocation calls from callers other than auth_service."""

    def register(server: aio.Server) -> None:
        parental_pb2_grpc.add_ParentalServiceServicer_to_server(ParentalServicer(app, feed), server)

    return create_server(address, register, [SERVICE_NAME], metrics=metrics)


def feed_entries(config: Config, auth_channel: aio.Channel, *, settle_seconds: float = 1.0
                 ) -> FeedEntryReader[Revocation]:
    """Looks single entries up in auth_service's feed, over the follower's channel, with a deadline
    (see FeedEntryReader for `settle_seconds`)."""
    return FeedEntryReader(
        auth_channel, revocation_from_pb, timeout_seconds=config.rpc_timeout_seconds, settle_seconds=settle_seconds
    )
