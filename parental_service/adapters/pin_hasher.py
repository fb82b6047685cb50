"""PIN hashing with argon2id (common.passwords), off the event loop."""

from __future__ import annotations

from common.passwords import hash_secret_async, verify_secret_async


class Argon2PinHasher:
    async def hash(self, pin: str) -> str:
        return await hash_secret_async(pin)

    async def verify(self, stored_hash: str, pin: str) -> bool:
        return await verify_secret_async(stored_hash, pin)
