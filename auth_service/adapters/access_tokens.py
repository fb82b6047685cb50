"""Signed access tokens: JWT, HS256, with a key id so keys rotate without signing anyone out."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import jwt

from auth_service.domain.tokens import AccessClaims
from common.clock import now_us
from common.errors import Unauthenticated

ISSUER = "remote-signout"
ALGORITHM = "HS256"
INVALID = "The access token is not valid. Sign in again."


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    secret: bytes

    @staticmethod
    def generate() -> SigningKey:
        return SigningKey(key_id=secrets.token_hex(8), secret=secrets.token_bytes(32))


class AccessTokenCodec:
    """Issues tokens with the newest key; verifies with any known key."""

    def __init__(self, keys: list[SigningKey], ttl_seconds: int) -> None:
        if not keys:
            raise ValueError("at least one signing key is needed")
        self.current = keys[-1]
        self.keys = {key.key_id: key.secret for key in keys}
        self.ttl_seconds = ttl_seconds

    def issue(self, account_id: str, session_id: str, device_id: str, session_created_at_us: int,
              ttl_seconds: int | None = None, profile_id: str = "", profile_kind: str = "") -> str:
        issued = now_us() // 1_000_000
        claims = {
            "iss": ISSUER,
            "sub": account_id,
            "sid": session_id,
            "did": device_id,
            "sat": session_created_at_us,
            "iat": issued,
            "exp": issued + (self.ttl_seconds if ttl_seconds is None else ttl_seconds),
        }
        if profile_id:
            claims["pid"], claims["pkd"] = profile_id, profile_kind
        return jwt.encode(claims, self.current.secret, algorithm=ALGORITHM, headers={"kid": self.current.key_id})

    def verify(self, token: str) -> AccessClaims:
        """Check signature, issuer and expiry; raise Unauthenticated otherwise."""
        try:
            key_id = jwt.get_unverified_header(token).get("kid")
            secret = self.keys.get(key_id) if isinstance(key_id, str) else None
            if secret is None:
                raise Unauthenticated(INVALID)
            claims = jwt.decode(
                token, secret, algorithms=[ALGORITHM], issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "sid", "did", "sat"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("The access token has expired. Refresh it or sign in again.") from None
        except jwt.PyJWTError:
            raise Unauthenticated(INVALID) from None
        try:
            return AccessClaims(
                account_id=str(claims["sub"]), session_id=str(claims["sid"]), device_id=str(claims["did"]),
                session_created_at_us=int(claims["sat"]), expires_at=int(claims["exp"]), issued_at=int(claims["iat"]),
                profile_id=str(claims.get("pid", "")), profile_kind=str(claims.get("pkd", "")),
            )
        except (TypeError, ValueError):
            raise Unauthenticated(INVALID) from None
