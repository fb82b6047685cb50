"""Applying a revocation from auth_service's feed: once per sequence, never lost, never forged."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from common.revocation_delivery import FeedEntries, authentic
from device_service.domain.downloads import DEVICE_SIGNED_OUT
from device_service.domain.revocation import Revocation
from device_service.service_layer.dependencies import Dependencies
from device_service.service_layer.ports import Conflict


@dataclass(frozen=True)
class RevocationResult:
    """`applied`: this sequence is applied here (by this call, or before it: `already_applied`)."""

    applied: bool
    signed_out_device_ids: list[str]
    already_applied: bool = False


ALREADY_APPLIED = RevocationResult(applied=True, signed_out_device_ids=[], already_applied=True)


def apply_revocation(deps: Dependencies, revocation: Revocation) -> RevocationResult:
    """Sign out the devices `revocation` covers and cancel their downloads;
    a second call with the same sequence changes nothing.

    `revocation` must be auth_service's own entry: the feed follower's, or what
    `deliver_revocation` checked.
    """
    try:
        with deps.uow() as uow:
            if uow.applied_revocations.contains(revocation.sequence):
                return ALREADY_APPLIED
            signed_out = uow.devices.sign_out_covered(revocation)
            # A signed-out device keeps its downloads but may no longer play them.
            uow.downloads.cancel_covered(revocation, DEVICE_SIGNED_OUT, deps.clock())
            uow.applied_revocations.add(revocation.sequence, revocation.account_id, deps.clock())
            uow.commit()
            return RevocationResult(applied=True, signed_out_device_ids=signed_out)
    except Conflict:  # another call recorded this sequence first
        return ALREADY_APPLIED


async def deliver_revocation(deps: Dependencies, feed: FeedEntries[Revocation], delivered: Revocation,
                             caller: str) -> RevocationResult:
    """ApplyRevocation from the process `caller`: as sent when that is auth_service; from
    anyone else, auth_service's feed entry with the same sequence is applied instead
    (NotFound when there is none, Unavailable when the feed cannot be read: nothing
    is recorded then)."""
    revocation = await authentic(delivered, caller, feed)
    return await asyncio.to_thread(apply_revocation, deps, revocation)
