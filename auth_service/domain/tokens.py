"""Access-token claims and refresh-token secrets."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

REFRESH_TOKEN_BYTES = 32  # 256 bits from `secrets`


@dataclass(frozen=True)
class AccessClaims:
    """What a valid access token says about its bearer."""

    account_id: str
    session_id: str
    device_id: str
    session_created_at_us: int
    expires_at: int  # seconds since the epoch
    issued_at: int = 0  # seconds since the epoch
    profile_id: str = ""
    profile_kind: str = ""


def new_refresh_token() -> str:
    return secrets.token_urlsafe(REFRESH_TOKEN_BYTES)


def hash_refresh_token(token: str) -> str:
    """The only form in which a refresh token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def same_secret(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
