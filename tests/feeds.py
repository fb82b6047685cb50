"""Fakes of auth_service's revocation feed: in memory for the service layers, over gRPC for servers.

What a test publishes here is what "auth_service wrote"; anything else a test
sends to ApplyRevocation is a delivery the service must not take at its word.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import grpc
from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc

from auth_service.entrypoints.permissions import PERMISSIONS, SERVICE_NAME
from common.errors import Unavailable
from common.grpc_server import create_server
from common.revocation import Revocation
from common.tls import TlsIdentity


class FakeFeedEntries:
    """The FeedEntries port (common.revocation_delivery): entries by sequence; `down` makes every
    look-up Unavailable."""

    def __init__(self, *entries: Revocation) -> None:
        self.entries: dict[int, Revocation] = {}
        self.down = False
        self.asked: list[int] = []
        for entry in entries:
            self.publish(entry)

    def publish(self, entry: Revocation) -> Revocation:
        self.entries[entry.sequence] = entry
        return entry

    async def entry(self, sequence: int) -> Revocation | None:
        self.asked.append(sequence)
        if self.down:
            raise Unavailable("auth_service is down for the test.")
        return self.entries.get(sequence)


class FakeAuthFeed(auth_pb2_grpc.AuthServiceServicer):
    """auth_service's ListRevocations, and nothing else, over what tests publish."""

    def __init__(self) -> None:
        self.entries: dict[int, auth_pb2.Revocation] = {}
        self.down = False
        self.requests: list[auth_pb2.ListRevocationsRequest] = []
        self.address = ""

    def publish(self, revocation: auth_pb2.Revocation) -> auth_pb2.Revocation:
        """auth_service writes `revocation` to its feed; returns it, to deliver."""
        self.entries[revocation.sequence] = revocation
        return revocation

    async def ListRevocations(self, request, context):  # type: ignore[no-untyped-def]
        self.requests.append(request)
        if self.down:
            await context.abort(grpc.StatusCode.UNAVAILABLE, "auth_service is down for the test.")
        after = sorted(s for s in self.entries if s > request.after_sequence)[: request.page_size or 100]
        return auth_pb2.ListRevocationsResponse(
            revocations=[self.entries[s] for s in after], last_sequence=max(self.entries, default=0)
        )


@contextlib.asynccontextmanager
async def serving_auth_feed(tls: TlsIdentity) -> AsyncIterator[FakeAuthFeed]:
    """A FakeAuthFeed on a free loopback port, behind auth_service's mutual TLS (`tls`, its identity)
    and permission table; its `address` is set."""
    feed = FakeAuthFeed()
    server = create_server(
        "127.0.0.1:0",
        lambda s: auth_pb2_grpc.add_AuthServiceServicer_to_server(feed, s),
        [SERVICE_NAME],
        tls=tls,
        permissions=PERMISSIONS,
        metrics=False,
    )
    feed.address = f"127.0.0.1:{server.port}"
    await server.start()
    try:
        yield feed
    finally:
        await server.stop(0)
