"""Wrapping the behaviours of a grpc.aio method handler, for server interceptors."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc

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
