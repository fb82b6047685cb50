"""A verified token, then the revocation index: the same answer (message, reason) from every validator.

auth_service's ValidateToken and the gateway both run this after verifying a token
(common.access_tokens), so a revoked session reads the same wherever it is refused.
"""

from __future__ import annotations

from common.access_claims import AccessClaims
from common.errors import Unauthenticated
from common.revocation import Reason
from common.revocation_index import RevocationIndex

REVOKED_MESSAGES = {
    Reason.PASSWORD_CHANGED: "The account password was changed. Sign in again.",
    Reason.DEVICE_REMOVED: "This device was removed from the account.",
    Reason.TOKEN_REUSE: "This session was ended because a refresh token was used twice. Sign in again.",
    Reason.ACCOUNT_CLOSED: "This account is closed.",
}
SIGNED_OUT = "You were signed out of this device. Sign in again."


def check_not_revoked(index: RevocationIndex, claims: AccessClaims) -> AccessClaims:
    """`claims` unless the index revoked their session: Unauthenticated (session_revoked) then."""
    reason = index.revoked_reason(claims.account_id, claims.session_id, claims.device_id, claims.session_created_at_us)
    if reason is not None:
        raise Unauthenticated(REVOKED_MESSAGES.get(reason, SIGNED_OUT), reason="session_revoked")
    return claims
