"""auth_service's revocation feed as the gateway's push path reads it, over ListRevocations.

`FeedReader` is the durable feed: its head, and every entry after a sequence
(pages of FEED_PAGE entries), which gateway.dispatch uses to start at the head and
to re-read what it missed after a break or a gap. New entries come from the
validator link's `subscribe()` (gateway.revocation_link: embedded SyncRevocations,
or Redis), never from polling.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc

from common import revocation_proto
from common.revocation import Revocation

FEED_PAGE = 1000
BEYOND_ANY_SEQUENCE = 2**62
"""A cursor no entry follows: its page is empty and says the feed's head."""


class FeedReader:
    def __init__(self, auth: auth_pb2_grpc.AuthServiceAsyncStub, timeout: float) -> None:
        self.auth = auth
        self.timeout = timeout

    async def _page(self, after: int, page_size: int = FEED_PAGE) -> auth_pb2.ListRevocationsResponse:
        page: auth_pb2.ListRevocationsResponse = await self.auth.ListRevocations(
            auth_pb2.ListRevocationsRequest(after_sequence=after, page_size=page_size), timeout=self.timeout
        )
        return page

    async def page(self, after: int) -> tuple[list[Revocation], int]:
        """One page of entries after `after`, and the feed's last committed sequence when it was read."""
        reply = await self._page(after)
        return [revocation_proto.from_proto(entry) for entry in reply.revocations], int(reply.last_sequence)

    async def head(self) -> int:
        """The feed's last committed sequence."""
        return int((await self._page(BEYOND_ANY_SEQUENCE, 1)).last_sequence)

    async def entries_after(self, sequence: int) -> AsyncIterator[Revocation]:
        """Every entry after `sequence`, in order, up to the head when the last page was read."""
        while True:
            page = await self._page(sequence)
            for entry in page.revocations:
                yield revocation_proto.from_proto(entry)
                sequence = entry.sequence
            if len(page.revocations) < FEED_PAGE:
                return
