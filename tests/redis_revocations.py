"""A cluster of validators on a real Redis, for the tests of common.revocation_redis: a durable feed in
memory (what auth_service's database holds), a revoker (commit to the feed, publish, wait), validators
that follow Redis, and a throw-away redis-server that a test may stop and start again."""

from __future__ import annotations

import asyncio
import contextlib
import pathlib
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from common.revocation import Reason, Revocation, Scope
from common.revocation_index import RevocationIndex
from common.revocation_redis import CatchUp, RedisLeaseRegistry, RedisRevocationBus, RedisValidatorLink, connect
from common.validator import Receipt, Validator
from tests.support import free_port, require_service

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


async def require_redis(url: str) -> None:
    probe = aioredis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        await probe.ping()
    except (RedisError, OSError) as error:
        require_service(f"Redis at {url} is not reachable: {error}")
    finally:
        await probe.aclose()


class Feed:
    """The durable feed: entries in sequence order, as auth_service's database would return them."""

    def __init__(self, page_size: int = 3) -> None:
        self.entries: list[Revocation] = []
        self.page_size = page_size
        self.reads = 0

    @property
    def head(self) -> int:
        return self.entries[-1].sequence if self.entries else 0

    def append(self, account_id: str = "acc-1", *, rolled_back: int = 0) -> Revocation:
        """The next entry; `rolled_back` sequences before it were taken by transactions that rolled back."""
        entry = Revocation(self.head + 1 + rolled_back, account_id, Scope.ALL, Reason.SIGN_OUT_ALL, revoked_at_us=1)
        self.entries.append(entry)
        return entry

    async def after(self, sequence: int) -> list[Revocation]:
        """One page after `sequence`: the catch_up a link is given."""
        self.reads += 1
        return [entry for entry in self.entries if entry.sequence > sequence][: self.page_size]


class QuietLink(RedisValidatorLink):
    """A link that, when stopped, does not end its lease: a process frozen or cut off, not one shut down."""

    async def leave(self) -> None:
        return None


@dataclass
class Member:
    """One validator process: its Validator, its link, the task running it, what its subscriber heard."""

    validator: Validator
    link: RedisValidatorLink
    task: asyncio.Task[None] | None = None
    heard: list[Revocation] = field(default_factory=list)
    listener: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self.link.run())

    async def stop(self) -> None:
        """Cancel the link (a QuietLink keeps its lease in Redis until it ends)."""
        if self.task is not None:
            self.task.cancel()
            done, _ = await asyncio.wait([self.task], timeout=5)
            assert done, "the link did not stop when cancelled"
            self.task = None

    async def listen(self) -> None:
        subscription = self.link.subscribe()

        async def keep() -> None:
            async for revocation in subscription:
                self.heard.append(revocation)

        self.listener = asyncio.create_task(keep())


