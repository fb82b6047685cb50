"""Replicas racing: each call runs in its own thread, all released at one instant by a barrier.

Tests of replica safety give every "replica" its own engine (its own connection pool) on one database,
as separate processes would have, and race the same write on each with `race` (plain functions) or
`race_async` (coroutines, each on its own event loop in its thread).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine

from common.db import make_engine
from tests.postgres import postgres_schema_url


def race(*calls: Callable[[], Any], timeout: float = 60.0) -> list[Any]:
    """Each call's result, or the exception it raised, in order; the calls start together."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(position: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[position] = call()
        except BaseException as error:
            results[position] = error

    threads = [threading.Thread(target=run, args=item, daemon=True) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a racing call never finished (a lock held forever?)"
    return results


def race_async(*coroutines: Callable[[], Awaitable[Any]], timeout: float = 60.0) -> list[Any]:
    """`race` for coroutine functions: each runs to completion on its own event loop, in its own thread."""

    def runner(coroutine: Callable[[], Awaitable[Any]]) -> Callable[[], Any]:
        async def main() -> Any:
            return await coroutine()

        return lambda: asyncio.run(main())

    return race(*(runner(coroutine) for coroutine in coroutines), timeout=timeout)


def errors(results: list[Any]) -> list[BaseException]:
    return [result for result in results if isinstance(result, BaseException)]


@contextmanager
def replica_engines(url: str | None = None, count: int = 2) -> Iterator[list[Engine]]:
    """`count` engines on one database: a throw-away PostgreSQL schema unless `url` names one."""

    @contextmanager
    def database() -> Iterator[str]:
        if url is not None:
            yield url
        else:
            with postgres_schema_url() as schema_url:
                yield schema_url

    with database() as shared:
        engines = [make_engine(shared) for _ in range(count)]
        try:
            yield engines
        finally:
            for engine in engines:
                engine.dispose()
