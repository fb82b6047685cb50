"""Tracing (common.tracing): nothing at all without OTEL_EXPORTER_OTLP_ENDPOINT; with it, a provider exporting
over OTLP named after the process; and the span around auth_service's wait for acknowledgements."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from auth_service.service_layer.acknowledgements import Acknowledgements
from common import tracing
from common.revocation import Reason, Revocation, Scope
from common.validator import MemoryLeaseRegistry

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PROBE = """
import json
from opentelemetry import trace
from common import logs, tracing
on = tracing.configure("device_service")
provider = trace.get_tracer_provider()
print(json.dumps({
    "on": on,
    "enabled": tracing.enabled(),
    "provider": type(provider).__name__,
    "service": dict(getattr(provider, "resource", None).attributes).get("service.name") if on else None,
    "exporters": [
        type(p.span_exporter).__name__
        for p in provider._active_span_processor._span_processors
        if hasattr(p, 'span_exporter')
    ] if on else [],
    "client_interceptors": len(tracing.client_interceptors()),
    "server_interceptors": len(tracing.server_interceptors()),
    "middleware": tracing.aiohttp_middleware() is not None,
    "span_ids_in_logs": bool(logs._span_ids),
}))
"""


def probe(**env: str) -> dict[str, object]:
    """What `configure` installs in a fresh process with `env` on top of ours, minus any OTEL_ variable."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("OTEL_")}
    python_path = os.pathsep.join([REPO, os.path.join(REPO, "protos", "python")])
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**clean, "PYTHONPATH": python_path, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_without_an_otlp_endpoint_nothing_is_installed() -> None:
    assert probe() == {
        "on": False,
        "enabled": False,
        "provider": "ProxyTracerProvider",  # the API's placeholder: no SDK provider, no exporter, no processor
        "service": None,
        "exporters": [],
        "client_interceptors": 0,
        "server_interceptors": 0,
        "middleware": False,
        "span_ids_in_logs": False,
    }


def test_with_an_otlp_endpoint_spans_are_exported_over_otlp_named_after_the_process() -> None:
    found = probe(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:4317")
    assert found["on"] is found["enabled"] is True
    assert (found["provider"], found["service"], found["exporters"]) == (
        "TracerProvider",
        "device_service",
        ["OTLPSpanExporter"],
    )
    assert found["client_interceptors"] == 4 and found["server_interceptors"] == 1 and found["middleware"] is True
    assert found["span_ids_in_logs"] is True
    named = probe(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:4317", OTEL_SERVICE_NAME="device-eu-1")
    assert named["service"] == "device-eu-1"


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


async def test_the_wait_for_acknowledgements_is_a_span_inside_the_revoking_call(exported: InMemorySpanExporter) -> None:
    registry = MemoryLeaseRegistry(ttl_seconds=2.0)
    registry.renew("gateway-1", 7)  # already applied what is revoked next
    acknowledgements = Acknowledgements(registry, 2.0)
    revocation = Revocation(7, "a1", Scope.ALL, Reason.SIGN_OUT_ALL, "", "", 5)
    with tracing.span("RevokeSessions"):
        receipt = await acknowledgements.wait(revocation)
    assert receipt.validators_acknowledged == 1
    waited, call = exported.get_finished_spans()
    assert waited.name == "revocation.acknowledgement" and call.name == "RevokeSessions"
    assert waited.parent is not None and waited.parent.span_id == call.context.span_id
    assert dict(waited.attributes or {}) == {"sequence": 7, "validators_acknowledged": 1, "validators_expired": 0}


class _Details:
    def __init__(self, method: str, invocation_metadata: tuple[tuple[str, str], ...] | None = None) -> None:
        self.method = method
        if invocation_metadata is not None:
            self.invocation_metadata = invocation_metadata


def test_timer_polls_are_traced_only_inside_a_trace_a_request_started() -> None:
    """ListRevocations and ListSigningKeys run every second in every process: a root trace each would bury
    the requests' traces; inside a request's trace (a delivery check during a sign-out) they belong to it."""
    from opentelemetry.sdk.trace import TracerProvider

    poll = "/remotesignout.auth.v1.AuthService/ListRevocations"
    assert tracing.traced(_Details("/remotesignout.auth.v1.AuthService/RevokeSessions"))
    assert not tracing.traced(_Details(poll))  # a client's call outside any span
    assert not tracing.traced(_Details(poll, (("x-request-id", "r"),)))  # a server's call without a trace context
    assert tracing.traced(_Details(poll, (("traceparent", "00-" + "1" * 32 + "-" + "2" * 16 + "-01"),)))
    with TracerProvider().get_tracer("test").start_as_current_span("request"):
        assert tracing.traced(_Details(poll))
    assert not tracing.traced(_Details("/grpc.health.v1.Health/Check"))
