"""Errors the gateway raises itself, before or without calling a service.

    common.errors.DomainError
    ├── MalformedBody        the body is not JSON, or not a JSON object (HTTP 400)
    ├── InvalidArgument      a field is missing, of the wrong type or too long (HTTP 422)
    └── Unauthenticated      no bearer token was sent (HTTP 401)
"""

from __future__ import annotations

from common.errors import DomainError, InvalidArgument, Unauthenticated

SIGN_IN_FIRST = "Sign in first: send 'Authorization: Bearer <access token>'."


class MalformedBody(DomainError):
    """Raised when the request body cannot be read as a JSON object."""


def missing_bearer_token() -> Unauthenticated:
    return Unauthenticated(SIGN_IN_FIRST, reason="unauthenticated")


def invalid_field(message: str, reason: str = "invalid_argument") -> InvalidArgument:
    return InvalidArgument(message, reason=reason)


__all__ = ["MalformedBody", "InvalidArgument", "Unauthenticated", "missing_bearer_token", "invalid_field",
           "SIGN_IN_FIRST"]
