"""The unit of work every service uses, and the one way to run database work off the event loop.

Nothing here knows SQLAlchemy, so service layers may import it; the SQLAlchemy
unit of work every service's adapters build on is `common.db.SqlAlchemyUnitOfWork`.

A handler is a plain function `handler(uow, ...)` in a service layer. It opens
`with uow:`, reads and writes through the repositories the service's unit of work
carries, and calls `uow.commit()`; leaving the block without committing rolls
back. `in_thread(handler, uow, ...)` runs it in a worker thread, so a database
call never blocks the event loop that serves every other RPC.
"""

from __future__ import annotations

import abc
import asyncio
from collections.abc import Callable
from types import TracebackType
from typing import ParamSpec, Self, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class Conflict(Exception):
    """A commit broke a uniqueness rule: another transaction got there first."""


class UnitOfWork(abc.ABC):
    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.rollback()  # a no-op after commit

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...


async def in_thread(handler: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `handler(*args, **kwargs)` (database work) in a worker thread and await its result."""
    return await asyncio.to_thread(handler, *args, **kwargs)


__all__ = ["Conflict", "UnitOfWork", "in_thread"]
