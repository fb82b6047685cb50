"""The codes of a device signing in with a code (RFC 8628): made, entered, shown and stored.

- `device_code`: 32 random bytes (URL-safe base64), the opaque secret the device
  polls the token endpoint with.
- `user_code`: 8 letters a person enters on a signed-in phone or browser. The
  alphabet is RFC 8628 section 6.1's: 20 consonants, no vowels (no words) and no
  look-alikes; 20**8 codes is about 34.6 bits. It is shown as XXXX-XXXX and
  entered in any case, dashes and spaces ignored.
- Both are stored only as keyed hashes (`CodeHashes`: the HMAC-SHA256 of
  domain.tokens, under a key of their own derived from the refresh-token key).
- `Timing`: how long codes live and how often a device may poll.

The rules of a request and its polls are domain.device_authorization's.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from auth_service.domain.tokens import hash_refresh_token
from common.errors import InvalidArgument

USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
USER_CODE_LENGTH = 8
USER_CODE_INPUT_MAX = 64
"""What a person may type, dashes and spaces included; anything longer is not a code."""
DEVICE_CODE_BYTES = 32  # 256 bits from `secrets`
DEVICE_CODE_MAX = 256
MAX_INTERVAL_SECONDS = 60
_IGNORED = str.maketrans("", "", "- ")
_ANY_CASE = frozenset(USER_CODE_ALPHABET + USER_CODE_ALPHABET.lower())

INVALID_USER_CODE = f"A code is {USER_CODE_LENGTH} letters, such as BCDF-GHJK."


def new_user_code() -> str:
    """8 letters of the alphabet, each drawn by `secrets`."""
    return "".join(secrets.choice(USER_CODE_ALPHABET) for _ in range(USER_CODE_LENGTH))


def new_device_code() -> str:
    return secrets.token_urlsafe(DEVICE_CODE_BYTES)


def normalise_user_code(entered: str) -> str:
    """The code a person entered, as stored: upper case, dashes and spaces gone; InvalidArgument
    (invalid_user_code) unless that is 8 letters of the alphabet. The letters are checked before capitalising,
    as the gateway does: "ß".upper() is "SS" and the long s (U+017F) upper-cases to "S", neither of which was typed."""
    if len(entered) > USER_CODE_INPUT_MAX:
        raise InvalidArgument(INVALID_USER_CODE, reason="invalid_user_code")
    code = entered.translate(_IGNORED)
    if len(code) != USER_CODE_LENGTH or not set(code) <= _ANY_CASE:
        raise InvalidArgument(INVALID_USER_CODE, reason="invalid_user_code")
    return code.upper()


def display_user_code(code: str) -> str:
    """BCDFGHJK as BCDF-GHJK: two groups of four are easier to read and type."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


@dataclass(frozen=True)
class CodeHashes:
    """The only form in which device and user codes are stored: HMAC-SHA256 under a key derived from the
    refresh-token key (AUTH_REFRESH_TOKEN_KEY_FILE), so a copy of the database can neither check a guess
    against them nor forge one."""

    key: bytes = field(repr=False)

    @classmethod
    def derived_from(cls, refresh_token_key: bytes) -> CodeHashes:
        return cls(hmac.new(refresh_token_key, b"remotesignout device authorization codes", hashlib.sha256).digest())

    def device_code(self, code: str) -> str:
        return hash_refresh_token("device:" + code, self.key)

    def user_code(self, normalised: str) -> str:
        return hash_refresh_token("user:" + normalised, self.key)


@dataclass(frozen=True)
class Timing:
    """How long codes live and how often a device may poll (DEVICE_CODE_LIFETIME_SECONDS,
    DEVICE_CODE_INTERVAL_SECONDS)."""

    lifetime_seconds: int = 600
    interval_seconds: int = 5

    def __post_init__(self) -> None:
        if self.lifetime_seconds < 1 or not 1 <= self.interval_seconds <= MAX_INTERVAL_SECONDS:
            raise ValueError("a device code lives at least 1 s and is polled every 1 to 60 s")
