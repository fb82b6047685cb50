"""Replicas racing: each call runs in its own thread, all released at one instant by a barrier.

Tests of replica safety give every "replica" its own engine (its own connection pool) on one database,
as separate processes would have, and race the same write on each with `race` (plain functions) or
`race_async` (coroutines, each on its own event loop in its thread).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine

from common.db import make_engine
from common.migrations import History, upgrade
from tests.postgres import postgres_schema_url

T = TypeVar("T")


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
def replica_engines(url: str | None = None, history: History | None = None, count: int = 2) -> Iterator[list[Engine]]:
    """`count` engines on one database: a throw-away PostgreSQL schema unless `url` names one; its schema is
    `history`'s head (a service's migrations, run once, as `python -m <service> migrate` does)."""

    @contextmanager
    def database() -> Iterator[str]:
        if url is not None:
            yield url
        else:
            with postgres_schema_url() as schema_url:
                yield schema_url

    with database() as shared:
        engines = [make_engine(shared) for _ in range(count)]
        if history is not None:
            upgrade(engines[0], history)
        try:
            yield engines
        finally:
            for engine in engines:
                engine.dispose()


def stalling(uow_class: type[T], *args: Any, after: str, reached: threading.Event, seconds: float = 0.3) -> T:
    """A unit of work of `uow_class` (a service's SQLAlchemy one, built with `args`) whose repository call
    `after` ("devices.get_by_client_id") sets `reached` and then stalls `seconds` inside the transaction:
    a slow replica that has read a row and not yet written it, while another replica writes."""
    repository, method = after.split(".")

    class Stalling(uow_class):  # type: ignore[valid-type, misc]
        def open(self, session: Any) -> None:
            super().open(session)
            target = getattr(self, repository)
            original = getattr(target, method)

            def stalled(*call_args: Any, **call_kwargs: Any) -> Any:
                result = original(*call_args, **call_kwargs)
                reached.set()
                time.sleep(seconds)
                return result

            setattr(target, method, stalled)

    return Stalling(*args)  # type: ignore[no-any-return]
