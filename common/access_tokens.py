"""Verifying access tokens (JWT, EdDSA/Ed25519, a `kid` naming the key): one implementation for every verifier.

auth_service (its ValidateToken, with the private keys in auth_service.adapters.access_tokens) and the
gateway (with the public keys of ListSigningKeys) both verify tokens themselves, so the rules live here
once: canonical base64url, alg EdDSA, a known kid, the issuer, exp, iat/sat no later than now plus the
clock skew, and a lifetime no longer than the TTL. No I/O.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from common.access_claims import AccessClaims
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


class UnknownKey(Unauthenticated):
    """A well-formed token whose `kid` no key we hold names: a verifier with fetched keys refreshes them and retries."""

    def __init__(self, kid: str) -> None:
        super().__init__(INVALID)
        self.kid = kid


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_from_x(x: str) -> Ed25519PublicKey:
    """The Ed25519 public key of a JWK's `x` (canonical base64url); ValueError otherwise."""
    return Ed25519PublicKey.from_public_bytes(unb64(x))


class AccessTokenVerifier:
    """Verifies tokens with exactly the public keys it holds; `replace_public_keys` swaps them while running.

    A key that leaves the set stops verifying at once, cached verifications included.
    """

    def __init__(
        self,
        public_keys: Mapping[str, Ed25519PublicKey],
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
        # Keyed by a 16-byte BLAKE2b digest of the token, not the token (about 600 bytes): a gateway holding
        # thousands of open event streams keeps one entry per stream's token.
        self._verified: OrderedDict[bytes, tuple[str, AccessClaims]] = OrderedDict()
        self._public: dict[str, Ed25519PublicKey] = {}
        self._raw: dict[str, bytes] = {}
        self.replace_public_keys(public_keys)

    def replace_public_keys(self, public_keys: Mapping[str, Ed25519PublicKey]) -> None:
        """Verify with exactly `public_keys` (kid -> key) from now on."""
        raw = {kid: raw_public_key(key) for kid, key in public_keys.items()}
        # Cached verifications stay only for key ids that still name the same public key.
        kept = {kid for kid, value in raw.items() if self._raw.get(kid) == value}
        self._public, self._raw = dict(public_keys), raw
        if any(kid not in kept for kid, _ in self._verified.values()):
            self._verified = OrderedDict((token, entry) for token, entry in self._verified.items() if entry[0] in kept)

    @property
    def cached_tokens(self) -> int:
        return len(self._verified)

    def public_key_ids(self) -> list[str]:
        return list(self._public)

    def verify(self, token: str) -> AccessClaims:
        """Check encoding, signature, issuer, times and expiry; raise Unauthenticated otherwise.

        This is the hot path, so it checks the compact JWS by hand (one Ed25519
        verification, two small JSON parses) instead of PyJWT's general decoder,
        which parses the token twice; auth_service still issues with PyJWT, so
        the format stays standard. A token verified before is found in a bounded
        cache keyed by a digest of the whole token (`cache_key`); its expiry is checked on every call.
        """
        key = cache_key(token)
        cached = self._verified.get(key)
        if cached is not None:
            claims = cached[1]
            if claims.expires_at <= self.clock():
                del self._verified[key]
                raise Unauthenticated(EXPIRED)
            self._verified.move_to_end(key)
            return claims
        kid, claims = self._check(token)
        self._verified[key] = (kid, claims)
        if len(self._verified) > self.cache_size:
            self._verified.popitem(last=False)
        return claims

    def _check(self, token: str) -> tuple[str, AccessClaims]:
        if len(token) > MAX_TOKEN_LENGTH or COMPACT_JWS.fullmatch(token) is None:
            raise Unauthenticated(INVALID)
        header_part, payload_part, signature_part = token.split(".")
        try:
            header = json.loads(unb64(header_part))
            kid = header.get("kid")
            if header.get("alg") != ALGORITHM or not isinstance(kid, str):
                raise Unauthenticated(INVALID)
            signature = unb64(signature_part)
            if len(signature) != SIGNATURE_BYTES:
                raise Unauthenticated(INVALID)
            public_key = self._public.get(kid)
            if public_key is None:
                raise UnknownKey(kid)
            public_key.verify(signature, f"{header_part}.{payload_part}".encode("ascii"))
            claims = json.loads(unb64(payload_part))
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
                session_expires_at_us=_int(claims.get("sxp", 0)),
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


def cache_key(token: str) -> bytes:
    """The verified-token cache's key: BLAKE2b-128 of the token (a collision would take about 2**64 tokens)."""
    return hashlib.blake2b(token.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64(part: str) -> bytes:
    """Decode canonical unpadded base64url only: re-encoding must give `part` back."""
    raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    if b64(raw) != part:
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
