"""Traces across the real processes: with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a small OTLP collector
in this test, one POST /v1/sign-out-all is ONE trace, from the gateway's HTTP span to auth_service's
RevokeSessions (and its wait for the validators' acknowledgement inside it) and both fan-out calls, each
service's server span the child of the gateway's client span."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent import futures
from dataclasses import dataclass

import grpc
import pytest
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.proto.trace.v1 import trace_pb2

from tests.support import log_lines
from tools.json_http import call
from tools.supervisor import Suite, SuiteConfig

PASSWORD = "correct horse battery"
WAIT_SECONDS = 15.0


@dataclass(frozen=True)
class Span:
    service: str
    name: str
    kind: int
    trace_id: str
    span_id: str
    parent_id: str
    attributes: dict[str, object]


class Collector(trace_service_pb2_grpc.TraceServiceServicer):
    """An OTLP/gRPC trace receiver that keeps every span it is sent."""

    def __init__(self) -> None:
        self.spans: list[Span] = []
        self.lock = threading.Lock()

    def Export(self, request, context):  # type: ignore[no-untyped-def]  # the generated name
        with self.lock:
            for resource_spans in request.resource_spans:
                service = next(
                    attribute.value.string_value
                    for attribute in resource_spans.resource.attributes
                    if attribute.key == "service.name"
                )
                for scope in resource_spans.scope_spans:
                    for span in scope.spans:
                        self.spans.append(
                            Span(
                                service,
                                span.name,
                                span.kind,
                                span.trace_id.hex(),
                                span.span_id.hex(),
                                span.parent_span_id.hex(),
                                {a.key: getattr(a.value, a.value.WhichOneof("value")) for a in span.attributes},
                            )
                        )
        return trace_service_pb2.ExportTraceServiceResponse()

    def trace(self, trace_id: str) -> list[Span]:
        with self.lock:
            return [span for span in self.spans if span.trace_id == trace_id]


@pytest.fixture(scope="module")
def collector() -> Iterator[tuple[Collector, int]]:
    receiver = Collector()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(receiver, server)  # type: ignore[no-untyped-call]
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield receiver, port
    server.stop(None)


@pytest.fixture(scope="module")
def suite(tmp_path_factory, collector) -> Iterator[Suite]:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("traces")
    env = {
        "GRACE_SECONDS": "2",
        "GATEWAY_ACCESS_LOG": "1",
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{collector[1]}",
        "OTEL_BSP_SCHEDULE_DELAY": "100",  # milliseconds: spans reach the collector at once
    }
    with Suite(SuiteConfig.on_free_ports(root / "data", env), log_dir=root / "logs") as running:
        yield running


def spans_of(receiver: Collector, trace_id: str, expected: set[tuple[str, str]]) -> list[Span]:
    """The trace's spans once every (service, name) of `expected` has arrived (batches come every 100 ms)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        spans = receiver.trace(trace_id)
        if expected <= {(span.service, span.name) for span in spans} or time.monotonic() > deadline:
            return spans
        time.sleep(0.1)


def test_one_sign_out_all_is_one_trace_through_every_service(suite: Suite, collector) -> None:  # type: ignore[no-untyped-def]
    receiver = collector[0]
    base = suite.gateway_url
    assert call(base, "POST", "/v1/accounts", {"email": "trace@example.com", "password": PASSWORD}).status == 201
    device = {"client_id": "trace-tv", "name": "TV", "type": "tv"}
    signed = call(base, "POST", "/v1/sign-in", {"email": "trace@example.com", "password": PASSWORD, "device": device})
    reply = call(
        base,
        "POST",
        "/v1/sign-out-all",
        {"include_current": True},
        token=signed.body["access_token"],
        headers={"X-Request-ID": "trace-test-sign-out-all"},
    )
    assert reply.status == 200, reply.body
    assert reply.body["propagation"] == {"device_service": "applied", "parental_service": "applied"}

    # The gateway's access line for it names its trace: that is how a log line leads to its trace.
    [access] = [
        entry
        for entry in log_lines(suite.log_path("gateway").read_text())
        if entry["request_id"] == "trace-test-sign-out-all"
    ]
    trace_id = str(access["trace_id"])
    revoke = "remotesignout.auth.v1.AuthService/RevokeSessions"
    device_apply = "remotesignout.device.v1.DeviceService/ApplyRevocation"
    parental_apply = "remotesignout.parental.v1.ParentalService/ApplyRevocation"
    expected = {
        ("gateway", "POST /v1/sign-out-all"),
        ("gateway", f"/{revoke}"),
        ("auth_service", f"/{revoke}"),
        ("auth_service", "revocation.acknowledgement"),
        ("gateway", f"/{device_apply}"),
        ("device_service", f"/{device_apply}"),
        ("gateway", f"/{parental_apply}"),
        ("parental_service", f"/{parental_apply}"),
    }
    spans = spans_of(receiver, trace_id, expected)
    assert expected <= {(span.service, span.name) for span in spans}

    by_id = {span.span_id: span for span in spans}
    [root] = [span for span in spans if span.name == "POST /v1/sign-out-all"]
    assert root.parent_id == "" and root.kind == trace_pb2.Span.SPAN_KIND_SERVER

    def the(service: str, name: str) -> Span:
        [found] = [span for span in spans if (span.service, span.name) == (service, name)]
        return found

    for method, service in (
        (revoke, "auth_service"),
        (device_apply, "device_service"),
        (parental_apply, "parental_service"),
    ):
        client, server = the("gateway", f"/{method}"), the(service, f"/{method}")
        assert by_id[client.parent_id] is root  # the gateway's call, inside its HTTP span
        assert server.parent_id == client.span_id  # the service's span, the child of that call: one trace
    acknowledgement = the("auth_service", "revocation.acknowledgement")
    assert acknowledgement.parent_id == the("auth_service", f"/{revoke}").span_id
    assert acknowledgement.attributes["validators_acknowledged"] == 1  # the gateway, a validator, acknowledged
