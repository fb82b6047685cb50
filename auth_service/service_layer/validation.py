"""Token validation: the hot path. Signature and expiry, then the revocation index.

No I/O: one Ed25519 check (or a cache hit for a token seen before) and three dictionary look-ups.
It runs on the event loop, never in a thread, and never awaits.
"""

from __future__ import annotations

from auth_service.domain.tokens import AccessClaims
from auth_service.service_layer.ports import TokenCodec
from common.errors import Unauthenticated
from common.revocation_index import RevocationIndex
from common.token_validation import REVOKED_MESSAGES, SIGNED_OUT, check_not_revoked

__all__ = ["REVOKED_MESSAGES", "SIGNED_OUT", "validate"]


def validate(codec: TokenCodec, index: RevocationIndex, token: str) -> AccessClaims:
    """The claims of a valid, unrevoked access token; Unauthenticated otherwise."""
    if not token:
        raise Unauthenticated("An access token is required.")
    return check_not_revoked(index, codec.verify(token))
