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

from common.errors import Aborted

P = ParamSpec("P")
T = TypeVar("T")


CONFLICT_MESSAGE = "A change made at the same moment got there first. Please try again."


class Conflict(Aborted):
    """Another transaction got there first: a write broke a uniqueness rule, or the database ended this
    transaction to break a deadlock or a serialisation failure between concurrent writers.

    Handlers that expect one (a concurrent first sign-in of one device) catch it and try again; one
    that escapes is ABORTED to the caller, never INTERNAL. `detail` is the database's words, for logs
    only: it may hold the values of the row (an email), so it is never the message a caller sees.
    """

    def __init__(self, detail: str = "") -> None:
        super().__init__(CONFLICT_MESSAGE, reason="conflict")
        self.detail = detail


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
