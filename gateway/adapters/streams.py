"""Opening a server stream whose first message says it is listening (`subscribed`)."""

from __future__ import annotations

import asyncio

from grpc import aio

from common.errors import Unavailable


async def await_subscribed(call: aio.UnaryStreamCall, timeout: float, closed_message: str) -> None:  # type: ignore[type-arg]
    """Wait (with a deadline) for the stream's `subscribed` event; cancel it on any failure.

    Raises the stream's AioRpcError (such as UNAUTHENTICATED) as it comes, and
    Unavailable when the stream ends or says something else first.
    """
    try:
        first = await asyncio.wait_for(call.read(), timeout)
    except BaseException:
        call.cancel()
        raise
    if first is aio.EOF or first.WhichOneof("event") != "subscribed":
        call.cancel()
        raise Unavailable(closed_message)
