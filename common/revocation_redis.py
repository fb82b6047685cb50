"""The cluster transport of acknowledged revocation: entries, leases and acknowledgements in Redis.

Every auth_service replica and every gateway is a validator (common.validator). In cluster mode
(REVOCATION_REDIS_URL set) they share one Redis, under a key prefix (REVOCATION_REDIS_PREFIX):

    <prefix>stream      Stream: every entry, XADDed by the revoking replica after its commit, field
                        `entry` = the entry as JSON; MAXLEN ~ 100000
    <prefix>published   ZSET: score = sequence, member "<sequence>:<ms>" (when it was published, by
                        Redis's clock): the head, and how old the first entry a validator lacks is
    <prefix>leases      ZSET: member = validator id, score = when its lease ends, in ms by Redis's TIME
    <prefix>applied     HASH: validator id -> the sequence it has applied (and every one before it)
    <prefix>acks        pub/sub channel: a validator's applied sequence moved (wakes waiting revokers)

`RedisRevocationBus.publish` appends an entry; `RedisValidatorLink.run` follows the stream into a
Validator and holds its lease; `RedisLeaseRegistry.wait_for` is where a revoker waits for them.

Why a lease says "every entry published so far, minus at most one TTL": the renewal script grants a
lease only up to `published_at(first entry the validator lacks) + ttl`. So once an entry is published,
no validator that has not applied it holds a lease beyond one TTL from then, whether it is paused,
partitioned, or alive and renewing but unable to apply (its feed unreachable): a revoker waits at most
one TTL. A validator that renews also learns the head (the highest sequence published) from the grant,
and refuses tokens until it has applied it.

Every time is Redis's (`TIME`), so no host's clock matters, except that the validator counts its own view
of the lease from when it sent the renewal (common.validator): it ends before the registry's.

Gaps: an entry whose sequence is past the next one (a validator was away, the stream was trimmed or
Redis restarted, two replicas published out of order) is filled from the durable feed through
`catch_up(after_sequence)`, which the owner gives (the gateway reads ListRevocations, an auth_service
replica its own database). Each (re)connection also catches up from the feed, from where the stream
ended, so nothing published while this validator was not reading is lost.

Redis unreachable: the validator cannot renew and its lease is marked lost (it refuses every token:
fail closed) until it has reconnected, caught up and been granted a lease; a revoker that cannot publish
or read the leases gets common.errors.Unavailable (the entry is committed and the feed carries it, but
the answer claims nothing). The URL is never logged, nor any error text that could hold it.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from common.errors import Unavailable
from common.revocation import Reason, Revocation, Scope
from common.validator import Receipt, Validator

log = logging.getLogger(__name__)

DEFAULT_PREFIX = "remotesignout:revocations:"
STREAM_MAXLEN = 100_000
UNCONFIRMED = "revocation_unconfirmed"
"""The reason of the Unavailable a revoker gets when it cannot confirm who has applied its entry."""

CONNECT_TIMEOUT_SECONDS = 2.0
WAIT_SLACK_SECONDS = 0.5
"""What a revoker's wait gets beyond one TTL: reading the leases and being woken take a few ms."""
CALL_TIMEOUT_SECONDS = 2.0
"""The deadline of a call to Redis that has no tighter one (reading where the stream ends, subscribing)."""
FORGET_AFTER_MS = 60_000
"""A validator whose lease ended this long ago is removed from the leases and the applied hash."""

CatchUp = Callable[[int], Awaitable[Sequence[Revocation]] | Sequence[Revocation]]
"""The durable feed after a sequence, in order (one page is enough: it is called until it returns none)."""


# KEYS: stream, published. ARGV: sequence, entry JSON, maxlen.
_PUBLISH = """
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'entry', ARGV[2])
local ms = string.match(id, '^(%d+)')
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[1] .. ':' .. ms)
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -tonumber(ARGV[3]) - 1)
return id
"""

