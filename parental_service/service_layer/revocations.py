"""Use case: apply a revocation from auth_service's feed by stopping playback.

Only auth_service's own entries get here: the feed follower's, and what
ParentalApp.deliver_revocation checked against the feed (common.revocation_delivery).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parental_service.domain.decisions import DenyReason
from parental_service.domain.playback import SIGNED_OUT_MESSAGE, PlaybackStop
from parental_service.domain.revocations import Revocation
from parental_service.service_layer.unit_of_work import Clock, UnitOfWork


@dataclass(frozen=True)
class RevocationResult:
    """`applied`: this sequence is applied here (by this call, or before it: `already_applied`)."""

    applied: bool
    stops: list[PlaybackStop] = field(default_factory=list)
    already_applied: bool = False


def apply_revocation(uow: UnitOfWork, clock: Clock, revocation: Revocation) -> RevocationResult:
    """Stop playback on every device the revocation covers, once per sequence."""
    revocation.validate()
    with uow:
        if uow.revocations.contains(revocation.sequence):
            return RevocationResult(applied=True, already_applied=True)
        covered = [p for p in uow.playbacks.list_for_account(revocation.account_id) if revocation.covers(p.device_id)]
        uow.playbacks.stop(p.device_id for p in covered)
        uow.pin_entries.forget_devices(
            [d for d in uow.pin_entries.devices_of_account(revocation.account_id) if revocation.covers(d)]
        )
        uow.revocations.record(revocation.sequence, revocation.account_id, clock())
        uow.commit()
    return RevocationResult(applied=True, stops=[PlaybackStop(p, DenyReason.SIGNED_OUT, SIGNED_OUT_MESSAGE) for p in covered])
