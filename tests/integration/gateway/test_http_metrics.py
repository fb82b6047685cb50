"""The gateway's HTTP series: by route template, method and status class; never a path, a query or an id."""

from __future__ import annotations

from prometheus_client import REGISTRY

from tests.integration.gateway.conftest import bearer


def requests(route: str, method: str, status_class: str) -> float:
    labels = {"route": route, "method": method, "status_class": status_class}
    return REGISTRY.get_sample_value("remotesignout_http_requests_total", labels) or 0.0


def timed(route: str, method: str) -> float:
    labels = {"route": route, "method": method}
    return REGISTRY.get_sample_value("remotesignout_http_request_duration_seconds_count", labels) or 0.0


def exposition() -> str:
    return "\n".join(str(sample.labels) for family in REGISTRY.collect() for sample in family.samples)


async def test_requests_count_under_their_route_template_and_status_class(stack):
    route = "/v1/devices/{device_id}/sign-out"
    ok, refused = requests(route, "POST", "2xx"), requests(route, "POST", "4xx")
    duration = timed(route, "POST")
    phone = await stack.sign_in(client_id="phone-1")
    tv = await stack.sign_in(client_id="tv-1")
    assert (await stack.client.post(f"/v1/devices/{tv['device_id']}/sign-out", headers=bearer(phone))).status == 200
    assert (await stack.client.post("/v1/devices/not-a-device/sign-out?x=1", headers=bearer(phone))).status == 404
    assert requests(route, "POST", "2xx") == ok + 1
    assert requests(route, "POST", "4xx") == refused + 1
    assert timed(route, "POST") == duration + 2
    text = exposition()
    assert tv["device_id"] not in text and "not-a-device" not in text and "x=1" not in text


async def test_unknown_paths_are_one_series_and_odd_methods_are_other(stack):
    before, other = requests("unmatched", "GET", "4xx"), requests("unmatched", "other", "4xx")
    for path in ("/nowhere", "/nowhere/else?token=abc", "/v1/nothing-here"):
        assert (await stack.client.get(path)).status == 404
    assert (await stack.client.request("PROPFIND", "/coffee")).status in (404, 405)
    assert requests("unmatched", "GET", "4xx") == before + 3
    assert requests("unmatched", "other", "4xx") == other + 1
    assert "nowhere" not in exposition() and "PROPFIND" not in exposition()


async def test_server_errors_count_as_5xx(stack):
    before = requests("/v1/devices", "GET", "5xx")
    phone = await stack.sign_in(client_id="phone-1")
    await stack.servers["device"].stop(None)
    response = await stack.client.get("/v1/devices", headers=bearer(phone))
    assert response.status >= 500
    assert requests("/v1/devices", "GET", "5xx") == before + 1


async def test_metrics_scrapes_are_counted_too(stack):
    before = requests("/metrics", "GET", "2xx")
    assert (await stack.client.get("/metrics")).status == 200
    assert requests("/metrics", "GET", "2xx") == before + 1
