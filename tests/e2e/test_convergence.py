"""A sign-out made while device_service is down shows up once it is back: nothing lost, nothing twice."""

from __future__ import annotations

import time

from tools.json_http import call

PASSWORD = "correct horse battery"


def credentials(client_id: str, kind: str) -> dict:
    device = {"client_id": client_id, "name": client_id, "type": kind}
    return {"email": "converge@example.com", "password": PASSWORD, "device": device}


def sign_in(base: str, client_id: str, kind: str) -> dict:
    reply = call(base, "POST", "/v1/sign-in", credentials(client_id, kind))
    assert reply.status == 200, reply.body
    return reply.body


def status_of(base: str, token: str, device_id: str) -> str:
    """The device's status, or "unavailable" while the gateway cannot reach device_service yet."""
    reply = call(base, "GET", "/v1/devices", token=token)
    if reply.status == 503:
        return "unavailable"
    assert reply.status == 200, reply.body
    return next(d["status"] for d in reply.body["devices"] if d["device_id"] == device_id)


def test_device_list_converges_after_device_service_was_down(suite) -> None:  # type: ignore[no-untyped-def]
    base = suite.gateway_url
    assert call(base, "POST", "/v1/accounts", {"email": "converge@example.com", "password": PASSWORD}).status == 201
    tv, phone = sign_in(base, "converge-tv", "tv"), sign_in(base, "converge-phone", "phone")

    assert suite.suite.stop_child("device_service") == 0
    reply = call(base, "POST", f"/v1/devices/{phone['device_id']}/sign-out", token=tv["access_token"])
    # The gateway checks ownership with device_service first, so a remote sign-out of one device waits
    # for it; sign-out-all-others needs only auth_service, and device_service catches up from the feed.
    assert reply.status == 503
    reply = call(base, "POST", "/v1/sign-out-all", {"include_current": False}, token=tv["access_token"])
    assert reply.status == 200, reply.body
    assert reply.body["propagation"]["device_service"] == "pending"
    assert call(base, "GET", "/v1/session", token=phone["access_token"]).status == 401

    restarted = time.perf_counter()
    suite.suite.start_child("device_service")
    ready = time.perf_counter() - restarted
    while status_of(base, tv["access_token"], phone["device_id"]) != "signed_out":
        assert time.perf_counter() - restarted < 15, "the device list never converged"
        time.sleep(0.02)
    converged = time.perf_counter() - restarted
    print(
        f"\nconvergence: device list correct {converged * 1000:.0f} ms after device_service was restarted "
        f"({ready * 1000:.0f} ms of which it took to start and answer health checks)"
    )
    assert status_of(base, tv["access_token"], tv["device_id"]) == "active"

    # Applied once: the phone signs in again, device_service restarts, the old revocation stays applied.
    # (auth_service's own channel to the restarted device_service reconnects within its backoff, 2 s at most.)
    deadline = time.monotonic() + 10
    while (attempt := call(base, "POST", "/v1/sign-in", credentials("converge-phone", "phone"))).status == 503:
        assert time.monotonic() < deadline, attempt.body
        time.sleep(0.1)
    assert attempt.status == 200, attempt.body
    again = attempt.body
    suite.suite.stop_child("device_service")
    suite.suite.start_child("device_service")
    time.sleep(1.5)  # more than one feed poll: a replay would have had its chance
    while status_of(base, again["access_token"], phone["device_id"]) == "unavailable":
        time.sleep(0.05)
    assert status_of(base, again["access_token"], phone["device_id"]) == "active"
