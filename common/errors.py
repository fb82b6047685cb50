"""Domain errors, raised by any service's domain or service layer.

Nothing here knows about gRPC or HTTP: `common.grpc_errors` turns these into
gRPC status codes in one table, and the gateway turns gRPC codes into HTTP.

    DomainError
    ├── InvalidArgument     the request is malformed (a bad email, an unknown type)
    ├── Unauthenticated     the caller's credentials or token are not accepted
    ├── PermissionDenied    the caller is known but may not do this (a banned device)
    ├── NotFound            no such thing for this account (also: another account's)
    ├── AlreadyExists       the thing to create exists (an email already registered)
    ├── FailedPrecondition  the state does not allow it (a sixth profile)
    ├── ResourceExhausted   too many attempts; try again later
    ├── Aborted             a concurrent change got there first (common.unit_of_work.Conflict); try again
    └── Unavailable         a service this one needs did not answer in time
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a caller can cause or must be told about.

    `message` is shown to a person: it says what went wrong and, where it helps,
    what to do. It never contains a secret. `reason` is an optional machine-readable
    word (such as "device_banned"); it travels in the `error-reason` trailing
    metadata and becomes the gateway's error code.
    """

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


class InvalidArgument(DomainError):
    """Raised when a request field is missing, malformed or out of range."""


class Unauthenticated(DomainError):
    """Raised when credentials or a token are wrong, expired or revoked."""


class PermissionDenied(DomainError):
    """Raised when the caller is known but may not do this."""


class NotFound(DomainError):
    """Raised when the thing does not exist for the caller's account."""


class AlreadyExists(DomainError):
    """Raised when the thing to create already exists."""


class FailedPrecondition(DomainError):
    """Raised when the current state does not allow the request."""


class ResourceExhausted(DomainError):
    """Raised when the caller must slow down (throttled sign-in, locked PIN).

    `retry_after_seconds`, when known, is how long to wait: it travels in the `retry-after` trailing
    metadata and becomes the gateway's Retry-After header.
    """

    def __init__(self, message: str, reason: str = "", retry_after_seconds: int = 0) -> None:
        super().__init__(message, reason)
        self.retry_after_seconds = retry_after_seconds


class Aborted(DomainError):
    """Raised when a concurrent transaction got there first (another replica, another thread) and this
    one could not finish; trying again sees what it did. common.unit_of_work.Conflict is one."""


class Unavailable(DomainError):
    """Raised when a service this one depends on did not answer in time."""
