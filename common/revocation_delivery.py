"""Which revocation to apply when one is delivered: auth_service's word, never the messenger's.

device_service and parental_service learn of a revocation twice: at once, from
an ApplyRevocation call (the gateway's fan-out, its event stream, or
auth_service), and later from their feed follower, which reads auth_service's
feed over its own channel. Only auth_service writes the feed, so only a
delivery from auth_service itself is applied as sent. From any other caller the
sequence number is all that is used: the entry with exactly that sequence is
read from auth_service's feed, and that entry is applied. A compromised or buggy
caller can therefore neither sign out devices auth_service did not revoke, nor
burn a future sequence number (have it recorded as applied, so that the real
revocation with that number would later be skipped as already applied).

Nothing here knows gRPC: the feed is a port (`FeedEntries`), entries are the
shared contract (common.revocation.Revocation), and the caller's process name
comes from the servicer (`common.permissions.caller()`).
"""

from __future__ import annotations

import logging
from typing import Protocol

from prometheus_client import Counter

from common.errors import NotFound, Unavailable
from common.revocation import Revocation

log = logging.getLogger(__name__)

AUTH_SERVICE = "auth_service"
NOT_IN_FEED = "revocation_not_in_feed"

DELIVERY_CHECKS = Counter(
    "remotesignout_revocation_delivery_checks",
    "ApplyRevocation calls from a caller other than auth_service, checked against auth_service's feed, by "
    "outcome: matched, replaced (the feed's content was applied instead of the request's), not_in_feed "
    "(refused), feed_unavailable (refused; the feed follower catches up).",
    ["outcome"],
)


class FeedEntries(Protocol):
    async def entry(self, sequence: int) -> Revocation | None:
        """auth_service's feed entry with exactly `sequence`, None when the feed has none;
        raises common.errors.Unavailable when the feed cannot be read."""
        ...


async def authentic(delivered: Revocation, caller: str, feed: FeedEntries) -> Revocation:
    """The revocation to apply for `delivered`, sent by the process named `caller`.

    auth_service's own delivery is applied as sent. For anyone else, auth_service's
    feed entry with the same sequence, whatever the request said; NotFound when the
    feed has no such entry, Unavailable when it cannot be read. Either way nothing
    may be recorded for this sequence.
    """
    if caller == AUTH_SERVICE:
        return delivered
    who = caller or "an unidentified caller"
    try:
        entry = await feed.entry(delivered.sequence)
    except Unavailable:
        DELIVERY_CHECKS.labels("feed_unavailable").inc()
        log.warning("revocation %d from %s not applied: auth_service's feed could not be read", delivered.sequence, who)
        raise
    if entry is None:
        DELIVERY_CHECKS.labels("not_in_feed").inc()
        log.warning(
            "refused revocation %d from %s: auth_service's feed has no entry with that sequence",
            delivered.sequence,
            who,
        )
        raise NotFound(
            f"auth_service's revocation feed has no entry {delivered.sequence}; nothing was applied.", NOT_IN_FEED
        )
    if entry != delivered:
        DELIVERY_CHECKS.labels("replaced").inc()
        log.warning(
            "revocation %d from %s differs from auth_service's feed entry; applying the feed's", delivered.sequence, who
        )
    else:
        DELIVERY_CHECKS.labels("matched").inc()
    return entry
