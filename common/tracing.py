"""OpenTelemetry traces, in one place: on only when OTEL_EXPORTER_OTLP_ENDPOINT is set.

`configure(process)` (common.runner, before anything opens a channel or a server) reads the
environment. Without OTEL_EXPORTER_OTLP_ENDPOINT it installs nothing: no tracer provider, no
interceptor, no middleware; `span()` is a no-op and the suite runs as if this module did not exist.
With it, a TracerProvider whose resource's `service.name` is OTEL_SERVICE_NAME or else the process
name (auth_service, device_service, parental_service, gateway), exporting in batches over OTLP/gRPC
(opentelemetry-exporter-otlp-proto-grpc: the standard OTEL_EXPORTER_OTLP_* and OTEL_BSP_* variables
apply; an `http://` endpoint is plaintext), and W3C trace context (`traceparent`, the default
propagator) in every call's gRPC metadata.

What makes the spans, attached explicitly where the suite makes its channels, servers and app (no
global monkey patching):

- `client_interceptors()`: opentelemetry-instrumentation-grpc's grpc.aio client interceptors, which
  common.tls adds to every channel (mutual TLS or not: they only see the call);
- `server_interceptors()`: its grpc.aio server interceptor, first on every server (common.grpc_server),
  so a service's span is the child of its caller's;
- `aiohttp_middleware()`: opentelemetry-instrumentation-aiohttp-server's middleware, first on the
  gateway's app: one SERVER span per request named after its route template ("POST /v1/sign-out-all");
- `span(name)`: a span of the suite's own around a step worth seeing (auth_service's wait for the
  validators' acknowledgements, "revocation.acknowledgement").

A request's path and query never reach a span: the middleware records them (`http.target`, `http.url`,
`url.*`), and a path or query may hold a secret for a while (a TV's user code in
`/v1/device-authorizations/{user_code}` and `/tv?code=`), so `RouteOnly`, on every provider `install`
sees, replaces them by the route template before any exporter sees the span, as the logs and metrics do.

Health, reflection and the streams that stay open for a process's lifetime (SyncRevocations,
WatchSession, WatchPlaybackStops) are not traced (`UNTRACED`): a span as long as a connection says
nothing. The calls timers make every second (`IN_A_TRACE_ONLY`: the feed and the signing keys) are traced
only inside a trace a request started. While tracing is on, every log line written inside a span carries its
trace_id and span_id (common.logs), which is how a log line leads to its trace.

Tests install a provider of their own (an in-memory exporter) with `install(provider)` and take it
away with `uninstall()`; the global provider is set only by `configure`.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from common import logs

ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT"
UNTRACED = (
    "/grpc.health.v1.Health/",
    "/grpc.reflection.",
    "/remotesignout.auth.v1.AuthService/SyncRevocations",
    "/remotesignout.auth.v1.AuthService/WatchSession",
    "/remotesignout.parental.v1.ParentalService/WatchPlaybackStops",
)

_provider: list[trace.TracerProvider] = []
"""The provider spans go to, when tracing is on: empty means off."""


def enabled() -> bool:
    return bool(_provider)


def configure(process: str) -> bool:
    """Tracing as the environment says: on (and True) only when OTEL_EXPORTER_OTLP_ENDPOINT is set."""
    if not os.environ.get(ENDPOINT, "").strip():
        return False
    # Imported only when used: the exporter brings its own protobuf messages and grpc channel.
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

    service = os.environ.get("OTEL_SERVICE_NAME", "").strip() or process
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    install(provider)
    return True


URL_ATTRIBUTES = ("http.target", "http.url", "url.full", "url.path", "url.query")
"""The attributes in which the aiohttp middleware writes a request's actual path, query or URL."""


class RouteOnly(SpanProcessor):
    """Replaces a request's path, query and URL in a starting span by its route template (`http.route`;
    "unmatched" for a path no route has; an empty query), so no secret in a path or query is exported."""

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        attributes = span.attributes or {}
        if not any(key in attributes for key in URL_ATTRIBUTES):
            return
        route = str(attributes.get("http.route") or "unmatched")
        for key in URL_ATTRIBUTES:
            if key in attributes:
                span.set_attribute(key, "" if key == "url.query" else route)


