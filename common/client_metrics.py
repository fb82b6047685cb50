"""The per-RPC series of a gRPC client: every call this process makes, counted by final status code and timed.

`client_interceptors()` are grpc.aio client interceptors for unary-unary, unary-stream and stream-stream calls
(this project has no client-streaming method); common.tls puts them on every channel it makes, so every
process that calls another (each service and the gateway) exports these families, and only those.

A unary call is timed from the interceptor until its status is known; a stream from its start until it
ended (a long-lived stream, such as SyncRevocations, is observed once, when it ends). A call that failed
before it started (a malformed address, a closed channel) has no status and is not counted; a call the
caller cancelled counts as CANCELLED.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import grpc
from grpc import aio
from prometheus_client import Counter, Histogram

from common.metrics import LATENCY_BUCKETS

CLIENT_HANDLED = Counter(
    "remotesignout_grpc_client_handled",
    "gRPC calls this process made that completed, by service, method and final status code "
    "(client side: a deadline or an unreachable server shows here, not at the server).",
    ["grpc_service", "grpc_method", "grpc_code"],
)
CLIENT_LATENCY = Histogram(
    "remotesignout_grpc_client_handling_seconds",
    "Time from a gRPC call's start in this process until its final status (a stream: until it ended).",
    ["grpc_service", "grpc_method"],
    buckets=LATENCY_BUCKETS,
)


def _split(method: str | bytes) -> tuple[str, str]:
    text = method.decode() if isinstance(method, bytes) else method
    _, service, name = text.split("/", 2)
    return service, name


class _Series:
    """One method's children, made once (labels() takes a lock and a dict lookup per call)."""

    def __init__(self, method: str | bytes) -> None:
        service, name = _split(method)
        self.handled = {code: CLIENT_HANDLED.labels(service, name, code.name) for code in grpc.StatusCode}
        self.latency = CLIENT_LATENCY.labels(service, name)

    def record(self, started: float, code: grpc.StatusCode) -> None:
        self.latency.observe(time.perf_counter() - started)
        self.handled[code].inc()


class _Methods:
    """Each method's series, made on its first call, and the tasks recording streams that ended."""

    def __init__(self) -> None:
        self._series: dict[str | bytes, _Series] = {}
        self.recording: set[asyncio.Task[None]] = set()

    def series(self, details: aio.ClientCallDetails) -> _Series:
        found = self._series.get(details.method)
        if found is None:
            found = self._series[details.method] = _Series(details.method)
        return found

    def when_done(self, call: Any, details: aio.ClientCallDetails) -> Any:
        """Record a stream once it has ended; the caller gets the call itself (it may write to it)."""
        series, started = self.series(details), time.perf_counter()

        async def record(done: Any) -> None:
            try:
                code = await done.code()
            except asyncio.CancelledError:
                code = grpc.StatusCode.CANCELLED
            series.record(started, code)

        def on_done(done: Any) -> None:
            task = asyncio.get_running_loop().create_task(record(done))
            self.recording.add(task)
            task.add_done_callback(self.recording.discard)

        call.add_done_callback(on_done)
        return call


class _UnaryUnary(aio.UnaryUnaryClientInterceptor):
    def __init__(self, methods: _Methods) -> None:
        self.methods = methods

    async def intercept_unary_unary(
        self, continuation: Callable[..., Any], client_call_details: aio.ClientCallDetails, request: Any
    ) -> Any:
        series, started = self.methods.series(client_call_details), time.perf_counter()
        call = await continuation(client_call_details, request)
        try:
            code = await call.code()
        except asyncio.CancelledError:
            series.record(started, grpc.StatusCode.CANCELLED)
            raise
        series.record(started, code)
        return call  # awaiting it gives the response, or raises its AioRpcError with its metadata


class _UnaryStream(aio.UnaryStreamClientInterceptor):
    def __init__(self, methods: _Methods) -> None:
        self.methods = methods

    async def intercept_unary_stream(
        self, continuation: Callable[..., Any], client_call_details: aio.ClientCallDetails, request: Any
    ) -> Any:
        return self.methods.when_done(await continuation(client_call_details, request), client_call_details)


class _StreamStream(aio.StreamStreamClientInterceptor):
    def __init__(self, methods: _Methods) -> None:
        self.methods = methods

    async def intercept_stream_stream(
        self, continuation: Callable[..., Any], client_call_details: aio.ClientCallDetails, request_iterator: Any
    ) -> Any:
        return self.methods.when_done(await continuation(client_call_details, request_iterator), client_call_details)


def client_interceptors() -> list[aio.ClientInterceptor]:
    """The interceptors to give a channel: grpc.aio files each under one kind of call only, so one per kind."""
    methods = _Methods()
    return [_UnaryUnary(methods), _UnaryStream(methods), _StreamStream(methods)]
