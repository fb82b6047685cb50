"""Signed access tokens: JWT, HS256, with a key id so keys rotate without signing anyone out."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
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
        """Check signature, issuer and expiry; raise Unauthenticated otherwise.

        This is the hot path, so it checks the compact JWS by hand (one HMAC, two
        small JSON parses) instead of PyJWT's general decoder, which parses the
        token twice; `issue` still uses PyJWT, so the format stays standard.
        """
        if len(token) > MAX_TOKEN_LENGTH or token.count(".") != 2:
            raise Unauthenticated(INVALID)
        header_part, payload_part, signature_part = token.split(".")
        try:
            header = json.loads(_unb64(header_part))
            secret = self.keys.get(header.get("kid")) if header.get("alg") == ALGORITHM else None
            if secret is None:
                raise Unauthenticated(INVALID)
            expected = hmac.new(secret, f"{header_part}.{payload_part}".encode("ascii"), hashlib.sha256).digest()
            if not hmac.compare_digest(expected, _unb64(signature_part)):
                raise Unauthenticated(INVALID)
            claims = json.loads(_unb64(payload_part))
            if claims.get("iss") != ISSUER:
                raise Unauthenticated(INVALID)
            expires_at = int(claims["exp"])
            access = AccessClaims(
                account_id=_text(claims["sub"]), session_id=_text(claims["sid"]), device_id=_text(claims["did"]),
                session_created_at_us=int(claims["sat"]), expires_at=expires_at, issued_at=int(claims["iat"]),
                profile_id=_text(claims.get("pid", "")), profile_kind=_text(claims.get("pkd", "")),
            )
        except (ValueError, TypeError, KeyError, AttributeError, UnicodeError, binascii.Error):
            raise Unauthenticated(INVALID) from None
        if expires_at <= time.time():
            raise Unauthenticated("The access token has expired. Refresh it or sign in again.")
        return access


MAX_TOKEN_LENGTH = 4096


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("claim is not a string")
    return value
