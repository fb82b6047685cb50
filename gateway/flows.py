"""What the gateway does itself, beyond passing one call through: sign-out and its fan-out, removing a device,
starting playback and downloads, a device's whole history.

Sign-out: auth_service revokes durably first (common.revocation's contract), then
the revocation fans out to device_service and parental_service concurrently, each
call with its own deadline. A service is "applied" only when it answered that this
very sequence is applied there (by this call or before it). A failed call, or an
answer that does not say so, is logged and counted, and the answer says "pending"
for that service: auth_service's revocation is already durable and enforced, and
the service catches up from the revocation feed.

Removal: the ban (device_service's RemoveDevice) comes first, so a sign-in racing
the removal cannot slip a new session in after the revocation's cutoff. If the ban
fails, nothing has changed and the caller is told (503) to retry. Then auth_service
revokes the device's sessions and parental_service hears it as in every sign-out.
Both steps are safe to repeat, so a retry after a failed revocation finishes the job.

Playback and downloads: a token scoped to a profile plays as that profile and no
other, so a kids profile cannot claim an adult one; an unscoped token (the account
holder) names the profile. parental_service decides; an allowed playback is
recorded on the device list, an allowed download on the device's downloads.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
from prometheus_client import Counter, Histogram
from remotesignout.auth.v1 import auth_pb2
from remotesignout.device.v1 import device_pb2
from remotesignout.parental.v1 import parental_pb2

from common import revocation_proto
from common.errors import InvalidArgument, PermissionDenied, Unavailable
from common.metrics import LATENCY_BUCKETS
from common.revocation import Reason, Revocation, Scope
from gateway import models
from gateway.auth import Caller
from gateway.bootstrap import Backends
from gateway.render import word

log = logging.getLogger(__name__)

APPLIED = "applied"
PENDING = "pending"
FANOUT_FAILURES = Counter(
    "remotesignout_fanout_failures",
    "Fan-out calls of a revocation that failed or did not confirm it applied; the service catches up from the "
    "revocation feed.",
    ["service"],
)
SIGN_OUT_DURATION = Histogram(
    "remotesignout_sign_out_duration_seconds",
    "Gateway: a sign-out request's arrival until auth_service's receipt (every validator acknowledged or its "
    "lease ran out) and every fan-out call answered, by scope: the end-to-end sign-out.",
    ["scope"],
    buckets=LATENCY_BUCKETS,
)
REMOVAL_INCOMPLETE = "The device could not be removed right now; nothing changed. Please try again shortly."
OTHER_PROFILE = "This device is watching as another profile. Select this profile on the device first."

SignOut = dict[str, Any]  # the fields of models.SignOutResult: the revocation, its propagation, its receipt
Receipt = auth_pb2.RevocationReceipt


# --- sign-out --------------------------------------------------------------------------------------------------


async def revoke(
    backends: Backends, caller: Caller, scope: Scope, reason: Reason, *, session_id: str = "", device_id: str = ""
) -> tuple[Revocation, Receipt]:
    """The feed entry, and auth_service's receipt: every validator applied it (or its lease ran out) before this."""
    reply = await backends.auth.RevokeSessions(
        auth_pb2.RevokeSessionsRequest(
            account_id=caller.account_id,
            scope=auth_pb2.RevocationScope.Name(revocation_proto.SCOPES[scope]),
            reason=auth_pb2.RevocationReason.Name(revocation_proto.REASONS[reason]),
            session_id=session_id,
            device_id=device_id,
        ),
        timeout=backends.revocation_timeout,
    )
    return revocation_proto.from_proto(reply.revocation), reply.receipt


def _describe(error: BaseException) -> str:
    if isinstance(error, grpc.aio.AioRpcError):
        return error.code().name
    return type(error).__name__


Applied = device_pb2.ApplyRevocationResponse | parental_pb2.ApplyRevocationResponse


