"""Converting the revocation contract (common.revocation) to and from auth.v1.Revocation."""

from __future__ import annotations

from typing import cast

from remotesignout.auth.v1 import auth_pb2

from common.errors import InvalidArgument
from common.revocation import Reason, Revocation, Scope

# EnumTypeWrapper.Value is typed as returning int, protoc's .pyi types an enum field as its enum class (an int
# at run time): the casts only say that these numbers are that enum's values.
SCOPES = {
    scope: cast(auth_pb2.RevocationScope, auth_pb2.RevocationScope.Value(f"REVOCATION_SCOPE_{scope.name}"))
    for scope in Scope
}
REASONS = {
    reason: cast(auth_pb2.RevocationReason, auth_pb2.RevocationReason.Value(f"REVOCATION_REASON_{reason.name}"))
    for reason in Reason
}
_SCOPE_OF: dict[int, Scope] = {number: scope for scope, number in SCOPES.items()}
_REASON_OF: dict[int, Reason] = {number: reason for reason, number in REASONS.items()}


def scope_from_proto(number: int) -> Scope:
    try:
        return _SCOPE_OF[number]
    except KeyError:
        raise InvalidArgument("revocation.scope must be session, device, all or all_others.") from None


def reason_from_proto(number: int) -> Reason:
    try:
        return _REASON_OF[number]
    except KeyError:
        raise InvalidArgument("revocation.reason is missing or unknown.") from None


def from_proto(message: auth_pb2.Revocation) -> Revocation:
    """The entry `message` carries; InvalidArgument if its scope or reason is not a known one."""
    revoked_at = message.revoked_at.ToMicroseconds() if message.HasField("revoked_at") else 0
    return Revocation(
        sequence=message.sequence,
        account_id=message.account_id,
        scope=scope_from_proto(message.scope),
        reason=reason_from_proto(message.reason),
        session_id=message.session_id,
        device_id=message.device_id,
        revoked_at_us=revoked_at,
    )


def to_proto(revocation: Revocation) -> auth_pb2.Revocation:
    message = auth_pb2.Revocation(
        sequence=revocation.sequence,
        account_id=revocation.account_id,
        scope=SCOPES[revocation.scope],
        reason=REASONS[revocation.reason],
        session_id=revocation.session_id,
        device_id=revocation.device_id,
    )
    if revocation.revoked_at_us:
        message.revoked_at.FromMicroseconds(revocation.revoked_at_us)
    return message
