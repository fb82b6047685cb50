"""The first real flow, over the gateway's HTTP contract, against the four real processes."""

from __future__ import annotations

import urllib.request

import pytest

from tools.json_http import Reply, call

CLUSTER_TOO = True  # also run against the cluster (tests/e2e/conftest.py)

PASSWORD = "correct horse battery"


class Client:
    def __init__(self, base: str) -> None:
        self.base = base

    def __call__(self, method: str, path: str, body=None, token=None, **kwargs) -> Reply:  # type: ignore[no-untyped-def]
        return call(self.base, method, path, body, token, **kwargs)

    def account(self, email: str) -> None:
        reply = self("POST", "/v1/accounts", {"email": email, "password": PASSWORD})
        assert reply.status == 201, reply.body

    def sign_in(self, email: str, client_id: str, kind: str = "tv", name: str | None = None) -> dict:
        device = {"client_id": client_id, "name": name or client_id, "type": kind}
        reply = self("POST", "/v1/sign-in", {"email": email, "password": PASSWORD, "device": device})
        assert reply.status == 200, reply.body
        return reply.body


@pytest.fixture(scope="module")
def http(suite) -> Client:  # type: ignore[no-untyped-def]
    return Client(suite.gateway_url)


def devices_by_id(http: Client, token: str) -> dict[str, dict]:
    reply = http("GET", "/v1/devices", token=token)
    assert reply.status == 200, reply.body
    return {device["device_id"]: device for device in reply.body["devices"]}


def test_remote_sign_out_flow_end_to_end(http: Client) -> None:
    http.account("ann@example.com")
    tv = http.sign_in("ann@example.com", "ann-tv", "tv", "Living room TV")
    phone = http.sign_in("ann@example.com", "ann-phone", "phone")
    laptop = http.sign_in("ann@example.com", "ann-laptop", "browser")

    session = http("GET", "/v1/session", token=tv["access_token"])
    assert session.status == 200 and session.body["session_id"] == tv["session_id"]

    devices = devices_by_id(http, tv["access_token"])
    assert set(devices) == {tv["device_id"], phone["device_id"], laptop["device_id"]}
    assert devices[tv["device_id"]]["current"] and not devices[phone["device_id"]]["current"]
    assert devices[tv["device_id"]]["type"] == "tv" and devices[tv["device_id"]]["name"] == "Living room TV"
    assert all(d["status"] == "active" for d in devices.values())

    # One device, remotely: the phone's token is refused on the very next request.
    reply = http("POST", f"/v1/devices/{phone['device_id']}/sign-out", token=tv["access_token"])
    assert reply.status == 200, reply.body
    # Both services checked the revocation against auth_service's feed and applied it.
    assert reply.body["propagation"] == {"device_service": "applied", "parental_service": "applied"}
    assert http("GET", "/v1/session", token=phone["access_token"]).status == 401
    assert http("GET", "/v1/session", token=laptop["access_token"]).status == 200
    assert devices_by_id(http, tv["access_token"])[phone["device_id"]]["status"] == "signed_out"

    # All other devices: the caller survives.
    reply = http("POST", "/v1/sign-out-all", {"include_current": False}, token=tv["access_token"])
    assert reply.status == 200, reply.body
    assert reply.body["propagation"] == {"device_service": "applied", "parental_service": "applied"}
    assert http("GET", "/v1/session", token=laptop["access_token"]).status == 401
    assert http("GET", "/v1/session", token=tv["access_token"]).status == 200
    statuses = {d: v["status"] for d, v in devices_by_id(http, tv["access_token"]).items()}
    assert statuses == {tv["device_id"]: "active", phone["device_id"]: "signed_out", laptop["device_id"]: "signed_out"}

    # All devices, the caller included.
    again = http.sign_in("ann@example.com", "ann-laptop", "browser")
    reply = http("POST", "/v1/sign-out-all", {"include_current": True}, token=tv["access_token"])
    assert reply.status == 200, reply.body
    for token in (tv["access_token"], again["access_token"]):
        assert http("GET", "/v1/session", token=token).status == 401

    # This device only.
    fresh = http.sign_in("ann@example.com", "ann-tv", "tv")
    other = http.sign_in("ann@example.com", "ann-phone", "phone")
    assert http("POST", "/v1/sign-out", token=fresh["access_token"]).status == 200
    assert http("GET", "/v1/session", token=fresh["access_token"]).status == 401
    assert http("GET", "/v1/session", token=other["access_token"]).status == 200