# KEYS: leases, applied, published. ARGV: validator id, applied sequence, ttl ms, acks channel, forget ms.
# Returns {granted ms from now (0: no lease), head}.
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id, applied, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local head = applied
local top = redis.call('ZREVRANGE', KEYS[3], 0, 0, 'WITHSCORES')
if top[2] and tonumber(top[2]) > head then head = tonumber(top[2]) end
local expiry = now + ttl
if applied < head then
  local first = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. applied, '+inf', 'LIMIT', 0, 1)[1]
  local published = tonumber(string.match(first, ':(%d+)$'))
  if published + ttl < expiry then expiry = published + ttl end
end
local held = tonumber(redis.call('ZSCORE', KEYS[1], id) or '0')
if expiry > held then redis.call('ZADD', KEYS[1], expiry, id) else expiry = held end
local before = tonumber(redis.call('HGET', KEYS[2], id) or '-1')
if applied > before then
  redis.call('HSET', KEYS[2], id, applied)
  redis.call('PUBLISH', ARGV[4], id)
end
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[5]), 'LIMIT', 0, 100)
for _, old in ipairs(gone) do
  redis.call('ZREM', KEYS[1], old)
  redis.call('HDEL', KEYS[2], old)
end
return {math.max(expiry - now, 0), head}
"""

# KEYS: leases, applied. ARGV: validator ids (none: every validator whose lease is live).
# Returns {now ms, id, lease end ms (0: none), applied, id, ...}.
_STATUS = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ids = ARGV
if #ids == 0 then ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf') end
local out = {now}
for _, id in ipairs(ids) do
  out[#out + 1] = id
  out[#out + 1] = tonumber(redis.call('ZSCORE', KEYS[1], id) or '0')
  out[#out + 1] = tonumber(redis.call('HGET', KEYS[2], id) or '0')
end
return out
"""

# KEYS: leases, applied. ARGV: validator id, acks channel.
_LEAVE = """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[1])
return 1
"""


def connect(url: str) -> aioredis.Redis:
    """A client for the revocation keys at `url`: strings in and out, and one immediate retry (a pooled
    connection that died with a restarted Redis).

    No socket timeout: redis-py enforces it with asyncio.wait_for, which on Python 3.11 can swallow the
    cancellation of the task that waits (a link that would then never stop). Every call here has its own
    deadline instead (asyncio.timeout), so a hung Redis is still an error, not a wait."""
    return aioredis.Redis.from_url(
        url,
        socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
        socket_timeout=None,  # redis-py's default is 5 s
        decode_responses=True,
        retry=Retry(NoBackoff(), 1),
    )


@dataclass(frozen=True)
class Keys:
    """The names under one prefix (see the module docstring)."""

    prefix: str

    @property
    def stream(self) -> str:
        return self.prefix + "stream"

    @property
    def published(self) -> str:
        return self.prefix + "published"

    @property
    def leases(self) -> str:
        return self.prefix + "leases"

    @property
    def applied(self) -> str:
        return self.prefix + "applied"

    @property
    def acks(self) -> str:
        return self.prefix + "acks"


def encode(revocation: Revocation) -> str:
    return json.dumps(
        {
            "sequence": revocation.sequence,
            "account_id": revocation.account_id,
            "scope": revocation.scope.value,
            "reason": revocation.reason.value,
            "session_id": revocation.session_id,
            "device_id": revocation.device_id,
            "revoked_at_us": revocation.revoked_at_us,
        },
        separators=(",", ":"),
    )


def decode(data: str) -> Revocation:
    """The entry `encode` wrote; ValueError (or KeyError, TypeError) if it is not one."""
    item = json.loads(data)
    return Revocation(
        int(item["sequence"]),
        str(item["account_id"]),
        Scope(item["scope"]),
        Reason(item["reason"]),
        str(item["session_id"]),
        str(item["device_id"]),
        int(item["revoked_at_us"]),
    ).validate()


def _unavailable(what: str, error: BaseException) -> Unavailable:
    """Only the error's class: its text may hold the URL."""
    return Unavailable(
        f"The revocation is recorded, but whether every server has applied it could not be confirmed ({what}: "
        f"{type(error).__name__}); it takes effect everywhere within a few seconds.",
        UNCONFIRMED,
    )


