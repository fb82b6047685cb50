"""Refresh-token secrets; AccessClaims lives in common.access_claims (the gateway verifies tokens too)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from common.access_claims import AccessClaims

__all__ = [
    "AccessClaims",
    "RefreshTokenHashes",
    "hash_refresh_token",
    "legacy_refresh_token_hash",
    "new_refresh_token",
    "same_secret",
]

REFRESH_TOKEN_BYTES = 32  # 256 bits from `secrets`


def new_refresh_token() -> str:
    return secrets.token_urlsafe(REFRESH_TOKEN_BYTES)


def hash_refresh_token(token: str, key: bytes) -> str:
    """The only form in which a refresh token is stored: HMAC-SHA256 under the refresh-token key.

    The key (AUTH_REFRESH_TOKEN_KEY_FILE) is kept outside the database, so a copy
    of the database alone cannot be checked against, or forge, a token.
    """
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def legacy_refresh_token_hash(token: str) -> str:
    """Bare SHA-256: how refresh tokens issued before keyed hashing were stored. Looked up, never written."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class RefreshTokenHashes:
    """The refresh-token key, and the hashes to look a presented token up by."""

    key: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.key) < 32:
            raise ValueError("the refresh-token key needs at least 32 bytes (AUTH_REFRESH_TOKEN_KEY_FILE)")

    def keyed(self, token: str) -> str:
        return hash_refresh_token(token, self.key)

    def lookups(self, token: str) -> tuple[str, str]:
        """The keyed hash first; then the legacy SHA-256 hash, so a token issued before the upgrade works once more."""
        return self.keyed(token), legacy_refresh_token_hash(token)


def same_secret(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
