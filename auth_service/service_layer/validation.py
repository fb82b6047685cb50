"""Token validation: the hot path. Signature and expiry, then the revocation index.

No I/O: one Ed25519 check (or a cache hit for a token seen before) and three dictionary look-ups.
"""

from __future__ import annotations

from auth_service.adapters.access_tokens import AccessTokenCodec
from auth_service.domain.model import Reason
from auth_service.domain.revocation_index import RevocationIndex
from auth_service.domain.tokens import AccessClaims
from common.errors import Unauthenticated

REVOKED_MESSAGES = {
    Reason.PASSWORD_CHANGED: "The account password was changed. Sign in again.",
    Reason.DEVICE_REMOVED: "This device was removed from the account.",
    Reason.TOKEN_REUSE: "This session was ended because a refresh token was used twice. Sign in again.",
    Reason.ACCOUNT_CLOSED: "This account is closed.",
}
SIGNED_OUT = "You were signed out of this device. Sign in again."


class Validator:
    def __init__(self, codec: AccessTokenCodec, index: RevocationIndex) -> None:
        self.codec = codec
        self.index = index

    def validate(self, token: str) -> AccessClaims:
        if not token:
            raise Unauthenticated("An access token is required.")
        claims = self.codec.verify(token)
        reason = self.index.revoked_reason(
            claims.account_id, claims.session_id, claims.device_id, claims.session_created_at_us
        )
        if reason is not None:
            raise Unauthenticated(REVOKED_MESSAGES.get(reason, SIGNED_OUT), reason="session_revoked")
        return claims
