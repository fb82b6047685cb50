"""PIN hashing: argon2id over HMAC-SHA256(pepper, PIN), off the event loop.

A PIN has 10,000 possible values, so argon2id alone falls to an offline search
in minutes once a copy of the database leaks. The pepper is kept outside the
database (PARENTAL_PIN_PEPPER_FILE): without it, a stored hash cannot be
checked against any guess.

Stored forms (self-describing):

    $pepper-hmac-sha256$v=1,id=<8 hex>$argon2id$v=19$m=...   argon2id over HMAC-SHA256(pepper, PIN)
    $argon2id$v=19$m=...                                      legacy, without pepper

`id` names the pepper (HMAC-SHA256(pepper, a constant), 32 bits: it says
nothing about the pepper itself), so a hash made with another pepper is told
apart from a wrong PIN. A legacy hash still verifies; the service stores the
peppered form on the next right PIN.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from common import passwords
from common.errors import FailedPrecondition

PEPPERED = "$pepper-hmac-sha256$v=1,id="
LEGACY = "$argon2id$"
ID_HEX = 8
OTHER_PEPPER_MESSAGE = (
    "This profile's PIN cannot be checked right now. The account owner can set the PIN again to fix it."
)

log = logging.getLogger(__name__)


def pepper_id(pepper: bytes) -> str:
    return hmac.new(pepper, b"remote-signout PIN pepper id", hashlib.sha256).hexdigest()[:ID_HEX]


class Argon2PinHasher:
    def __init__(self, pepper: bytes) -> None:
        if len(pepper) < 32:
            raise ValueError("a PIN pepper needs at least 32 bytes (PARENTAL_PIN_PEPPER_FILE)")
        self._pepper = pepper
        self._prefix = PEPPERED + pepper_id(pepper)

    def _keyed(self, pin: str) -> bytes:
        return hmac.new(self._pepper, pin.encode(), hashlib.sha256).digest()

    async def hash(self, pin: str) -> str:
        return self._prefix + await passwords.hash_secret_async(self._keyed(pin))

    async def verify(self, stored_hash: str, pin: str) -> bool:
        """True if `pin` matches. Raises FailedPrecondition (not counted as a wrong PIN) for another pepper's hash."""
        if stored_hash.startswith(LEGACY):
            return await passwords.verify_secret_async(stored_hash, pin)
        if stored_hash.startswith(self._prefix + "$"):
            return await passwords.verify_secret_async(stored_hash[len(self._prefix) :], self._keyed(pin))
        if stored_hash.startswith(PEPPERED):
            log.error("a stored PIN hash was made with another pepper than PARENTAL_PIN_PEPPER_FILE's")
            raise FailedPrecondition(OTHER_PEPPER_MESSAGE, reason="pin_unverifiable")
        log.error("a stored PIN hash has an unknown format")
        raise FailedPrecondition(OTHER_PEPPER_MESSAGE, reason="pin_unverifiable")

    def needs_rehash(self, stored_hash: str) -> bool:
        """True for a legacy hash, or one made with weaker argon2 parameters than today's."""
        if not stored_hash.startswith(self._prefix + "$"):
            return True
        return passwords.needs_rehash(stored_hash[len(self._prefix) :])
