"""Handlers that apply a revocation from auth_service's feed: once per sequence, never lost, never forged.

What a revocation covers is common.revocation's rule (`Revocation.reaches`); the
repositories apply it: a revocation of one device in its row, one of the whole account as
the account's cutoff (device_service.domain.cutoffs), so that signing out an account
costs the same with 1 device as with 10,000.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from common.revocation import Revocation
from common.revocation_delivery import FeedEntries, authentic
from common.unit_of_work import Conflict, in_thread
from device_service.domain.downloads import DEVICE_SIGNED_OUT
from device_service.service_layer.ports import Clock
from device_service.service_layer.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class RevocationResult:
    """`applied`: this sequence is applied here (by this call, or before it: `already_applied`).
    `signed_out_device_ids`: the device a session or device revocation signed out; an account-wide one
    (all, all_others) signs its devices out with one cutoff and lists none."""

    applied: bool
    signed_out_device_ids: list[str] = field(default_factory=list)
    already_applied: bool = False


ALREADY_APPLIED = RevocationResult(applied=True, already_applied=True)


def apply_revocation(uow: UnitOfWork, clock: Clock, revocation: Revocation) -> RevocationResult:
    """Sign out the devices `revocation` reaches and cancel their downloads;
    a second call with the same sequence changes nothing.

    `revocation` must be auth_service's own entry: the feed follower's, or what
    `deliver_revocation` checked.
    """
    revocation.validate()
    try:
        with uow:
            # Claimed first: a replica applying the same sequence at this instant waits, then finds it taken.
            if not uow.applied_revocations.claim(revocation.sequence, revocation.account_id, clock()):
                return ALREADY_APPLIED
            signed_out = uow.devices.sign_out_covered(revocation)
            # A signed-out device keeps its downloads but may no longer play them.
            uow.downloads.cancel_covered(revocation, DEVICE_SIGNED_OUT, clock())
            uow.commit()
    except Conflict:  # another call recorded this sequence first
        return ALREADY_APPLIED
    return RevocationResult(applied=True, signed_out_device_ids=signed_out)


async def deliver_revocation(
    uow: UnitOfWork, clock: Clock, feed: FeedEntries, delivered: Revocation, caller: str
) -> RevocationResult:
    """ApplyRevocation from the process `caller`: as sent when that is auth_service; from
    anyone else, auth_service's feed entry with the same sequence is applied instead
    (NotFound when there is none, Unavailable when the feed cannot be read: nothing
    is recorded then). A malformed delivery is InvalidArgument before the feed is asked."""
    revocation = await authentic(delivered.validate(), caller, feed)
    return await in_thread(apply_revocation, uow, clock, revocation)
