"""Removing a device: sign it out everywhere, then ban it from signing in again.

auth_service revokes the device's sessions durably first. device_service's
RemoveDevice is the ban itself, so it must succeed: if it fails the caller is
told (503) that the device is signed out but not yet removed, and may retry.
parental_service hears the revocation as in every sign-out, pending on failure.
"""

from __future__ import annotations

import asyncio
import logging
import time

from common.errors import Unavailable
from common.metrics import REVOCATION_LATENCY
from gateway.domain.model import Caller, DeviceRemoval
from gateway.service_layer.sign_out import APPLIED, SignOutBackends, fan_out

log = logging.getLogger(__name__)

REMOVAL_INCOMPLETE = (
    "The device is signed out, but it could not be removed yet, so it may still sign in again. "
    "Please try removing it again shortly."
)


async def remove_device(backends: SignOutBackends, caller: Caller, device_id: str, started: float) -> DeviceRemoval:
    await backends.device.get_device(caller, device_id)
    revocation = await backends.auth.revoke_sessions(caller.account_id, "device", "device_removed", device_id=device_id)
    removed, propagation = await asyncio.gather(
        backends.device.remove_device(caller, device_id),
        fan_out({"parental_service": backends.parental}, revocation),
        return_exceptions=True,
    )
    REVOCATION_LATENCY.labels(revocation.scope).observe(time.perf_counter() - started)
    if isinstance(removed, BaseException):
        log.warning("device_service did not remove device %s after revocation %d: %s",
                    device_id, revocation.sequence, type(removed).__name__)
        raise Unavailable(REMOVAL_INCOMPLETE, reason="device_removal_incomplete") from removed
    parental = propagation if isinstance(propagation, dict) else {}
    return DeviceRemoval(revocation, {"device_service": APPLIED, **parental}, removed)
