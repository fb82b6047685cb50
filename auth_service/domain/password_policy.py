"""What a new password must be: NIST SP 800-63B section 5.1.1.2, and nothing more.

A password is taken in Unicode NFKC normalisation (so a password typed on one
keyboard matches the same one typed on another), and that is what is hashed.
It must have at least 8 characters, not counting spaces at either end (eight
spaces are not a password), at most 128, and must not be one of the 10,000 most
common passwords (compared in lower case, surrounding spaces ignored). No
composition rules (digits, symbols, mixed case): NIST advises against them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from common.errors import InvalidArgument

PASSWORD_MIN = 8
PASSWORD_MAX = 128
PASSWORD_INPUT_MAX = 1024
"""The longest password input ever hashed or checked (a bound on the work one request can ask for)."""

TOO_SHORT = f"A password has at least {PASSWORD_MIN} characters, not counting spaces at either end."
TOO_LONG = f"A password has at most {PASSWORD_MAX} characters."
TOO_COMMON = (
    "This password is one of the most common ones, which attackers try first. "
    "Choose another: a few unrelated words make a strong one."
)


def normalise_password(password: str) -> str:
    """The form of a password that is checked and hashed: Unicode NFKC."""
    return unicodedata.normalize("NFKC", password)


def candidates(password: str) -> tuple[str, ...]:
    """The forms of a typed password to verify against a stored hash: the normalised one, then, where it
    differs, the password as typed (hashes stored before passwords were normalised)."""
    normal = normalise_password(password)
    return (normal,) if normal == password else (normal, password)


@dataclass(frozen=True)
class PasswordPolicy:
    """The rules on a new password; `common` is the lower-case list of passwords refused as too common."""

    common: frozenset[str] = field(default_factory=frozenset, repr=False)

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> PasswordPolicy:
        return cls(frozenset(line.strip().lower() for line in lines if line.strip()))

    def check(self, password: str) -> str:
        """The normalised password to hash; InvalidArgument (password_too_short, password_too_long,
        password_too_common) if the policy refuses it."""
        if len(password) > PASSWORD_INPUT_MAX:
            raise InvalidArgument(TOO_LONG, reason="password_too_long")
        normal = normalise_password(password)
        if len(normal.strip()) < PASSWORD_MIN:
            raise InvalidArgument(TOO_SHORT, reason="password_too_short")
        if len(normal) > PASSWORD_MAX:
            raise InvalidArgument(TOO_LONG, reason="password_too_long")
        if normal.strip().lower() in self.common:
            raise InvalidArgument(TOO_COMMON, reason="password_too_common")
        return normal
