"""Device removal, downloads, playback decisions, isolation between accounts and OAuth introspection,
over the gateway's HTTP contract against the four real processes."""

from __future__ import annotations

import base64
import urllib.parse

import pytest

from tools.json_http import Reply, call

CLUSTER_TOO = True  # also run against the cluster (tests/e2e/conftest.py)

PASSWORD = "correct horse battery"
OAUTH_CLIENT = ("resource-server", "resource-server-secret")  # the gateway's demo default


class Client:
    def __init__(self, base: str) -> None:
        self.base = base

    def __call__(
        self,
        method: str,
        path: str,
        body=None,
        token=None,  # type: ignore[no-untyped-def]
        **kwargs,
    ) -> Reply:
        return call(self.base, method, path, body, token, **kwargs)

    def account(self, email: str) -> None:
        reply = self("POST", "/v1/accounts", {"email": email, "password": PASSWORD})
        assert reply.status == 201, reply.body

    def try_sign_in(self, email: str, client_id: str) -> Reply:
        device = {"client_id": client_id, "name": client_id, "type": "tv"}
        return self("POST", "/v1/sign-in", {"email": email, "password": PASSWORD, "device": device})

    def sign_in(self, email: str, client_id: str) -> dict:
        reply = self.try_sign_in(email, client_id)
        assert reply.status == 200, reply.body
        return reply.body

    def form(self, path: str, fields: dict[str, str]) -> Reply:
        basic = base64.b64encode(":".join(OAUTH_CLIENT).encode()).decode()
        return self(
            "POST",
            path,
            raw=urllib.parse.urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Basic {basic}"},
        )


@pytest.fixture(scope="module")
def http(suite) -> Client:  # type: ignore[no-untyped-def]
    return Client(suite.gateway_url)


def test_a_removed_device_is_signed_out_and_banned_until_it_is_allowed(http: Client) -> None:
    http.account("rita@example.com")
    phone = http.sign_in("rita@example.com", "rita-phone")
    tv = http.sign_in("rita@example.com", "rita-tv")

    removed = http("DELETE", f"/v1/devices/{tv['device_id']}", token=phone["access_token"])
    assert removed.status == 200, removed.body
    assert (removed.body["revocation"]["scope"], removed.body["revocation"]["reason"]) == ("device", "device_removed")
    assert removed.body["device"]["status"] == "removed"
    assert http("GET", "/v1/session", token=tv["access_token"]).status == 401

    banned = http.try_sign_in("rita@example.com", "rita-tv")
    assert (banned.status, banned.error_code) == (403, "device_banned")

    allowed = http("POST", f"/v1/devices/{tv['device_id']}/allow", token=phone["access_token"])
    assert allowed.status == 200, allowed.body
    assert allowed.body["device"]["status"] != "removed"
    again = http.sign_in("rita@example.com", "rita-tv")
    assert http("GET", "/v1/session", token=again["access_token"]).status == 200


def test_a_download_is_cancelled_once_its_device_is_signed_out(http: Client) -> None:
    http.account("dan@example.com")
    a = http.sign_in("dan@example.com", "dan-a")
    b = http.sign_in("dan@example.com", "dan-b")
    dan = http("POST", "/v1/profiles", {"name": "Dan", "kind": "owner"}, token=a["access_token"])
    assert dan.status == 201, dan.body
    download = http(
        "POST",
        "/v1/downloads",
        {"profile_id": dan.body["profile_id"], "title_id": "t-cold-harbour"},
        token=b["access_token"],
    )
    assert download.status == 201, download.body
    download_id = download.body["download"]["download_id"]
    before = http("GET", f"/v1/downloads/{download_id}/license", token=b["access_token"])
    assert before.status == 200 and before.body["valid"] is True

    signed_out = http("POST", f"/v1/devices/{b['device_id']}/sign-out", token=a["access_token"])
    assert signed_out.status == 200, signed_out.body
    after = http("GET", f"/v1/downloads/{download_id}/license", token=a["access_token"])
    assert after.status == 200, after.body
    assert after.body["valid"] is False and after.body["reason"] == "device_signed_out"


def test_playback_is_decided_by_the_profiles_maturity_level(http: Client) -> None:
    http.account("pat@example.com")
    tv = http.sign_in("pat@example.com", "pat-tv")
    token = tv["access_token"]
    assert http("POST", "/v1/profiles", {"name": "Pat", "kind": "owner"}, token=token).status == 201
    sixteen = http("POST", "/v1/profiles", {"name": "Sam", "kind": "standard", "maturity_level": "16+"}, token=token)
    thirteen = http("POST", "/v1/profiles", {"name": "Tia", "kind": "standard", "maturity_level": "13+"}, token=token)
    assert sixteen.status == thirteen.status == 201

    denied = http(
        "POST", "/v1/playback", {"profile_id": sixteen.body["profile_id"], "title_id": "t-kill-switch"}, token=token
    )
    assert denied.status == 200, denied.body
    assert (denied.body["allowed"], denied.body["reason"]) == (False, "maturity")

    allowed = http(
        "POST",
        "/v1/playback",
        {"profile_id": thirteen.body["profile_id"], "title_id": "t-hallway-legends"},
        token=token,
    )
    assert allowed.status == 200, allowed.body
    assert allowed.body["allowed"] is True and allowed.body["title"]["name"] == "Hallway Legends"
    device = http("GET", f"/v1/devices/{tv['device_id']}", token=token).body
    assert (device["last_profile_name"], device["last_title"]) == ("Tia", "Hallway Legends")


def test_another_accounts_device_is_404_on_every_device_route_and_nothing_changes(http: Client) -> None:
    http.account("owen@example.com")
    http.account("mallory@example.com")
    owen = http.sign_in("owen@example.com", "owen-tv")
    mallory = http.sign_in("mallory@example.com", "mallory-tv")
    target, token = owen["device_id"], mallory["access_token"]
    for method, path in (
        ("GET", f"/v1/devices/{target}"),
        ("POST", f"/v1/devices/{target}/sign-out"),
        ("DELETE", f"/v1/devices/{target}"),
        ("POST", f"/v1/devices/{target}/allow"),
        ("GET", f"/v1/devices/{target}/activity"),
    ):
        reply = http(method, path, token=token)
        unknown = http(method, path.replace(target, "no-such-device"), token=token)
        assert reply.status == 404, (method, path, reply.body)
        assert reply.error_code == unknown.error_code == "not_found"
        assert reply.body["error"]["message"].replace(target, "no-such-device") == unknown.body["error"]["message"]
    assert http("GET", "/v1/session", token=owen["access_token"]).status == 200
    device = http("GET", f"/v1/devices/{target}", token=owen["access_token"]).body
    assert device["status"] == "active"
    assert http.try_sign_in("owen@example.com", "owen-tv").status == 200


def test_oauth_introspection_of_a_revoked_token_is_exactly_inactive(http: Client) -> None:
    http.account("ian@example.com")
    tv = http.sign_in("ian@example.com", "ian-tv")
    active = http.form("/oauth2/introspect", {"token": tv["access_token"]})
    assert active.status == 200, active.body
    assert active.body["active"] is True and active.body["sid"] == tv["session_id"]
    assert active.headers.get("Cache-Control") == "no-store"

    revoked = http.form("/oauth2/revoke", {"token": tv["refresh_token"], "token_type_hint": "refresh_token"})
    assert revoked.status == 200
    inactive = http.form("/oauth2/introspect", {"token": tv["access_token"]})
    assert (inactive.status, inactive.body) == (200, {"active": False})
    assert http("GET", "/v1/session", token=tv["access_token"]).status == 401