class RedisRevocationBus:
    """Publishes committed entries to the stream (the revoking auth_service replica, after its commit)."""

    def __init__(
        self,
        client: aioredis.Redis,
        prefix: str = DEFAULT_PREFIX,
        *,
        maxlen: int = STREAM_MAXLEN,
        timeout_seconds: float = 1.0,
    ) -> None:
        self.client = client
        self.keys = Keys(prefix)
        self.maxlen = maxlen
        self.timeout_seconds = timeout_seconds
        self._script = client.register_script(_PUBLISH)
        self._owns_client = False

    @classmethod
    def from_url(cls, url: str, prefix: str = DEFAULT_PREFIX, **options: Any) -> RedisRevocationBus:
        """A bus with a client of its own (`connect(url)`; it connects on first use, `close` closes it)."""
        bus = cls(connect(url), prefix, **options)
        bus._owns_client = True
        return bus

    async def close(self) -> None:
        if self._owns_client:
            await self.client.aclose()

    async def publish(self, revocation: Revocation) -> None:
        """Append `revocation` (a stored entry); common.errors.Unavailable when Redis does not take it."""
        revocation.validate()
        try:
            async with asyncio.timeout(self.timeout_seconds):
                await self._script(
                    keys=[self.keys.stream, self.keys.published],
                    args=[revocation.sequence, encode(revocation), self.maxlen],
                )
        except (RedisError, OSError, TimeoutError) as error:
            log.warning("publishing revocation %d to Redis failed (%s)", revocation.sequence, type(error).__name__)
            raise _unavailable("publishing it", error) from error


@dataclass
class _Watch:
    """What one wait has seen so far: (id, seconds into the wait) of each validator seen acknowledged, the ids
    of those whose lease ran out."""

    acknowledged: list[tuple[str, float]] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)

    def receipt(self, sequence: int, waited_seconds: float) -> Receipt:
        return Receipt(
            sequence,
            len(self.acknowledged),
            len(self.expired),
            waited_seconds * 1000,
            tuple(self.acknowledged),
            tuple(self.expired),
        )


