"""Wrapping the behaviours of a grpc.aio method handler, for server interceptors."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
from grpc import aio

UnaryWrapper = Callable[[Callable[..., Awaitable[Any]], Any, Any], Awaitable[Any]]
StreamWrapper = Callable[[Callable[..., AsyncIterator[Any]], Any, Any], AsyncIterator[Any]]


def wrap_handler(
    handler: grpc.RpcMethodHandler | None, unary: UnaryWrapper, stream: StreamWrapper
) -> grpc.RpcMethodHandler | None:
    """Return `handler` with its unary-unary or unary-stream behaviour wrapped.

    Client-streaming handlers (none in this project) pass through unchanged.
    """
    if handler is None:
        return None
    if handler.unary_unary is not None:
        behavior = handler.unary_unary
        return grpc.unary_unary_rpc_method_handler(
            functools.partial(unary, behavior),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
    if handler.unary_stream is not None:
        behavior = handler.unary_stream
        return grpc.unary_stream_rpc_method_handler(
            functools.partial(stream, behavior),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
    return handler


class WrappingInterceptor(aio.ServerInterceptor):
    """A server interceptor that wraps each method's handler once and reuses it.

    A method's handler never changes, so wrapping it per call (a new handler,
    new closures) would only add cost to every RPC, the validation hot path
    included.
    """

    def __init__(self) -> None:
        self._wrapped: dict[str, grpc.RpcMethodHandler] = {}

    def wrap(self, handler: grpc.RpcMethodHandler, method: str) -> grpc.RpcMethodHandler:
        raise NotImplementedError

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler | None:
        method = handler_call_details.method
        wrapped = self._wrapped.get(method)
        if wrapped is None:
            handler = await continuation(handler_call_details)
            if handler is None:
                return None  # unknown method: not cached, so random names cannot grow the cache
            wrapped = self._wrapped[method] = self.wrap(handler, method)
        return wrapped
