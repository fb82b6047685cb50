"""What every gRPC channel of the suite does to each call on its way out (common.tls adds these).

- Every call is counted by its final status and timed (common.client_metrics; the same interceptors on
  every channel of the process, so each method's series are made once).
- The request id bound in the calling context (common.request_id) goes along as `x-request-id`
  metadata, so the called service's log lines name the same request; a call made outside any request
  (a background poll) carries none.
- With tracing on, the trace context goes along too (common.tracing's client interceptors).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from grpc import aio

from common import client_metrics, request_id, tracing

METRICS = client_metrics.client_interceptors()


def _with_request_id(details: aio.ClientCallDetails) -> aio.ClientCallDetails:
    current = request_id.current()
    if not current:
        return details
    metadata = aio.Metadata(*tuple(details.metadata)) if details.metadata else aio.Metadata()
    metadata.add(request_id.METADATA_KEY, current)
    return aio.ClientCallDetails(details.method, details.timeout, metadata, details.credentials, details.wait_for_ready)


class RequestIdUnaryUnary(aio.UnaryUnaryClientInterceptor):
    async def intercept_unary_unary(
        self,
        continuation: Callable[[aio.ClientCallDetails, Any], Any],
        client_call_details: aio.ClientCallDetails,
        request: Any,
    ) -> Any:
        return await continuation(_with_request_id(client_call_details), request)


class RequestIdUnaryStream(aio.UnaryStreamClientInterceptor):
    async def intercept_unary_stream(
        self,
        continuation: Callable[[aio.ClientCallDetails, Any], Any],
        client_call_details: aio.ClientCallDetails,
        request: Any,
    ) -> Any:
        return await continuation(_with_request_id(client_call_details), request)


def client_interceptors() -> list[aio.ClientInterceptor]:
    """The interceptors of a channel made now: the metrics', the request id's, then tracing's (while it is on)."""
    return [*METRICS, RequestIdUnaryUnary(), RequestIdUnaryStream(), *tracing.client_interceptors()]
