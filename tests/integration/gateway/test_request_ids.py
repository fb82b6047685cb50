"""The request id at the edge (gateway.request_log): honoured when safe, made otherwise, answered in X-Request-ID,
passed to every service the request calls; and the access line (GATEWAY_ACCESS_LOG=1) per request."""

from __future__ import annotations

import pytest

from tests.integration.gateway.conftest import bearer
from tests.log_capture import captured_lines


@pytest.fixture
def gateway_settings() -> dict[str, object]:
    return {"access_log": True}


async def test_a_safe_id_is_honoured_answered_and_reaches_every_service_the_request_calls(stack) -> None:  # type: ignore[no-untyped-def]
    phone = await stack.sign_in(client_id="phone-1")
    tv = await stack.sign_in(client_id="tv-1")
    with captured_lines() as lines:
        response = await stack.client.post(
            f"/v1/devices/{tv['device_id']}/sign-out", headers={**bearer(phone), "X-Request-ID": "support-case-42"}
        )
    assert response.status == 200 and response.headers["X-Request-ID"] == "support-case-42"
    served = {(entry["rpc"].split("/")[-1], entry["caller"]) for entry in lines.of("common.rpc_log")}
    assert {("GetDevice", "gateway"), ("RevokeSessions", "gateway"), ("ApplyRevocation", "gateway")} <= served
    assert {entry["request_id"] for entry in lines.entries() if entry["request_id"]} == {"support-case-42"}
    [access] = lines.of("gateway.request_log")
    assert access["level"] == "info" and access["request_id"] == "support-case-42"
    assert (access["method"], access["route"], access["status"]) == ("POST", "/v1/devices/{device_id}/sign-out", 200)
    assert tv["device_id"] not in str(access)  # the route template, never the path


@pytest.mark.parametrize("sent", ["x" * 65, "a b", "<script>alert(1)</script>", "id\u00e9", ""])
async def test_an_unsafe_id_is_never_reflected_a_new_one_is_answered(stack, sent: str) -> None:  # type: ignore[no-untyped-def]
    headers = {"X-Request-ID": sent} if sent else {}
    response = await stack.client.get("/v1/session", headers=headers)
    made = response.headers["X-Request-ID"]
    assert response.status == 401 and made != sent and len(made) == 32 and int(made, 16) >= 0


async def test_every_answer_names_its_request_even_an_unknown_path_and_the_access_line_says_so(stack) -> None:  # type: ignore[no-untyped-def]
    with captured_lines() as lines:
        missing = await stack.client.get("/no/such/path?access_token=secret-in-a-query")
        health = await stack.client.get("/healthz")
    assert missing.status == 404 and len(missing.headers["X-Request-ID"]) == 32
    assert health.headers["X-Request-ID"] != missing.headers["X-Request-ID"]
    unmatched, probe = lines.of("gateway.request_log")
    assert (unmatched["route"], unmatched["status"], unmatched["level"]) == ("unmatched", 404, "info")
    assert unmatched["request_id"] == missing.headers["X-Request-ID"]
    assert (probe["route"], probe["level"]) == ("/healthz", "debug")  # probes every few seconds: DEBUG
    assert "secret-in-a-query" not in lines.written.getvalue()
