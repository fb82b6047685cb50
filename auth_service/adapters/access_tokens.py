"""Signed access tokens: JWT, EdDSA (Ed25519), with a key id so keys rotate without signing anyone out.

Only auth_service holds the private keys (files in AUTH_SIGNING_KEYS_DIR, see
auth_service.adapters.signing_keys) and mints tokens here; verifying is
common.access_tokens, shared with the gateway, which verifies with the public
keys (ListSigningKeys, the gateway's /.well-known/jwks.json).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from common.access_tokens import (
    ALGORITHM,
    DEFAULT_CACHE_SIZE,
    DEFAULT_CLOCK_SKEW_SECONDS,
    EXPIRED,
    INVALID,
    ISSUER,
    AccessTokenVerifier,
    b64,
    raw_public_key,
)
from common.clock import now_us

__all__ = [
    "ALGORITHM",
    "DEFAULT_CACHE_SIZE",
    "DEFAULT_CLOCK_SKEW_SECONDS",
    "EXPIRED",
    "INVALID",
    "ISSUER",
    "AccessTokenCodec",
    "SigningKey",
    "new_key_id",
]


def new_key_id() -> str:
    """A key id that sorts by creation time: `20261125T101500123456Z-1f2e3d4c`."""
    now = now_us()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 1_000_000))
    return f"{stamp}{now % 1_000_000:06d}Z-{secrets.token_hex(4)}"


@dataclass(frozen=True)
class SigningKey:
    """One Ed25519 key pair and its id (`kid` in the JWS header)."""

    key_id: str
    private_key: Ed25519PrivateKey = field(repr=False)
    public_key: Ed25519PublicKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "public_key", self.private_key.public_key())

    @staticmethod
    def generate(key_id: str | None = None) -> SigningKey:
        return SigningKey(key_id=key_id or new_key_id(), private_key=Ed25519PrivateKey.generate())

    def public_jwk(self) -> dict[str, str]:
        """The public key as an RFC 8037 JWK."""
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": b64(raw_public_key(self.public_key)),
            "kid": self.key_id,
            "alg": ALGORITHM,
            "use": "sig",
        }


class AccessTokenCodec(AccessTokenVerifier):
    """Issues tokens with the newest key; verifies (common.access_tokens) with any key it holds.

    `replace_keys` swaps the key set while the server runs (rotation,
    retirement); a key that leaves the set stops verifying at once, cached
    verifications included.
    """

    def __init__(
        self,
        keys: list[SigningKey],
        ttl_seconds: int,
        *,
        clock_skew_seconds: int = DEFAULT_CLOCK_SKEW_SECONDS,
        cache_size: int = DEFAULT_CACHE_SIZE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__({}, ttl_seconds, clock_skew_seconds=clock_skew_seconds, cache_size=cache_size, clock=clock)
        self.keys: list[SigningKey] = []
        self.replace_keys(keys)

    def replace_keys(self, keys: list[SigningKey]) -> None:
        """Sign with the last of `keys` from now on, verify with exactly `keys`."""
        if not keys:
            raise ValueError("at least one signing key is needed")
        self.keys = list(keys)
        self.current = keys[-1]
        self.replace_public_keys({key.key_id: key.public_key for key in keys})

    def key_ids(self) -> list[str]:
        return [key.key_id for key in self.keys]

    def public_jwks(self) -> list[dict[str, str]]:
        return [key.public_jwk() for key in self.keys]

    def issue(
        self,
        account_id: str,
        session_id: str,
        device_id: str,
        session_created_at_us: int,
        ttl_seconds: int | None = None,
        profile_id: str = "",
        profile_kind: str = "",
        session_expires_at_us: int = 0,
    ) -> str:
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
        if session_expires_at_us:
            claims["sxp"] = session_expires_at_us  # when the session ends: the gateway answers GET /v1/session from it
        if profile_id:
            claims["pid"], claims["pkd"] = profile_id, profile_kind
        key = self.current
        return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.key_id})
