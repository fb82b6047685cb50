"""Handlers that apply a revocation from auth_service's feed by stopping playback: once per
sequence, never lost, never forged.

What a revocation covers is common.revocation's rule: the devices `covers_device`
picks (when a playback's session signed in is not known here, so `reaches` with no
sign-in time is the same), whose playbacks stop and whose PIN entries are forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from common.revocation import Revocation
from common.revocation_delivery import FeedEntries, authentic
from common.unit_of_work import Conflict, in_thread
from parental_service.domain.decisions import DenyReason
from parental_service.domain.playback import SIGNED_OUT_MESSAGE, PlaybackStop
from parental_service.service_layer.ports import Clock, StopPublisher
from parental_service.service_layer.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class RevocationResult:
    """`applied`: this sequence is applied here (by this call, or before it: `already_applied`)."""

    applied: bool
    stops: list[PlaybackStop] = field(default_factory=list)
    already_applied: bool = False


ALREADY_APPLIED = RevocationResult(applied=True, already_applied=True)


def apply_revocation(uow: UnitOfWork, clock: Clock, stops: StopPublisher, revocation: Revocation) -> RevocationResult:
    """Stop playback on every device the revocation covers, once per sequence.

    `revocation` must be auth_service's own entry: the feed follower's, or what
    `deliver_revocation` checked.
    """
    revocation.validate()
    account_id = revocation.account_id
    try:
        with uow:
            # Claimed first: a replica applying the same sequence at this instant waits, then finds it taken.
            if not uow.revocations.claim(revocation.sequence, account_id, clock()):
                return ALREADY_APPLIED
            covered = [
                p
                for p in uow.playbacks.list_for_account(account_id)
                if revocation.covers_device(p.account_id, p.device_id)
            ]
            uow.playbacks.stop(p.device_id for p in covered)
            uow.pin_entries.forget_devices(
                [d for d in uow.pin_entries.devices_of_account(account_id) if revocation.covers_device(account_id, d)]
            )
            uow.commit()
    except Conflict:  # another call recorded this sequence first
        return ALREADY_APPLIED
    stopped = [PlaybackStop(p, DenyReason.SIGNED_OUT, SIGNED_OUT_MESSAGE) for p in covered]
    stops.publish(stopped)
    return RevocationResult(applied=True, stops=stopped)


async def deliver_revocation(
    uow: UnitOfWork, clock: Clock, stops: StopPublisher, feed: FeedEntries, delivered: Revocation, caller: str
) -> RevocationResult:
    """ApplyRevocation from the process `caller`: as sent when that is auth_service; from
    anyone else, auth_service's feed entry with the same sequence is applied instead
    (NotFound when there is none, Unavailable when the feed cannot be read: nothing
    is recorded then). A malformed delivery is InvalidArgument before the feed is asked."""
    revocation = await authentic(delivered.validate(), caller, feed)
    return await in_thread(apply_revocation, uow, clock, stops, revocation)