class RedisLeaseRegistry:
    """common.validator.LeaseRegistry over the leases in Redis: where a revoker waits.

    `wait_for` takes the validators whose lease is live once the entry is published (it is called after
    `RedisRevocationBus.publish`), then reads their applied sequence and lease again whenever one of them
    acknowledges (the acks channel, one subscription per registry) or every `poll_seconds` (a missed
    message, a listener reconnecting), and at the moment the next lease would end.

    `ttl_seconds`: the validators' lease TTL. No lease outlasts it after an entry is published (the renewal
    script caps it), so a wait is given at least that plus `WAIT_SLACK_SECONDS`, whatever `timeout_seconds`
    says: a wait that still has not ended then means a validator with a longer TTL, and is an error.

    `skip_validator_id`: the revoking replica's own validator, if its index took the entry inside the
    revoking transaction: it is not waited for.
    """

    def __init__(
        self,
        client: aioredis.Redis,
        prefix: str = DEFAULT_PREFIX,
        *,
        ttl_seconds: float = 0.0,
        poll_seconds: float = 0.1,
        skip_validator_id: str = "",
    ) -> None:
        self.client = client
        self.keys = Keys(prefix)
        self.ttl_seconds = ttl_seconds
        self.poll_seconds = poll_seconds
        self.skip_validator_id = skip_validator_id
        self._status = client.register_script(_STATUS)
        self._woken = asyncio.Event()
        self._listener: asyncio.Task[None] | None = None
        self._owns_client = False
        self.live_seen = 0
        """How many validators held a live lease at this registry's last read of them all (each wait's first)."""

    @classmethod
    def from_url(cls, url: str, prefix: str = DEFAULT_PREFIX, **options: Any) -> RedisLeaseRegistry:
        """A registry with a client of its own (`connect(url)`; `close` closes it)."""
        registry = cls(connect(url), prefix, **options)
        registry._owns_client = True
        return registry

    async def wait_for(self, sequence: int, timeout_seconds: float) -> Receipt:
        """Return once every validator with a live lease has applied `sequence` or its lease ended;
        common.errors.Unavailable if Redis cannot be read or `timeout_seconds` pass first."""
        self._listen()
        loop = asyncio.get_running_loop()
        started = loop.time()
        timeout_seconds = max(timeout_seconds, self.ttl_seconds + WAIT_SLACK_SECONDS if self.ttl_seconds else 0.0)
        deadline = started + timeout_seconds
        seen = _Watch()
        pending: list[str] | None = None  # None: not read yet
        try:
            while True:
                woken = self._woken
                async with asyncio.timeout_at(deadline):
                    now_ms, rows = await self._read(pending or [])
                waiting_until: list[int] = []
                pending = []
                for validator_id, lease_ends_ms, applied in rows:
                    if validator_id == self.skip_validator_id:
                        continue
                    if applied >= sequence:
                        seen.acknowledged.append((validator_id, loop.time() - started))
                    elif lease_ends_ms <= now_ms:
                        seen.expired.append(validator_id)
                    else:
                        pending.append(validator_id)
                        waiting_until.append(lease_ends_ms)
                if not pending:
                    return seen.receipt(sequence, loop.time() - started)
                left = deadline - loop.time()
                if left <= 0:
                    raise Unavailable(
                        f"The revocation is recorded, but {len(pending)} servers did not confirm it within "
                        f"{timeout_seconds:g} s; it takes effect everywhere within a few seconds.",
                        UNCONFIRMED,
                    )
                next_end = (min(waiting_until) - now_ms) / 1000 + 0.001
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(min(self.poll_seconds, next_end, left)):
                        await woken.wait()
        except (RedisError, OSError, TimeoutError) as error:
            log.warning("reading validator leases from Redis failed (%s)", type(error).__name__)
            raise _unavailable("reading the validators' leases", error) from error

    async def _read(self, validator_ids: list[str]) -> tuple[int, list[tuple[str, int, int]]]:
        """Redis's time and (id, lease end, applied) of `validator_ids`, or of every live lease if none."""
        reply = cast(
            list[Any], await self._status(keys=[self.keys.leases, self.keys.applied], args=list(validator_ids))
        )
        rows = [(str(reply[n]), int(reply[n + 1]), int(reply[n + 2])) for n in range(1, len(reply), 3)]
        if not validator_ids:
            self.live_seen = sum(1 for validator_id, _, _ in rows if validator_id != self.skip_validator_id)
        return int(reply[0]), rows

    def _listen(self) -> None:
        if self._listener is None or self._listener.done():
            self._listener = asyncio.create_task(self._follow_acks())

    def _wake(self) -> None:
        self._woken.set()
        self._woken = asyncio.Event()

    async def _follow_acks(self) -> None:
        failures = 0
        while True:
            pubsub = self.client.pubsub(ignore_subscribe_messages=True)
            try:
                async with asyncio.timeout(CALL_TIMEOUT_SECONDS):
                    await pubsub.subscribe(self.keys.acks)
                failures = 0
                self._wake()  # whatever was missed while not listening
                while True:
                    if await pubsub.get_message(timeout=1.0) is not None:
                        self._wake()
            except (RedisError, OSError, TimeoutError) as error:
                failures += 1
                log.warning("listening for revocation acknowledgements failed (%s)", type(error).__name__)
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py leaves it unannotated
            await asyncio.sleep(min(2.0, 0.05 * 2**failures))

    async def close(self) -> None:
        """Stop listening (and close the client if `from_url` made it)."""
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        if self._owns_client:
            await self.client.aclose()


class FeedGap(Unavailable):
    """The durable feed does not have an entry the stream shows exists (yet): retried."""