def test_another_account_gets_404_for_devices_it_does_not_own_and_changes_nothing(http: Client) -> None:
    http.account("owner@example.com")
    http.account("intruder@example.com")
    owner = http.sign_in("owner@example.com", "owner-tv")
    intruder = http.sign_in("intruder@example.com", "intruder-phone", "phone")
    before = devices_by_id(http, owner["access_token"])

    listed = devices_by_id(http, intruder["access_token"])
    assert owner["device_id"] not in listed

    unknown_id = "00000000-0000-0000-0000-000000000000"
    unknown = http("POST", f"/v1/devices/{unknown_id}/sign-out", token=intruder["access_token"])
    foreign = http("POST", f"/v1/devices/{owner['device_id']}/sign-out", token=intruder["access_token"])
    assert unknown.status == foreign.status == 404
    # The same answer, word for word, but for the id the caller sent.
    assert str(unknown.body).replace(unknown_id, "ID") == str(foreign.body).replace(owner["device_id"], "ID")
    assert http("GET", f"/v1/devices/{owner['device_id']}", token=intruder["access_token"]).status == 404

    assert http("GET", "/v1/session", token=owner["access_token"]).status == 200
    assert devices_by_id(http, owner["access_token"]) == before


@pytest.mark.parametrize(
    "path,body,status,code",
    [
        ("/v1/accounts", {"email": "x@example.com"}, 422, None),
        ("/v1/accounts", {"email": "x" * 300 + "@example.com", "password": PASSWORD}, 422, None),
        (
            "/v1/sign-in",
            {
                "email": "ann@example.com",
                "password": PASSWORD,
                "device": {"client_id": "c", "name": "n", "type": "fridge"},
            },
            422,
            "invalid_device_type",
        ),
        (
            "/v1/sign-in",
            {
                "email": "ann@example.com",
                "password": PASSWORD,
                "device": {"client_id": "c" * 500, "name": "n", "type": "tv"},
            },
            422,
            None,
        ),
        (
            "/v1/sign-in",
            {
                "email": "ann@example.com",
                "password": "wrong password",
                "device": {"client_id": "c", "name": "n", "type": "tv"},
            },
            401,
            None,
        ),
    ],
)
def test_bad_input_gets_a_clear_error_never_a_500(http: Client, path, body, status, code) -> None:  # type: ignore[no-untyped-def]
    reply = http("POST", path, body)
    assert reply.status == status, reply.body
    assert reply.body["error"]["message"]
    if code:
        assert reply.error_code == code


def test_malformed_json_and_bad_tokens_are_refused_cleanly(http: Client) -> None:
    assert http("POST", "/v1/accounts", raw=b"{not json").status == 400
    assert http("GET", "/v1/devices").status == 401
    garbage = http("GET", "/v1/devices", token="garbage")
    assert garbage.status == 401 and garbage.body["error"]["message"]
    assert http("GET", "/v1/no-such-route").status == 404


def test_sign_out_duration_and_revocation_commit_are_on_the_metrics_of_the_gateway_and_auth_service(
    http: Client, suite
) -> None:  # type: ignore[no-untyped-def]
    http.account("metrics@example.com")
    token = http.sign_in("metrics@example.com", "metrics-tv")["access_token"]
    assert http("POST", "/v1/sign-out-all", {"include_current": True}, token=token).status == 200

    # Every replica's own /metrics (in cluster mode HAProxy sent the sign-out to one of two gateways, which
    # called one of two auth_service replicas).
    def scraped(process: str) -> str:
        urls = [url for name, url in suite.metrics_urls.items() if name.startswith(process)]
        return "".join(urllib.request.urlopen(url, timeout=5).read().decode() for url in urls)

    gateway, auth = scraped("gateway"), scraped("auth_service")
    assert 'remotesignout_sign_out_duration_seconds_count{scope="all"}' in gateway
    assert 'remotesignout_revocation_commit_seconds_count{scope="all"}' in auth
    assert "remotesignout_revocation_commit_seconds" not in gateway
    assert "remotesignout_sign_out_duration_seconds" not in auth
    assert "remotesignout_grpc_server_handled_total" in auth
    assert "metrics@example.com" not in gateway + auth and token not in gateway + auth
