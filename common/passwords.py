"""Argon2id hashing for passwords and PINs, at or above OWASP's minimum."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, t=2, p=1 at least.
MEMORY_KIB = 19 * 1024
TIME_COST = 2
PARALLELISM = 1

_hasher = PasswordHasher(
    time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=PARALLELISM, hash_len=32, salt_len=16, type=Type.ID
)
# Verified against when the account does not exist, so that an unknown email
# costs the same time as a wrong password.
DUMMY_HASH = _hasher.hash("remote-signout dummy password")


def hash_secret(secret: str | bytes) -> str:
    return _hasher.hash(secret)


def needs_rehash(stored_hash: str) -> bool:
    """True if `stored_hash` was made with weaker parameters than today's."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def verify_secret(stored_hash: str, secret: str | bytes) -> bool:
    """True if `secret` matches; argon2 compares in constant time."""
    try:
        return _hasher.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


async def hash_secret_async(secret: str | bytes) -> str:
    """hash_secret off the event loop: argon2 releases the GIL."""
    return await asyncio.to_thread(hash_secret, secret)


async def verify_secret_async(stored_hash: str, secret: str | bytes) -> bool:
    return await asyncio.to_thread(verify_secret, stored_hash, secret)
