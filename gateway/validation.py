"""Validation at the edge: the gateway checks a bearer token itself, with no call to auth_service.

Three steps, in this order (DESIGN.md, "Every request"):
1. the signature and claims, by common.access_tokens with the public keys of auth_service's
   ListSigningKeys: loaded at start (the gateway is not ready without them), refreshed every
   GATEWAY_SIGNING_KEYS_REFRESH_SECONDS, and at once when a token names a kid we do not hold
   (at most once per UNKNOWN_KID_INTERVAL, so junk kids cannot make us hammer auth_service);
2. the validator (common.validator) must be current: a live lease and nothing known but not
   applied; otherwise 503 `revocations_not_current` with Retry-After: 1;
3. the revocation index replica: a revoked session is 401 `session_revoked` with the same
   message auth_service's ValidateToken gives (common.token_validation).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import grpc
from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc

from common.access_claims import AccessClaims
from common.access_tokens import AccessTokenVerifier, UnknownKey, public_key_from_x
from common.errors import Unavailable
from common.revocation_index import RevocationIndex
from common.token_validation import check_not_revoked
from common.validator import Validator

log = logging.getLogger(__name__)

UNKNOWN_KID_INTERVAL = 1.0
KEYS_NOT_LOADED = "This server has not loaded the token signing keys yet. Try again in a moment."


class SigningKeys:
    """The public keys of ListSigningKeys, kept in `verifier`."""

    def __init__(
        self,
        auth: auth_pb2_grpc.AuthServiceAsyncStub,
        verifier: AccessTokenVerifier,
        *,
        refresh_seconds: float,
        timeout: float,
    ) -> None:
        self.auth = auth
        self.verifier = verifier
        self.refresh_seconds = refresh_seconds
        self.timeout = timeout
        self.loaded = False
        self._last_unknown_fetch = -UNKNOWN_KID_INTERVAL
        self._fetching: asyncio.Lock = asyncio.Lock()

    async def load(self) -> None:
        """Fetch the keys and verify with exactly them (keys that were retired stop verifying)."""
        reply: auth_pb2.ListSigningKeysResponse = await self.auth.ListSigningKeys(
            auth_pb2.ListSigningKeysRequest(), timeout=self.timeout
        )
        keys = {}
        for key in reply.keys:
            if key.kty == "OKP" and key.crv == "Ed25519":
                try:
                    keys[key.kid] = public_key_from_x(key.x)
                except ValueError:
                    log.warning("ListSigningKeys gave a malformed key %r; skipped", key.kid)
        self.verifier.replace_public_keys(keys)
        self.loaded = True

    async def refresh_for(self, kid: str) -> bool:
        """Fetch the keys now, for a token naming `kid`, unless we fetched for an unknown kid very recently."""
        async with self._fetching:
            if kid in self.verifier.public_key_ids():
                return True  # another request fetched it meanwhile
            now = time.monotonic()
            if now - self._last_unknown_fetch < UNKNOWN_KID_INTERVAL:
                return False
            self._last_unknown_fetch = now
            try:
                await self.load()
            except grpc.aio.AioRpcError as error:
                log.warning("could not refresh the signing keys: %s", error.code().name)
                return False
            return kid in self.verifier.public_key_ids()

    async def run(self) -> None:
        """Load the keys (retrying until auth_service answers), then refresh them every few seconds."""
        while True:
            try:
                await self.load()
            except grpc.aio.AioRpcError as error:
                log.warning("could not load the signing keys: %s", error.code().name)
                await asyncio.sleep(min(self.refresh_seconds, 0.5) if not self.loaded else self.refresh_seconds)
                continue
            await asyncio.sleep(self.refresh_seconds)


class EdgeValidation:
    """The gateway's validator: keys, verifier, the index replica and its link to the feed."""

    def __init__(self, keys: SigningKeys, validator: Validator) -> None:
        self.keys = keys
        self.verifier = keys.verifier
        self.validator = validator

    @property
    def index(self) -> RevocationIndex:
        return self.validator.index

    @property
    def ready(self) -> bool:
        return self.keys.loaded

    async def authenticate(self, token: str) -> AccessClaims:
        """The claims of a valid, unrevoked token; Unauthenticated, or Unavailable/NotCurrent (503)."""
        if not self.keys.loaded:
            raise Unavailable(KEYS_NOT_LOADED, reason="signing_keys_not_loaded")
        try:
            claims = self.verifier.verify(token)
        except UnknownKey as unknown:
            if not await self.keys.refresh_for(unknown.kid):
                raise
            claims = self.verifier.verify(token)
        self.validator.check_current()
        return check_not_revoked(self.validator.index, claims)


async def stop(task: asyncio.Task[None] | None) -> None:
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
