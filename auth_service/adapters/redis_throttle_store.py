"""The password throttle's buckets in Redis, shared by every auth_service instance (AUTH_THROTTLE_REDIS_URL).

Per bucket, the one number of domain.throttle (the time it is full again), with
an expiry at that time. Each operation is one Lua script, so it is atomic: a
flood of concurrent attempts never gets more tokens than a bucket holds. While
Redis does not answer, the store falls back to an in-memory one and logs it:
throttling goes on, per instance, and nobody is locked out because Redis is down.
Imported only when a Redis URL is set.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from auth_service.adapters.throttle_store import InMemoryThrottleStore
from auth_service.domain.throttle import Bucket
from auth_service.service_layer.ports import ThrottleStore

log = logging.getLogger(__name__)

REDIS_TIMEOUT_SECONDS = 0.25
RETRY_REDIS_AFTER_SECONDS = 5.0
"""After Redis failed, the in-memory fallback answers alone this long (no sign-in waits on a hung Redis)."""
FALLBACK_LOG_EVERY_SECONDS = 60.0


# KEYS: the buckets; ARGV[1]: now; then, per bucket, its refill_seconds and window_seconds.
# Returns "0" once every bucket gave a token, else the seconds to wait (and changes nothing).
_TAKE = """
local now = tonumber(ARGV[1])
local wait = 0
local after = {}
for i, key in ipairs(KEYS) do
  local refill = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  local full_at = tonumber(redis.call('GET', key)) or now
  if full_at < now then full_at = now end
  after[i] = full_at + refill
  local over = after[i] - now - window
  if over > 1e-9 and over > wait then wait = over end
end
if wait > 0 then return string.format('%.6f', wait) end
for i, key in ipairs(KEYS) do
  redis.call('SET', key, string.format('%.6f', after[i]), 'PX', math.ceil((after[i] - now) * 1000))
end
return '0'
"""

# KEYS: the buckets; ARGV[1]: now; then, per bucket, its refill_seconds.
_GIVE_BACK = """
local now = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local full_at = tonumber(redis.call('GET', key))
  if full_at then
    local at = full_at - tonumber(ARGV[i + 1])
    if at <= now then
      redis.call('DEL', key)
    else
      redis.call('SET', key, string.format('%.6f', at), 'PX', math.ceil((at - now) * 1000))
    end
  end
end
return 0
"""


class RedisThrottleStore(ThrottleStore):
    """The buckets in Redis under `prefix` (one Redis, not a Cluster: a script's keys need one node)."""

    def __init__(
        self, client: aioredis.Redis, prefix: str = "remotesignout:throttle:", fallback: ThrottleStore | None = None
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.fallback = fallback or InMemoryThrottleStore()
        self._take = client.register_script(_TAKE)
        self._give_back = client.register_script(_GIVE_BACK)
        self._last_logged = -math.inf
        self._redis_down_until = -math.inf

    @classmethod
    def from_url(cls, url: str, prefix: str = "remotesignout:throttle:") -> RedisThrottleStore:
        """A store on the Redis at `url` (connects on first use; short timeouts, so a Redis that hangs
        costs a sign-in a quarter of a second, then the in-memory fallback answers)."""
        client = aioredis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
        )
        return cls(client, prefix)

    def _keys(self, buckets: Sequence[Bucket]) -> list[str]:
        return [self.prefix + bucket.name for bucket in buckets]

    async def take(self, buckets: Sequence[Bucket], now: float) -> float:
        if not buckets:
            return 0.0
        args: list[str] = [repr(now)]
        for bucket in buckets:
            args += [repr(bucket.limit.refill_seconds), repr(bucket.limit.window_seconds)]
        if self._redis_down():
            return await self.fallback.take(buckets, now)
        try:
            answer = await self._take(keys=self._keys(buckets), args=args)
        except RedisError as error:
            self._falling_back(error)
            return await self.fallback.take(buckets, now)
        return float(answer)

    async def give_back(self, buckets: Sequence[Bucket], now: float) -> None:
        if not buckets:
            return
        args = [repr(now)] + [repr(bucket.limit.refill_seconds) for bucket in buckets]
        if self._redis_down():
            return await self.fallback.give_back(buckets, now)
        try:
            await self._give_back(keys=self._keys(buckets), args=args)
        except RedisError as error:
            self._falling_back(error)
            await self.fallback.give_back(buckets, now)

    async def forget(self, buckets: Sequence[Bucket]) -> None:
        if not buckets:
            return
        if self._redis_down():
            return await self.fallback.forget(buckets)
        try:
            await self.client.delete(*self._keys(buckets))
        except RedisError as error:
            self._falling_back(error)
            await self.fallback.forget(buckets)

    async def close(self) -> None:
        await self.client.aclose()

    def _redis_down(self) -> bool:
        return time.monotonic() < self._redis_down_until

    def _falling_back(self, error: RedisError) -> None:
        """Leave Redis alone for a few seconds; log (at most once a minute; the error's class only: its text
        may hold the URL) and go on."""
        now = time.monotonic()
        self._redis_down_until = now + RETRY_REDIS_AFTER_SECONDS
        if now - self._last_logged >= FALLBACK_LOG_EVERY_SECONDS:
            self._last_logged = now
            log.warning("the throttle's Redis failed (%s): throttling in memory meanwhile", type(error).__name__)