async def fan_out(
    backends: Backends, revocation: Revocation, services: tuple[str, ...] = ("device_service", "parental_service")
) -> dict[str, str]:
    """Apply `revocation` in each of `services` at once; "applied" or "pending" per service."""
    message = revocation_proto.to_proto(revocation)
    calls: dict[str, Callable[[], Awaitable[Applied]]] = {
        "device_service": lambda: backends.device.ApplyRevocation(
            device_pb2.ApplyRevocationRequest(revocation=message), timeout=backends.timeout
        ),
        "parental_service": lambda: backends.parental.ApplyRevocation(
            parental_pb2.ApplyRevocationRequest(revocation=message), timeout=backends.timeout
        ),
    }
    results = await asyncio.gather(*(calls[name]() for name in services), return_exceptions=True)
    propagation: dict[str, str] = {}
    for name, result in zip(services, results, strict=True):
        if isinstance(result, BaseException):
            FANOUT_FAILURES.labels(name).inc()
            log.warning(
                "%s did not apply revocation %d (%s); it will catch up from the revocation feed",
                name,
                revocation.sequence,
                _describe(result),
            )
            propagation[name] = PENDING
        elif result.applied is not True:
            FANOUT_FAILURES.labels(name).inc()
            log.warning(
                "%s did not confirm revocation %d as applied; it will catch up from the revocation feed",
                name,
                revocation.sequence,
            )
            propagation[name] = PENDING
        else:
            propagation[name] = APPLIED
    return propagation


async def propagate(backends: Backends, revocation: Revocation, started: float, receipt: Receipt) -> SignOut:
    propagation = await fan_out(backends, revocation)
    SIGN_OUT_DURATION.labels(revocation.scope.value).observe(time.perf_counter() - started)
    return {"revocation": revocation, "propagation": propagation, "receipt": receipt}


async def sign_out_device(backends: Backends, caller: Caller, device_id: str, started: float) -> SignOut:
    """Sign one device of the caller's account out; another account's device is NOT_FOUND."""
    await backends.device.GetDevice(
        device_pb2.GetDeviceRequest(
            account_id=caller.account_id, device_id=device_id, current_device_id=caller.device_id
        ),
        timeout=backends.timeout,
    )
    reason = Reason.SIGN_OUT if device_id == caller.device_id else Reason.REMOTE_SIGN_OUT
    revocation, receipt = await revoke(backends, caller, Scope.DEVICE, reason, device_id=device_id)
    return await propagate(backends, revocation, started, receipt)


async def sign_out_all(backends: Backends, caller: Caller, include_current: bool, started: float) -> SignOut:
    """Every session of the account, or every one but the caller's."""
    if include_current:
        revocation, receipt = await revoke(backends, caller, Scope.ALL, Reason.SIGN_OUT_ALL)
    else:
        revocation, receipt = await revoke(
            backends, caller, Scope.ALL_OTHERS, Reason.SIGN_OUT_ALL, session_id=caller.session_id
        )
    return await propagate(backends, revocation, started, receipt)


async def sign_out_session(backends: Backends, caller: Caller, started: float) -> SignOut:
    """The caller's own session."""
    revocation, receipt = await revoke(backends, caller, Scope.SESSION, Reason.SIGN_OUT, session_id=caller.session_id)
    return await propagate(backends, revocation, started, receipt)


async def remove_device(backends: Backends, caller: Caller, device_id: str, started: float) -> SignOut:
    """Ban the device, then sign it out everywhere: a SignOut with the removed device."""
    await backends.device.GetDevice(
        device_pb2.GetDeviceRequest(
            account_id=caller.account_id, device_id=device_id, current_device_id=caller.device_id
        ),
        timeout=backends.timeout,
    )
    try:
        removed = await backends.device.RemoveDevice(
            device_pb2.RemoveDeviceRequest(account_id=caller.account_id, device_id=device_id), timeout=backends.timeout
        )
    except grpc.aio.AioRpcError as error:
        log.warning("device_service did not remove a device: %s", error.code().name)
        raise Unavailable(REMOVAL_INCOMPLETE, reason="device_removal_incomplete") from error
    revocation, receipt = await revoke(backends, caller, Scope.DEVICE, Reason.DEVICE_REMOVED, device_id=device_id)
    propagation = await fan_out(backends, revocation, ("parental_service",))
    SIGN_OUT_DURATION.labels(revocation.scope.value).observe(time.perf_counter() - started)
    return {
        "revocation": revocation,
        "propagation": {"device_service": APPLIED, **propagation},
        "device": removed.device,
        "receipt": receipt,
    }


