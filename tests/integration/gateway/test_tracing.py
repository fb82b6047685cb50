"""Traces in one process (common.tracing with an in-memory exporter): the gateway's HTTP span for POST
/v1/sign-out-all is the root of one trace holding its calls to RevokeSessions and both ApplyRevocation
fan-out calls, and each service's server span is the child of the call that reached it (W3C trace
context in the gRPC metadata, over mutual TLS). tests/e2e/test_traces.py does the same across the real
processes, with auth_service's acknowledgement span."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from common import tracing
from tests.integration.gateway.conftest import bearer

REVOKE = "/remotesignout.auth.v1.AuthService/RevokeSessions"
DEVICE_APPLY = "/remotesignout.device.v1.DeviceService/ApplyRevocation"
PARENTAL_APPLY = "/remotesignout.parental.v1.ParentalService/ApplyRevocation"


@pytest.fixture
def exported() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.install(provider)
    try:
        yield exporter
    finally:
        tracing.uninstall()


@pytest.fixture
def gateway_settings(exported: InMemorySpanExporter) -> dict[str, object]:
    """Tracing is on before the stack makes its servers, channels and app."""
    return {}


async def test_a_sign_out_all_is_one_trace_from_the_http_request_to_every_service(stack, exported) -> None:  # type: ignore[no-untyped-def]
    tokens = await stack.sign_in(client_id="tv-1")
    exported.clear()
    response = await stack.client.post("/v1/sign-out-all", json={"include_current": True}, headers=bearer(tokens))
    assert response.status == 200
    spans: list[ReadableSpan] = list(exported.get_finished_spans())

    [root] = [span for span in spans if span.name == "POST /v1/sign-out-all"]
    assert root.kind is SpanKind.SERVER and root.parent is None
    assert {span.context.trace_id for span in spans} == {root.context.trace_id}  # one trace, nothing else

    def one(name: str, kind: SpanKind) -> ReadableSpan:
        [found] = [span for span in spans if span.name == name and span.kind is kind]
        return found

    for method in (REVOKE, DEVICE_APPLY, PARENTAL_APPLY):
        client, server = one(method, SpanKind.CLIENT), one(method, SpanKind.SERVER)
        assert client.parent is not None and client.parent.span_id == root.context.span_id
        assert server.parent is not None and server.parent.span_id == client.context.span_id
        assert server.parent.is_remote  # it came over the wire, in the call's metadata


async def test_health_checks_and_the_revocation_stream_make_no_spans(stack, exported) -> None:  # type: ignore[no-untyped-def]
    await stack.client.get("/healthz")
    names = {span.name for span in exported.get_finished_spans()}
    assert "GET /healthz" in names  # the request itself is traced
    assert not [name for name in names if name.startswith(tracing.UNTRACED)]


@pytest.mark.parametrize(
    "path", ["/v1/device-authorizations/BCDFGHJK", "/tv?code=BCDFGHJK", "/tv-screen/qr.svg?code=BCDFGHJK", "/BCDFGHJK"]
)
async def test_no_path_or_query_reaches_a_span_only_its_route_template(stack, exported, path) -> None:  # type: ignore[no-untyped-def]
    """A TV's user code is a secret for ten minutes: in a span's URL it would reach whoever reads the traces."""
    tokens = await stack.sign_in(client_id="tv-1")
    exported.clear()
    await stack.client.get(path, headers=bearer(tokens))
    spans = list(exported.get_finished_spans())
    [server] = [span for span in spans if span.kind is SpanKind.SERVER and "http.target" in (span.attributes or {})]
    assert server.attributes is not None and server.attributes.get("http.target") in {
        "/v1/device-authorizations/{user_code}",
        "/tv",
        "/tv-screen/qr.svg",
        "unmatched",
    }
    for span in spans:
        assert "BCDFGHJK" not in str(dict(span.attributes or {})) + span.name