class FrozenMember:
    """A validator on an event loop of its own, in its own thread, that the test can freeze (its loop
    blocks: nothing of it runs, as under SIGSTOP, while its Validator keeps what it knew) and thaw."""

    def __init__(
        self, validator: Validator, url: str, prefix: str, catch_up: CatchUp, *, sweep_seconds: float = 5.0
    ) -> None:
        self.validator = validator
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.client = connect(url)
        self.link = RedisValidatorLink(
            validator, catch_up, client=self.client, prefix=prefix, sweep_seconds=sweep_seconds
        )
        self._task = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(5)
        self._gate = threading.Event()
        self._gate.set()

    async def _start(self) -> asyncio.Task[None]:
        return asyncio.create_task(self.link.run())

    async def _stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        await self.client.aclose()

    @property
    def frozen(self) -> bool:
        return not self._gate.is_set()

    def freeze(self) -> None:
        blocked = threading.Event()

        def block() -> None:
            blocked.set()
            self._gate.wait()

        self._gate.clear()
        self.loop.call_soon_threadsafe(block)
        blocked.wait(5)

    def thaw(self) -> None:
        self._gate.set()

    def close(self) -> None:
        self.thaw()
        asyncio.run_coroutine_threadsafe(self._stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()


class Cluster:
    """Validators and a revoker on one Redis under a fresh prefix."""

    def __init__(self, url: str, *, ttl: float = 1.0, sweep_seconds: float = 5.0) -> None:
        self.url = url
        self.prefix = f"test:{uuid.uuid4().hex}:"
        self.ttl = ttl
        self.sweep_seconds = sweep_seconds
        self.feed = Feed()
        self.clients: list[aioredis.Redis] = []
        self.members: list[Member] = []
        self.bus = RedisRevocationBus(self._client(), self.prefix)
        self.registry = RedisLeaseRegistry(self._client(), self.prefix, poll_seconds=0.1)

    def _client(self) -> aioredis.Redis:
        client = connect(self.url)
        self.clients.append(client)
        return client

    def validator(self, *, quiet: bool = False, start: bool = True) -> Member:
        index = RevocationIndex()
        validator = Validator(f"test-{uuid.uuid4().hex[:12]}", index, lease_ttl_seconds=self.ttl, margin_seconds=0.1)
        kind = QuietLink if quiet else RedisValidatorLink
        link = kind(
            validator, self.feed.after, client=self._client(), prefix=self.prefix, sweep_seconds=self.sweep_seconds
        )
        member = Member(validator, link)
        self.members.append(member)
        if start:
            member.start()
        return member

    def frozen_member(self, catch_up: CatchUp | None = None) -> FrozenMember:
        """A validator in a thread of its own (FrozenMember); the caller closes it."""
        validator = Validator(
            f"test-{uuid.uuid4().hex[:12]}", RevocationIndex(), lease_ttl_seconds=self.ttl, margin_seconds=0.1
        )
        return FrozenMember(
            validator, self.url, self.prefix, catch_up or self.feed.after, sweep_seconds=self.sweep_seconds
        )

    async def revoke(self, *, timeout: float | None = None, publish: bool = True) -> tuple[Revocation, Receipt]:
        """Commit an entry to the feed, publish it, wait for the validators (as an auth_service replica)."""
        entry = self.feed.append()
        if publish:
            await self.bus.publish(entry)
        receipt = await self.registry.wait_for(entry.sequence, timeout if timeout is not None else self.ttl * 3)
        return entry, receipt

    async def all_current(self, members: list[Member] | None = None, within: float = 5.0) -> None:
        await until(lambda: all(m.validator.current for m in (members or self.members)), within)

    async def close(self) -> None:
        for member in self.members:
            await member.stop()
            if member.listener is not None:
                member.listener.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await member.listener
        await self.registry.close()
        for client in self.clients:
            with contextlib.suppress(RedisError, OSError):
                await client.aclose()


async def until(condition: object, within: float = 5.0, step: float = 0.01) -> float:
    """Wait until `condition()` is true; how long it took. AssertionError after `within` seconds."""
    assert callable(condition)
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > within:
            raise AssertionError(f"still false after {within} s")
        await asyncio.sleep(step)
    return time.monotonic() - started


class RedisServer:
    """A redis-server of our own on a free port, nothing saved to disk: to stop and start again."""

    def __init__(self, directory: pathlib.Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = aioredis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)
        try:
            for _ in range(200):
                with contextlib.suppress(RedisError, OSError):
                    if await client.ping():
                        return
                await asyncio.sleep(0.02)
            raise RuntimeError("redis-server did not start")
        finally:
            await client.aclose()

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


@contextlib.asynccontextmanager
async def own_redis(directory: pathlib.Path) -> AsyncIterator[RedisServer]:
    if not pathlib.Path(REDIS_SERVER).exists():
        require_service(f"{REDIS_SERVER} is not installed")
    server = RedisServer(directory)
    await server.start()
    try:
        yield server
    finally:
        server.stop()
