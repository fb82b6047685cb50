"""Turns domain errors into gRPC status codes, in one table; common.interceptors applies it."""

from __future__ import annotations

import grpc

from common import errors
from common.grpc_types import Context

STATUS_FOR_ERROR: dict[type[errors.DomainError], grpc.StatusCode] = {
    errors.InvalidArgument: grpc.StatusCode.INVALID_ARGUMENT,
    errors.Unauthenticated: grpc.StatusCode.UNAUTHENTICATED,
    errors.PermissionDenied: grpc.StatusCode.PERMISSION_DENIED,
    errors.NotFound: grpc.StatusCode.NOT_FOUND,
    errors.AlreadyExists: grpc.StatusCode.ALREADY_EXISTS,
    errors.FailedPrecondition: grpc.StatusCode.FAILED_PRECONDITION,
    errors.ResourceExhausted: grpc.StatusCode.RESOURCE_EXHAUSTED,
    errors.Aborted: grpc.StatusCode.ABORTED,
    errors.Unavailable: grpc.StatusCode.UNAVAILABLE,
}


def status_for(error: errors.DomainError) -> grpc.StatusCode:
    for kind in type(error).__mro__:
        if kind in STATUS_FOR_ERROR:
            return STATUS_FOR_ERROR[kind]
    return grpc.StatusCode.INTERNAL


REASON_KEY = "error-reason"
RETRY_AFTER_KEY = "retry-after"
"""Whole seconds to wait, on RESOURCE_EXHAUSTED (errors.ResourceExhausted.retry_after_seconds)."""


async def abort(context: Context, error: errors.DomainError) -> None:
    metadata = [(REASON_KEY, error.reason)] if error.reason else []
    if isinstance(error, errors.ResourceExhausted) and error.retry_after_seconds > 0:
        metadata.append((RETRY_AFTER_KEY, str(error.retry_after_seconds)))
    if metadata:
        context.set_trailing_metadata(tuple(metadata))
    await context.abort(status_for(error), error.message)
