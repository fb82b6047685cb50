"""Signed access tokens: JWT, EdDSA (Ed25519), with a key id so keys rotate without signing anyone out.

Only auth_service holds the private keys (files in AUTH_SIGNING_KEYS_DIR, see
auth_service.adapters.signing_keys); anyone can verify a token with the public
keys (ListSigningKeys, the gateway's /.well-known/jwks.json).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import jwt
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from auth_service.domain.tokens import AccessClaims
from common.clock import now_us
from common.errors import Unauthenticated

ISSUER = "remote-signout"
ALGORITHM = "EdDSA"
INVALID = "The access token is not valid. Sign in again."
EXPIRED = "The access token has expired. Refresh it or sign in again."
MAX_TOKEN_LENGTH = 4096
SIGNATURE_BYTES = 64
DEFAULT_CLOCK_SKEW_SECONDS = 30
DEFAULT_CACHE_SIZE = 50_000
# Three base64url parts without padding: nothing else may appear in a token.
COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


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
        raw = self.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": _b64(raw), "kid": self.key_id, "alg": ALGORITHM, "use": "sig"}


class AccessTokenCodec:
    """Issues tokens with the newest key; verifies with any key it holds.

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
        self.ttl_seconds = ttl_seconds
        self.clock_skew_seconds = clock_skew_seconds
        self.cache_size = cache_size
        self.clock = clock  # seconds since the epoch
        # token -> (kid, claims) for tokens whose signature and claims were checked: LRU, bounded.
        self._verified: OrderedDict[str, tuple[str, AccessClaims]] = OrderedDict()
        self.keys: list[SigningKey] = []
        self.replace_keys(keys)

    def replace_keys(self, keys: list[SigningKey]) -> None:
        """Sign with the last of `keys` from now on, verify with exactly `keys`."""
        if not keys:
            raise ValueError("at least one signing key is needed")
        before = {key.key_id: key.public_jwk()["x"] for key in self.keys}
        self.keys = list(keys)
        self.current = keys[-1]
        self._public = {key.key_id: key.public_key for key in keys}
        # Cached verifications stay only for key ids that still name the same public key.
        kept = {key.key_id for key in keys if before.get(key.key_id) == key.public_jwk()["x"]}
        if any(kid not in kept for kid, _ in self._verified.values()):
            self._verified = OrderedDict((token, entry) for token, entry in self._verified.items() if entry[0] in kept)

    @property
    def cached_tokens(self) -> int:
        return len(self._verified)

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
        if profile_id:
            claims["pid"], claims["pkd"] = profile_id, profile_kind
        key = self.current
        return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.key_id})

    def verify(self, token: str) -> AccessClaims:
        """Check encoding, signature, issuer, times and expiry; raise Unauthenticated otherwise.

        This is the hot path, so it checks the compact JWS by hand (one Ed25519
        verification, two small JSON parses) instead of PyJWT's general decoder,
        which parses the token twice; `issue` still uses PyJWT, so the format
        stays standard. A token verified before is found in a bounded cache
        keyed by the whole token string; its expiry is checked on every call.
        """
        cached = self._verified.get(token)
        if cached is not None:
            claims = cached[1]
            if claims.expires_at <= self.clock():
                del self._verified[token]
                raise Unauthenticated(EXPIRED)
            self._verified.move_to_end(token)
            return claims
        kid, claims = self._check(token)
        self._verified[token] = (kid, claims)
        if len(self._verified) > self.cache_size:
            self._verified.popitem(last=False)
        return claims

    def _check(self, token: str) -> tuple[str, AccessClaims]:
        if len(token) > MAX_TOKEN_LENGTH or COMPACT_JWS.fullmatch(token) is None:
            raise Unauthenticated(INVALID)
        header_part, payload_part, signature_part = token.split(".")
        try:
            header = json.loads(_unb64(header_part))
            kid = header.get("kid")
            public_key = self._public.get(kid) if header.get("alg") == ALGORITHM and isinstance(kid, str) else None
            signature = _unb64(signature_part)
            if public_key is None or len(signature) != SIGNATURE_BYTES:
                raise Unauthenticated(INVALID)
            public_key.verify(signature, f"{header_part}.{payload_part}".encode("ascii"))
            claims = json.loads(_unb64(payload_part))
            if claims.get("iss") != ISSUER:
                raise Unauthenticated(INVALID)
            expires_at, issued_at, session_at = _int(claims["exp"]), _int(claims["iat"]), _int(claims["sat"])
            access = AccessClaims(
                account_id=_text(claims["sub"]),
                session_id=_text(claims["sid"]),
                device_id=_text(claims["did"]),
                session_created_at_us=session_at,
                expires_at=expires_at,
                issued_at=issued_at,
                profile_id=_text(claims.get("pid", "")),
                profile_kind=_text(claims.get("pkd", "")),
            )
        except (InvalidSignature, ValueError, TypeError, KeyError, AttributeError, UnicodeError, binascii.Error):
            raise Unauthenticated(INVALID) from None
        now = self.clock()
        latest = now + self.clock_skew_seconds
        if issued_at > latest or session_at > latest * 1_000_000 or expires_at - issued_at > self.ttl_seconds:
            raise Unauthenticated(INVALID)
        if expires_at <= now:
            raise Unauthenticated(EXPIRED)
        return kid, access


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(part: str) -> bytes:
    """Decode canonical unpadded base64url only: re-encoding must give `part` back."""
    raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    if _b64(raw) != part:
        raise ValueError("not canonical base64url")
    return raw


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("claim is not a string")
    return value


def _int(value: object) -> int:
    if type(value) is not int:
        raise TypeError("claim is not an integer")
    return value