class RedisValidatorLink:
    """Keeps `validator` current from Redis and holds its lease (see the module docstring).

    `run()` follows the stream until cancelled (then the lease ends at once: revokers stop waiting for
    this process). Each (re)connection: note where the stream ends, catch up from the feed, renew; then
    read the stream (XREAD BLOCK) and apply each entry in order, filling gaps from the feed; renew every
    TTL/4 and right after applying (so a revoker waits one round trip, not a renewal period). On any
    error the lease is marked lost and the whole of it is retried with back-off.

    `subscribe()`: every entry as it is applied, in order (the gateway's push path); any number of
    subscribers, each with its own queue, registered from the call (not from the first iteration).
    """

    def __init__(
        self,
        validator: Validator,
        catch_up: CatchUp,
        *,
        url: str = "",
        client: aioredis.Redis | None = None,
        prefix: str = DEFAULT_PREFIX,
        block_ms: int = 1000,
        sweep_seconds: float = 5.0,
        max_backoff_seconds: float = 2.0,
    ) -> None:
        if (client is None) == (not url):
            raise ValueError("give RedisValidatorLink a Redis url or a client (one of them)")
        self.validator = validator
        self.catch_up = catch_up
        self._owns_client = client is None
        self.client = client if client is not None else connect(url)
        self.keys = Keys(prefix)
        self.block_ms = block_ms
        self.sweep_seconds = sweep_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self._renew_script = self.client.register_script(_RENEW)
        self._leave_script = self.client.register_script(_LEAVE)
        self._renew_soon = asyncio.Event()
        self._applying = asyncio.Lock()
        self._subscribers: set[asyncio.Queue[Revocation]] = set()
        self.connected = asyncio.Event()
        """Set while a session is up (caught up and granted a lease); tests and health checks read it."""

    @property
    def ttl_seconds(self) -> float:
        return self.validator.lease_ttl_seconds

    def subscribe(self) -> AsyncIterator[Revocation]:
        queue: asyncio.Queue[Revocation] = asyncio.Queue()
        self._subscribers.add(queue)
        return self._drain(queue)

    async def _drain(self, queue: asyncio.Queue[Revocation]) -> AsyncIterator[Revocation]:
        try:
            while True:
                yield await queue.get()
        finally:
            self._subscribers.discard(queue)

    async def run(self) -> None:
        failures = 0
        try:
            while True:
                try:
                    await self._session()
                except Exception as error:  # whatever failed, stay closed and try again
                    self.connected.clear()
                    self.validator.lease_lost()
                    failures += 1
                    log.warning(
                        "revocations from Redis interrupted (%s); refusing tokens until caught up again",
                        type(error).__name__,
                    )
                await asyncio.sleep(min(self.max_backoff_seconds, 0.05 * 2 ** min(failures, 8)))
        finally:
            self.connected.clear()
            self.validator.lease_lost()
            with contextlib.suppress(Exception):
                async with asyncio.timeout(0.5):
                    await self.leave()

    async def close(self) -> None:
        """Close the client if the link made it from `url` (once `run` has been cancelled)."""
        if self._owns_client:
            await self.client.aclose()

    async def leave(self) -> None:
        """End this validator's lease now (a clean shutdown): revokers stop waiting for it."""
        await self._leave_script(
            keys=[self.keys.leases, self.keys.applied], args=[self.validator.validator_id, self.keys.acks]
        )

    async def _session(self) -> None:
        last_id = await self._stream_end()
        async with self._applying:
            await self._catch_up()
        await self._renew()
        self.connected.set()
        await _first_failure(self._read(last_id), self._keep_renewing(), self._sweep())

    async def _stream_end(self) -> str:
        async with asyncio.timeout(CALL_TIMEOUT_SECONDS):
            newest = cast(list[Any], await self.client.xrevrange(self.keys.stream, count=1))
        return str(newest[0][0]) if newest else "0-0"

    async def _read(self, last_id: str) -> None:
        while True:
            async with asyncio.timeout(self.block_ms / 1000 + CALL_TIMEOUT_SECONDS):
                reply = await self.client.xread({self.keys.stream: last_id}, count=500, block=self.block_ms)
            for _stream, entries in _streams(reply):
                for entry_id, fields in entries:
                    last_id = entry_id
                    try:
                        revocation = decode(fields["entry"])
                    except (ValueError, KeyError, TypeError):
                        log.warning("ignored a malformed entry on the revocation stream")
                        continue  # the next entry shows a gap, which the feed fills
                    await self._take(revocation)

    async def _take(self, revocation: Revocation) -> None:
        async with self._applying:
            if revocation.sequence <= self.validator.applied_sequence:
                return
            self.validator.note_head(revocation.sequence)
            if not self._apply(revocation):
                await self._catch_up()
                if revocation.sequence > self.validator.applied_sequence and not self._apply(revocation):
                    raise FeedGap(f"the feed has no entry before {revocation.sequence} yet")
        self._renew_soon.set()

    def _apply(self, revocation: Revocation) -> bool:
        before = self.validator.applied_sequence
        if not self.validator.apply(revocation):
            return False
        if self.validator.applied_sequence > before:
            self._announce(revocation)
        return True

    def _announce(self, revocation: Revocation) -> None:
        for queue in self._subscribers:
            queue.put_nowait(revocation)

    async def _catch_up(self) -> None:
        """Apply the feed after the applied sequence until it has no more (the caller holds `_applying`)."""
        while True:
            page = self.catch_up(self.validator.applied_sequence)
            entries = await page if inspect.isawaitable(page) else page
            progressed = False
            for revocation in sorted(entries, key=lambda entry: entry.sequence):
                if revocation.sequence <= self.validator.applied_sequence:
                    continue
                self.validator.apply_from_feed(revocation)  # a hole in the feed is a rolled-back sequence
                self._announce(revocation)
                progressed = True
            if not progressed:
                return
            self._renew_soon.set()

    async def _renew(self) -> None:
        validator = self.validator
        sent_at = validator.renewal_sent()
        async with asyncio.timeout(self.ttl_seconds / 2):
            reply = await self._renew_script(
                keys=[self.keys.leases, self.keys.applied, self.keys.published],
                args=[
                    validator.validator_id,
                    validator.applied_sequence,
                    round(self.ttl_seconds * 1000),
                    self.keys.acks,
                    FORGET_AFTER_MS,
                ],
            )
        granted_ms, head = (int(value) for value in cast(list[Any], reply))
        validator.note_head(head)
        if granted_ms > 0:
            validator.lease_granted(sent_at, granted_ms / 1000)

    async def _keep_renewing(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.ttl_seconds / 4):
                    await self._renew_soon.wait()
            self._renew_soon.clear()
            await self._renew()

    async def _sweep(self) -> None:
        """Catch up from the feed now and then, and soon when a grant showed a head not applied: an entry
        committed but never published (Redis failed the publisher) must not wait for the next one.

        A failure here is logged and tried again, and ends nothing: a validator with every entry it
        knows of stays current while its feed is unreachable (one that lacks one is not current anyway)."""
        behind_since: float | None = None
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(self.ttl_seconds / 4)
            now = loop.time()
            if self.validator.applied_sequence < self.validator.head_sequence:
                behind_since = now if behind_since is None else behind_since
            else:
                behind_since = None
            if now - last >= self.sweep_seconds or (
                behind_since is not None and now - behind_since >= self.ttl_seconds / 2
            ):
                try:
                    async with self._applying:
                        await self._catch_up()
                except Exception as error:  # the feed's owner decides what it raises
                    log.warning("catching up from the revocation feed failed (%s)", type(error).__name__)
                last, behind_since = now, None


def _streams(reply: Any) -> list[tuple[str, list[tuple[str, dict[str, str]]]]]:
    """XREAD's reply as (stream, entries): a list in RESP2, a dict in RESP3."""
    if not reply:
        return []
    if isinstance(reply, dict):
        return list(reply.items())
    return [(stream, entries) for stream, entries in reply]


async def _first_failure(*jobs: Coroutine[Any, Any, None]) -> None:
    """Run `jobs` until one ends; cancel the others, then raise what it raised."""
    tasks = [asyncio.ensure_future(job) for job in jobs]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        task.result()
    raise RuntimeError("a revocation link job ended")