# --- a device's whole history --------------------------------------------------------------------------------

HISTORY_PAGE_SIZE = 100
HISTORY_MAX_ENTRIES = 20_000


async def device_history(
    backends: Backends, caller: Caller, device_id: str, limit: int | None = None
) -> tuple[list[device_pb2.StreamingActivity], bool]:
    """The device's streaming activity, newest first, read page by page from device_service: at most `limit`
    (HISTORY_MAX_ENTRIES) entries, and whether there were more."""
    limit = HISTORY_MAX_ENTRIES if limit is None else limit
    entries: list[device_pb2.StreamingActivity] = []
    token = ""
    while True:
        page = await backends.device.ListStreamingActivity(
            device_pb2.ListStreamingActivityRequest(
                account_id=caller.account_id, device_id=device_id, page_size=HISTORY_PAGE_SIZE, page_token=token
            ),
            timeout=backends.timeout,
        )
        entries.extend(page.activities)
        token = page.next_page_token
        if not token or not page.activities or len(entries) >= limit:
            return entries[:limit], bool(token) or len(entries) > limit


# --- playback and downloads ----------------------------------------------------------------------------------


def watching_profile(caller: Caller, requested: str | None) -> str:
    """The profile a playback or download is for: the one the token is scoped to, or,
    for an unscoped token (the account holder), the one it names."""
    profile_id = requested or caller.profile_id
    if not profile_id:
        raise InvalidArgument("'profile_id' is required until this device selects a profile.")
    if caller.profile_id and profile_id != caller.profile_id:
        raise PermissionDenied(OTHER_PROFILE, reason="other_profile")
    return profile_id


async def profile_name_of(backends: Backends, caller: Caller, profile_id: str) -> str:
    reply = await backends.parental.ListProfiles(
        parental_pb2.ListProfilesRequest(account_id=caller.account_id), timeout=backends.timeout
    )
    return next((p.name for p in reply.profiles if p.profile_id == profile_id), profile_id)


async def _decide(
    backends: Backends, caller: Caller, profile_id: str, title_id: str, check_only: bool = False
) -> parental_pb2.DecidePlaybackResponse:
    decision: parental_pb2.DecidePlaybackResponse = await backends.parental.DecidePlayback(
        parental_pb2.DecidePlaybackRequest(
            account_id=caller.account_id,
            profile_id=profile_id,
            title_id=title_id,
            device_id=caller.device_id,
            check_only=check_only,
        ),
        timeout=backends.timeout,
    )
    return decision


async def start_playback(
    backends: Backends, caller: Caller, request: models.PlaybackStart, ip_address: str
) -> parental_pb2.DecidePlaybackResponse:
    """The decision for the caller's device; an allowed playback is recorded on the device list."""
    profile_id = watching_profile(caller, request.profile_id)
    decision = await _decide(backends, caller, profile_id, request.title_id)
    if not decision.allowed:
        return decision
    profile_name = await profile_name_of(backends, caller, profile_id)
    title = decision.title.name if decision.HasField("title") else request.title_id
    await backends.device.RecordPlayback(
        device_pb2.RecordPlaybackRequest(
            account_id=caller.account_id,
            device_id=caller.device_id,
            profile_name=profile_name,
            title=title,
            ip_address=ip_address,
        ),
        timeout=backends.timeout,
    )
    return decision


async def record_download(
    backends: Backends, caller: Caller, request: models.DownloadStart
) -> device_pb2.RecordDownloadResponse:
    """A download is a playback kept for later: the same parental rules decide it (403 with their reason)."""
    profile_id = watching_profile(caller, request.profile_id)
    decision = await _decide(backends, caller, profile_id, request.title_id, check_only=True)
    if not decision.allowed:
        raise PermissionDenied(decision.message, reason=word(parental_pb2.DenyReason.DESCRIPTOR, decision.reason))
    title = decision.title.name if decision.HasField("title") else request.title_id
    profile_name = await profile_name_of(backends, caller, profile_id)
    recorded: device_pb2.RecordDownloadResponse = await backends.device.RecordDownload(
        device_pb2.RecordDownloadRequest(
            account_id=caller.account_id, device_id=caller.device_id, profile_name=profile_name, title=title
        ),
        timeout=backends.timeout,
    )
    return recorded
