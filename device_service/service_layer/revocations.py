"""Applying a revocation from auth_service's feed: once per sequence, never lost."""

from __future__ import annotations

from dataclasses import dataclass

from device_service.domain.downloads import DEVICE_SIGNED_OUT
from device_service.domain.revocation import Revocation
from device_service.service_layer.dependencies import Dependencies
from device_service.service_layer.ports import Conflict


@dataclass(frozen=True)
class RevocationResult:
    applied: bool
    signed_out_device_ids: list[str]


ALREADY_APPLIED = RevocationResult(applied=False, signed_out_device_ids=[])


def apply_revocation(deps: Dependencies, revocation: Revocation) -> RevocationResult:
    """Sign out the devices `revocation` covers and cancel their downloads;
    a second call with the same sequence changes nothing."""
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
    except Conflict:
        return ALREADY_APPLIED