def install(provider: trace.TracerProvider) -> None:
    """Send this process's spans to `provider` from now on (channels, servers and apps made from now on);
    an SDK provider gets `RouteOnly` first."""
    if isinstance(provider, TracerProvider):
        provider.add_span_processor(RouteOnly())
    _provider[:] = [provider]
    logs.add_span_ids(_current_span_ids)


def uninstall() -> None:
    _provider.clear()
    logs.remove_span_ids()


def _current_span_ids() -> tuple[str, str] | None:
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return trace.format_trace_id(context.trace_id), trace.format_span_id(context.span_id)


def _method(details: Any) -> str:
    method = details.method
    return method.decode() if isinstance(method, bytes) else str(method)


IN_A_TRACE_ONLY = frozenset(
    {
        "/remotesignout.auth.v1.AuthService/ListRevocations",
        "/remotesignout.auth.v1.AuthService/ListSigningKeys",
    }
)
"""Polled by timers every second in every process: traced only inside a trace already started (a call a
request makes, such as a delivery check during a sign-out), never as a trace of their own."""


def traced(details: Any) -> bool:
    """Whether the call `details` (client or server call details) gets a span."""
    method = _method(details)
    if method.startswith(UNTRACED):
        return False
    return method not in IN_A_TRACE_ONLY or _in_a_trace(details)


def _in_a_trace(details: Any) -> bool:
    """A server's call: its caller sent a trace context; a client's: it is made inside a span."""
    metadata = getattr(details, "invocation_metadata", None)
    if metadata is not None:
        return any(item[0] == "traceparent" for item in metadata)
    return trace.get_current_span().get_span_context().is_valid


def client_interceptors() -> list[Any]:
    """The grpc.aio client interceptors that trace a channel's calls; none while tracing is off."""
    if not _provider:
        return []
    from opentelemetry.instrumentation.grpc import aio_client_interceptors

    interceptors: list[Any] = aio_client_interceptors(  # type: ignore[no-untyped-call]
        tracer_provider=_provider[0], filter_=traced
    )
    return interceptors


def server_interceptors() -> list[Any]:
    """The grpc.aio server interceptor that traces a server's calls; none while tracing is off."""
    if not _provider:
        return []
    from opentelemetry.instrumentation.grpc import aio_server_interceptor

    return [aio_server_interceptor(tracer_provider=_provider[0], filter_=traced)]  # type: ignore[no-untyped-call]


def aiohttp_middleware() -> Callable[..., Any] | None:
    """The aiohttp middleware that traces each request; None while tracing is off.

    opentelemetry-instrumentation-aiohttp-server keeps the settings its middleware reads (excluded
    URLs, its metric instruments) in module globals that only its instrumentor sets, and that
    instrumentor also replaces aiohttp's Application class: instrumenting and at once uninstrumenting
    sets the former and undoes the latter, and the middleware is then added to the one app explicitly.
    """
    if not _provider:
        return None
    from opentelemetry.instrumentation import aiohttp_server

    instrumentor = aiohttp_server.AioHttpServerInstrumentor()
    with warnings.catch_warnings():  # aiohttp frowns on the Application subclass it makes, and undoes at once
        warnings.simplefilter("ignore", DeprecationWarning)
        instrumentor.instrument(tracer_provider=_provider[0])
    instrumentor.uninstrument()
    middleware: Callable[..., Any] = aiohttp_server.create_aiohttp_middleware(tracer_provider=_provider[0])
    return middleware


@contextlib.contextmanager
def span(name: str, **attributes: str | int | float | bool) -> Iterator[None]:
    """A span named `name` around the block, the child of the current one; nothing while tracing is off."""
    if not _provider:
        yield
        return
    with _provider[0].get_tracer("remotesignout").start_as_current_span(name, attributes=attributes):
        yield


def annotate(**attributes: str | int | float | bool) -> None:
    """Set attributes on the current span (nothing while tracing is off)."""
    if _provider:
        trace.get_current_span().set_attributes(attributes)
