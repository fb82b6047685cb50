"""The server interceptor every service uses, and the wrapping of grpc.aio method handlers."""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar, cast

import grpc
from grpc import aio

from common.call_metrics import CallMetrics
from common.errors import DomainError, PermissionDenied
from common.grpc_errors import abort
from common.grpc_types import Context, MethodHandler
from common.permissions import Permissions, peer_process, set_caller
from common.rpc_log import RpcLog

log = logging.getLogger(__name__)
Req = TypeVar("Req")
Res = TypeVar("Res")

UnaryWrapper = Callable[[Callable[..., Awaitable[Any]], Any, Context], Awaitable[Any]]
StreamWrapper = Callable[[Callable[..., AsyncIterator[Any]], Any, Context], AsyncIterator[Any]]


def wrap_handler(handler: MethodHandler, unary: UnaryWrapper, stream: StreamWrapper) -> MethodHandler:
    """Return `handler` with its unary-unary or unary-stream behaviour wrapped.

    A stream-stream handler (server reflection) is wrapped too, with the
    request iterator in place of the request. Client-streaming handlers (none
    in this project) pass through unchanged.
    """
    if handler.unary_unary is not None:
        behavior = handler.unary_unary
        return grpc.unary_unary_rpc_method_handler(
            functools.partial(unary, behavior),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
    if handler.unary_stream is not None:
        return grpc.unary_stream_rpc_method_handler(
            _streaming(handler.unary_stream, unary, stream),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
    if handler.stream_stream is not None:
        return grpc.stream_stream_rpc_method_handler(
            _streaming(handler.stream_stream, unary, stream),
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )
    return handler


def _streaming(behavior: Callable[..., Any], unary: UnaryWrapper, stream: StreamWrapper) -> Callable[..., Any]:
    """A server-streaming behaviour, wrapped the way grpc.aio will call it.

    grpc.aio takes two kinds (its stubs describe only the synchronous server's):
    an async generator, whose yields are the responses (this project's
    servicers), which `stream` iterates; and a coroutine function that writes
    its responses with `await context.write(...)` and returns None
    (grpc_health's Watch), which must stay a coroutine function, so `unary`
    awaits it. An async generator wrapper around it would yield nothing and the
    client would read no response at all.
    """
    if inspect.iscoroutinefunction(behavior):
        return functools.partial(unary, cast(Callable[..., Awaitable[Any]], behavior))
    return functools.partial(stream, cast(Callable[..., AsyncIterator[Any]], behavior))


class ServiceInterceptor(aio.ServerInterceptor):
    """The server interceptor of every service.

    For each call, in this order: the caller's identity (its certificate's
    SPIFFE id) must be allowed by `permissions` for this method, or the call is
    refused with PERMISSION_DENIED (default deny: a method missing from the table
    is refused to everyone); a DomainError the handler raises becomes the
    matching status code, and any other exception UNKNOWN with a message that
    says nothing of it; with metrics on, the call is counted by status and
    timed (common.metrics); the caller's request id is bound while it runs and
    one line is logged when it ends (common.rpc_log). The caller's process is
    available to the handler through `common.permissions.caller()`.

    Each method's handler is wrapped once and reused: a method's handler never
    changes, so wrapping it per call would only add cost to every RPC, the
    validation hot path included. One interceptor, not several, for the same reason.
    """

    def __init__(self, permissions: Permissions, *, metrics: bool = True) -> None:
        self.permissions = permissions
        self.metrics = metrics
        self._wrapped: dict[str, MethodHandler] = {}

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler[Req, Res] | None]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Req, Res] | None:
        method = handler_call_details.method
        wrapped = self._wrapped.get(method)
        if wrapped is None:
            handler = await continuation(handler_call_details)
            if handler is None:
                return None  # unknown method: not cached, so random names cannot grow the cache
            wrapped = self._wrapped[method] = self._wrap(handler, method)
        return wrapped

    def _wrap(self, handler: MethodHandler, method: str) -> MethodHandler:
        allowed = self.permissions.get(method, frozenset())
        record = CallMetrics(method).record if self.metrics else None
        calls = RpcLog(method)

        def authorize(context: Context) -> None:
            process = peer_process(context)
            if process not in allowed:
                log.warning(
                    "refused %s to %s: %s",
                    method,
                    process or "a caller without a suite identity",
                    "not allowed by this service's permissions",
                )
                raise PermissionDenied(f"{process or 'This caller'} may not call {method}.", reason="not_allowed")
            set_caller(process)

        async def unary(behavior: Callable[..., Awaitable[Any]], request: Any, context: Context) -> Any:
            started, failed, cancelled = time.perf_counter(), True, False
            call = calls.begin(context)
            try:
                authorize(context)
                response = await behavior(request, context)
                failed = False
                return response
            except DomainError as error:
                call.reason = error.reason
                await abort(context, error)
            except (aio.AbortError, asyncio.CancelledError) as stop:
                cancelled = isinstance(stop, asyncio.CancelledError)
                raise
            except Exception as error:
                await call.unexpected(context, error)
            finally:
                if record is not None:
                    record(started, context, failed)
                call.finish(context, failed, cancelled=cancelled)

        async def stream(
            behavior: Callable[..., AsyncIterator[Any]], request: Any, context: Context
        ) -> AsyncIterator[Any]:
            started, failed, cancelled = time.perf_counter(), True, False
            call = calls.begin(context)
            try:
                authorize(context)
                async for response in behavior(request, context):
                    yield response
                failed = False
            except DomainError as error:
                call.reason = error.reason
                await abort(context, error)
            except (aio.AbortError, asyncio.CancelledError, GeneratorExit) as stop:
                cancelled = not isinstance(stop, aio.AbortError)
                raise
            except Exception as error:
                await call.unexpected(context, error)
            finally:
                if record is not None:
                    record(started, context, failed)
                call.finish(context, failed, cancelled=cancelled)

        return wrap_handler(handler, unary, stream)
