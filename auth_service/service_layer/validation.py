"""Token validation: the hot path. Signature and expiry, then the revocation index.

No I/O: one Ed25519 check (or a cache hit for a token seen before) and three dictionary look-ups.
It runs on the event loop, never in a thread, and never awaits.
"""

from __future__ import annotations

from common.revocation_index import RevocationIndex
from auth_service.domain.tokens import AccessClaims
from auth_service.service_layer.ports import TokenCodec
from common.errors import Unauthenticated
from common.revocation import Reason

REVOKED_MESSAGES = {
    Reason.PASSWORD_CHANGED: "The account password was changed. Sign in again.",
    Reason.DEVICE_REMOVED: "This device was removed from the account.",
    Reason.TOKEN_REUSE: "This session was ended because a refresh token was used twice. Sign in again.",
    Reason.ACCOUNT_CLOSED: "This account is closed.",
}
SIGNED_OUT = "You were signed out of this device. Sign in again."


def validate(codec: TokenCodec, index: RevocationIndex, token: str) -> AccessClaims:
    """The claims of a valid, unrevoked access token; Unauthenticated otherwise."""
    if not token:
        raise Unauthenticated("An access token is required.")
    claims = codec.verify(token)
    reason = index.revoked_reason(claims.account_id, claims.session_id, claims.device_id, claims.session_created_at_us)
    if reason is not None:
        raise Unauthenticated(REVOKED_MESSAGES.get(reason, SIGNED_OUT), reason="session_revoked")
    return claims
