"""Removing a device: ban it from signing in again, then sign it out everywhere.

The ban (device_service's RemoveDevice) comes first, so a sign-in racing the
removal cannot slip a new session in after the revocation's cutoff. If the ban
fails, nothing has changed and the caller is told (503) to retry. Then
auth_service revokes the device's sessions durably, and parental_service hears
the revocation as in every sign-out, pending on failure. Both steps are safe to
repeat, so a retry after a failed revocation finishes the job.
"""

from __future__ import annotations

import logging
import time

import grpc

from common.errors import Unavailable
from common.metrics import REVOCATION_LATENCY
from gateway.domain.model import Caller, DeviceRemoval
from gateway.service_layer.sign_out import APPLIED, SignOutBackends, fan_out

log = logging.getLogger(__name__)

REMOVAL_INCOMPLETE = "The device could not be removed right now; nothing changed. Please try again shortly."


async def remove_device(backends: SignOutBackends, caller: Caller, device_id: str, started: float) -> DeviceRemoval:
    await backends.device.get_device(caller, device_id)
    try:
        removed = await backends.device.remove_device(caller, device_id)
    except grpc.aio.AioRpcError as error:
        log.warning("device_service did not remove a device: %s", error.code().name)
        raise Unavailable(REMOVAL_INCOMPLETE, reason="device_removal_incomplete") from error
    revocation = await backends.auth.revoke_sessions(caller.account_id, "device", "device_removed", device_id=device_id)
    propagation = await fan_out({"parental_service": backends.parental}, revocation)
    REVOCATION_LATENCY.labels(revocation.scope).observe(time.perf_counter() - started)
    return DeviceRemoval(revocation, {"device_service": APPLIED, **propagation}, removed)
