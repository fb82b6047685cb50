"""Sign-out flows: auth_service revokes durably first, then the revocation fans out.

The fan-out to device_service and parental_service runs concurrently, each call
with its own deadline. A service is "applied" only when it answered that this
very sequence is applied there (by this call or before it). A failed call, or an
answer that does not say so, is logged and counted, and the answer says
"pending" for that service: auth_service's revocation is already durable and
enforced, and the service catches up from the revocation feed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Protocol

import grpc

from common.metrics import REVOCATION_LATENCY
from gateway.adapters.auth_client import AuthClient
from gateway.adapters.device_client import DeviceClient
from gateway.domain.model import Caller, Revocation, SignOutResult
from gateway.metrics import FANOUT_FAILURES

log = logging.getLogger(__name__)

APPLIED = "applied"
PENDING = "pending"


class RevocationSink(Protocol):
    async def apply_revocation(self, revocation: Revocation) -> bool:
        """True when the service says `revocation`'s sequence is applied there."""
        ...


class SignOutBackends(Protocol):
    auth: AuthClient
    device: DeviceClient
    parental: RevocationSink


def _sinks(backends: SignOutBackends) -> dict[str, RevocationSink]:
    return {"device_service": backends.device, "parental_service": backends.parental}


def _describe(error: BaseException) -> str:
    if isinstance(error, grpc.aio.AioRpcError):
        return error.code().name
    return type(error).__name__


async def fan_out(sinks: Mapping[str, RevocationSink], revocation: Revocation) -> dict[str, str]:
    """Apply `revocation` everywhere at once; "applied" or "pending" per service."""
    names = list(sinks)
    results = await asyncio.gather(
        *(sinks[name].apply_revocation(revocation) for name in names), return_exceptions=True
    )
    propagation: dict[str, str] = {}
    for name, result in zip(names, results, strict=True):
        if isinstance(result, BaseException):
            FANOUT_FAILURES.labels(name).inc()
            log.warning(
                "%s did not apply revocation %d (%s); it will catch up from the revocation feed",
                name, revocation.sequence, _describe(result),
            )
            propagation[name] = PENDING
        elif result is not True:
            FANOUT_FAILURES.labels(name).inc()
            log.warning(
                "%s did not confirm revocation %d as applied; it will catch up from the revocation feed",
                name, revocation.sequence,
            )
            propagation[name] = PENDING
        else:
            propagation[name] = APPLIED
    return propagation


async def propagate(backends: SignOutBackends, revocation: Revocation, started: float) -> SignOutResult:
    propagation = await fan_out(_sinks(backends), revocation)
    REVOCATION_LATENCY.labels(revocation.scope).observe(time.perf_counter() - started)
    return SignOutResult(revocation, propagation)


async def sign_out_device(backends: SignOutBackends, caller: Caller, device_id: str, started: float) -> SignOutResult:
    """Sign one device of the caller's account out; another account's device is NOT_FOUND."""
    await backends.device.get_device(caller, device_id)
    reason = "sign_out" if device_id == caller.device_id else "remote_sign_out"
    revocation = await backends.auth.revoke_sessions(caller.account_id, "device", reason, device_id=device_id)
    return await propagate(backends, revocation, started)


async def sign_out_all(backends: SignOutBackends, caller: Caller, include_current: bool,
                       started: float) -> SignOutResult:
    """Every session of the account, or every one but the caller's."""
    if include_current:
        revocation = await backends.auth.revoke_sessions(caller.account_id, "all", "sign_out_all")
    else:
        revocation = await backends.auth.revoke_sessions(
            caller.account_id, "all_others", "sign_out_all", session_id=caller.session_id
        )
    return await propagate(backends, revocation, started)


async def sign_out_session(backends: SignOutBackends, caller: Caller, started: float) -> SignOutResult:
    """The caller's own session."""
    revocation = await backends.auth.revoke_sessions(
        caller.account_id, "session", "sign_out", session_id=caller.session_id
    )
    return await propagate(backends, revocation, started)
