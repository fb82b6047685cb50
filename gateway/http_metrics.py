"""The gateway's HTTP series: requests by route template, method and status class, and their duration.

`record` is called by gateway.request_log's middleware, the outermost but tracing's, once a request is answered:
it sees the status the client gets, after gateway.api's error middleware turned errors into JSON (one
middleware times each request for the metrics and the access line alike). Labels are bounded whatever clients send:

- route: the aiohttp route template (`/v1/devices/{device_id}`, `/static` for every static file), never the
  path itself, so no path parameter and no query string reaches a label; a path no route matches is
  "unmatched";
- method: GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS, anything else "other";
- status_class: 2xx, 3xx, 4xx or 5xx; a request whose handler raised something other than an HTTP
  exception (never expected: gateway.api turns errors into responses) counts as 5xx, and one the client
  abandoned (the handler was cancelled) is not counted.

`/metrics` itself is counted like any route (Prometheus's scrapes show under route="/metrics"). The event
stream's duration (`/v1/events`) is how long the stream stayed open, not a response time: dashboards
read response times without it.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from prometheus_client import Counter, Histogram

from common.metrics import LATENCY_BUCKETS, OTHER

UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

HTTP_REQUESTS = Counter(
    "remotesignout_http_requests",
    "Gateway: HTTP requests answered, by route template (unmatched: no route), method and status class.",
    ["route", "method", "status_class"],
)
HTTP_DURATION = Histogram(
    "remotesignout_http_request_duration_seconds",
    "Gateway: time from a request's arrival until its handler returned its response (an event stream: until it "
    "closed), by route template and method.",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)


_COUNTED: dict[tuple[str, str, str], Any] = {}
_TIMED: dict[tuple[str, str], Any] = {}
"""Each series' child, made once: labels() takes a lock per call, and this runs on every request. Bounded
like the labels (routes x methods x classes)."""


def record(route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request and observe its duration (`method` as the client sent it)."""
    key = (route, method if method in METHODS else OTHER, status_class(status))
    counted = _COUNTED.get(key)
    if counted is None:
        counted = _COUNTED[key] = HTTP_REQUESTS.labels(*key)
    timed = _TIMED.get(key[:2])
    if timed is None:
        timed = _TIMED[key[:2]] = HTTP_DURATION.labels(*key[:2])
    counted.inc()
    timed.observe(seconds)


def route_of(request: web.Request) -> str:
    """The template of the route that matched `request`, or "unmatched"."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else UNMATCHED


def status_class(status: int) -> str:
    return f"{min(max(status // 100, 2), 5)}xx"
