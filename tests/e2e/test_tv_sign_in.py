"""A TV signs in with a code (RFC 8628) against the real suite, driven by an RFC 8628 client written from the RFC
(authlib has no device-flow client): every path of the device's polling (pending, slow_down, approved, denied,
expired, a reused device code, a wrong client), the approver's bad input (malformed, unknown, expired, used
codes), nothing about the account for an unauthenticated caller, the guess throttle, and the approved TV on the
device list, signed out by every path with 0 stale accepts at every gateway.

The suite runs with codes that live DEVICE_CODE_LIFETIME seconds and a 1 s polling interval, and the gateway
trusts 127.0.0.1 as a proxy, so that a test can say where the TV asks from (X-Forwarded-For: a Portuguese
address). In cluster mode HAProxy drops what the client says (deploy/haproxy/haproxy.cfg): the TV asks from
127.0.0.1 there, the local network, like its approver.
"""

from __future__ import annotations

import sqlite3
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from auth_service.domain.device_codes import CodeHashes
from tests.e2e.conftest import RunningSuite, _single, cluster_config, cluster_view, running_cluster
from tools.json_http import Reply, call
from tools.supervisor import Suite, SuiteConfig

CLUSTER_TOO = True  # also run against the cluster (tests/e2e/conftest.py)

DEVICE_CODE_LIFETIME = 20
USER_CODE_GUESSES = 5
SUITE_ENV = {
    "DEVICE_CODE_LIFETIME_SECONDS": str(DEVICE_CODE_LIFETIME),
    "DEVICE_CODE_INTERVAL_SECONDS": "1",
    "USER_CODE_THROTTLE_AFTER": str(USER_CODE_GUESSES),
    "USER_CODE_SOURCE_THROTTLE_AFTER": "1000",  # every test guesses from 127.0.0.1: the session's bucket is tested
    "GATEWAY_TRUSTED_PROXIES": "127.0.0.1/32",
    "GRACE_SECONDS": "2",
}
DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
PORTUGAL = "193.136.0.1"  # geoip2fast's bundled data places it in Portugal
PASSWORD = "correct horse battery"
TITLE = "t-puddle-jumpers"


@pytest.fixture(scope="module")
def suite(tmp_path_factory, suite_mode: str) -> Iterator[RunningSuite]:  # type: ignore[no-untyped-def]
    """The suite (or the cluster) with short-lived codes and 127.0.0.1 trusted as a proxy."""
    root = tmp_path_factory.mktemp(f"tv-{suite_mode}")
    if suite_mode == "cluster":
        config = cluster_config(root, extra_env=SUITE_ENV)
        with running_cluster(config, root / "logs") as cluster:
            yield cluster_view(config, cluster)
        return
    single = SuiteConfig.on_free_ports(root / "data", extra_env=SUITE_ENV)
    with Suite(single, log_dir=root / "logs") as running:
        yield _single(single, running)


# --- an RFC 8628 client ---------------------------------------------------------------------------------------


@dataclass
class DeviceFlow:
    """The device's side of RFC 8628, as the RFC writes it: a device authorization request (section 3.1), then
    access token requests (section 3.4) every `interval` seconds, 5 more after each slow_down (section 3.5),
    until a token response or an error other than authorization_pending and slow_down."""

    base: str
    client_id: str = "tv-app"
    device: dict[str, str] = field(
        default_factory=lambda: {
            "device_client_id": f"tv-{uuid.uuid4().hex[:12]}",
            "device_name": "Living room TV",
            "device_type": "tv",
        }
    )
    forwarded_for: str | None = None
    sleep: Callable[[float], None] = time.sleep
    grant: dict[str, Any] = field(default_factory=dict)
    interval: float = 5.0

    def post(self, path: str, fields: dict[str, str]) -> Reply:
        headers = dict(FORM)
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        return call(self.base, "POST", path, raw=urllib.parse.urlencode(fields).encode(), headers=headers)

    def authorize(self) -> Reply:
        reply = self.post("/oauth2/device_authorization", {"client_id": self.client_id, **self.device})
        if reply.status == 200:
            self.grant = reply.body
            self.interval = float(reply.body.get("interval", 5))  # section 3.2: 5 when absent
        return reply

    def token_request(self, client_id: str | None = None) -> Reply:
        """One access token request; a slow_down adds 5 seconds to the interval from then on."""
        reply = self.post(
            "/oauth2/token",
            {
                "grant_type": DEVICE_CODE_GRANT,
                "device_code": self.grant["device_code"],
                "client_id": client_id or self.client_id,
            },
        )
        if reply.status == 400 and reply.body.get("error") == "slow_down":
            self.interval += 5
        return reply

    def poll(self, deadline_seconds: float = 60.0) -> Reply:
        """Poll as section 3.5 says until the answer is final (or the deadline passed: the last answer)."""
        deadline = time.monotonic() + deadline_seconds
        while True:
            reply = self.token_request()
            error = reply.body.get("error") if reply.status == 400 else None
            if error not in ("authorization_pending", "slow_down") or time.monotonic() > deadline:
                return reply
            self.sleep(self.interval)


# --- the approver's side --------------------------------------------------------------------------------------


class Http:
    def __init__(self, base: str) -> None:
        self.base = base

    def __call__(self, method: str, path: str, body: Any = None, token: str | None = None, **options: Any) -> Reply:
        return call(self.base, method, path, body, token, **options)

    def account(self) -> tuple[str, dict[str, Any]]:
        email = f"tv-{uuid.uuid4().hex[:10]}@example.com"
        assert self("POST", "/v1/accounts", {"email": email, "password": PASSWORD}).status == 201
        return email, self.sign_in(email, f"phone-{uuid.uuid4().hex[:8]}")

    def sign_in(self, email: str, client_id: str) -> dict[str, Any]:
        device = {"client_id": client_id, "name": "Ann's phone", "type": "phone"}
        reply = self("POST", "/v1/sign-in", {"email": email, "password": PASSWORD, "device": device})
        assert reply.status == 200, reply.body
        return dict(reply.body)

    def authorization(self, code: str, token: str | None, action: str = "", body: Any = None) -> Reply:
        path = f"/v1/device-authorizations/{urllib.parse.quote(code)}" + (f"/{action}" if action else "")
        return self("POST" if action else "GET", path, body if action else None, token)


@pytest.fixture(scope="module")
def http(suite: RunningSuite) -> Http:
    return Http(suite.gateway_url)


def refused_everywhere(suite: RunningSuite, token: str) -> list[tuple[str, int]]:
    """Every gateway's answer to the token that is not 401: the stale accepts (and anything else)."""
    answers = [(url, call(url, "GET", "/v1/session", token=token).status) for url in suite.gateway_urls]
    return [(url, status) for url, status in answers if status != 401]


def approved_tv(suite: RunningSuite, http: Http, phone: dict[str, Any], **approval: Any) -> tuple[DeviceFlow, Reply]:
    tv = DeviceFlow(suite.gateway_url)
    assert tv.authorize().status == 200
    approved = http.authorization(tv.grant["user_code"], phone["access_token"], "approve", approval)
    assert approved.status == 200, approved.body
    tokens = tv.poll()
    assert tokens.status == 200, tokens.body
    return tv, tokens


# --- the tests ------------------------------------------------------------------------------------------------


def test_a_tv_polls_until_approved_then_gets_a_session_of_its_own_once(suite: RunningSuite, http: Http) -> None:
    email, phone = http.account()
    owner = http("POST", "/v1/profiles", {"name": "Ann", "kind": "owner"}, phone["access_token"])
    assert owner.status == 201, owner.body
    tv = DeviceFlow(suite.gateway_url, forwarded_for=PORTUGAL)

    grant = tv.authorize()
    pending, too_fast = tv.token_request(), tv.token_request()
    seen = http.authorization(grant.body["user_code"].lower().replace("-", " "), phone["access_token"])
    approved = http.authorization(
        grant.body["user_code"], phone["access_token"], "approve", {"profile_id": owner.body["profile_id"]}
    )
    waited = tv.interval  # 1 s, and 5 more for the slow_down
    tokens = tv.poll()
    reused = tv.token_request()

    assert grant.status == 200, grant.body
    code = grant.body["user_code"]
    origin = suite.gateway_url
    assert grant.body == {
        "device_code": grant.body["device_code"],
        "user_code": code,
        "verification_uri": f"{origin}/tv",
        "verification_uri_complete": f"{origin}/tv?code={code.replace('-', '')}",
        "expires_in": DEVICE_CODE_LIFETIME,
        "interval": 1,
    }
    assert len(code) == 9 and code[4] == "-" and set(code.replace("-", "")) <= set("BCDFGHJKLMNPQRSTVWXZ")
    assert (pending.status, pending.body["error"]) == (400, "authorization_pending")
    assert (too_fast.status, too_fast.body["error"], waited) == (400, "slow_down", 6)
    for answer in (pending, too_fast):  # nothing about the account before approval
        assert set(answer.body) == {"error", "error_description"}
        assert email not in str(answer.body) and phone["device_id"] not in str(answer.body)
    assert seen.status == 200, seen.body
    assert seen.body["user_code"] == code and seen.body["status"] == "pending"
    assert seen.body["device"] == {"name": "Living room TV", "type": "tv"}
    tv_place = "Portugal" if suite.mode == "single" else "local network"
    assert seen.body["location"]["description"] == tv_place
    assert seen.body["approver_location"]["description"] == "local network"
    assert seen.body["location_differs"] is (tv_place != "local network")
    assert seen.body["requested_at"] < seen.body["expires_at"]
    assert approved.body["status"] == "approved" and approved.body["device"] == {"name": "Living room TV", "type": "tv"}
    assert tokens.status == 200, tokens.body
    assert tokens.body["token_type"] == "Bearer" and tokens.body["device_id"] == approved.body["device_id"]
    assert (reused.status, reused.body["error"]) == (400, "invalid_grant")

    session = http("GET", "/v1/session", token=tokens.body["access_token"])
    assert session.status == 200 and session.body["device_id"] == approved.body["device_id"]
    listed = {d["device_id"]: d for d in http("GET", "/v1/devices", token=phone["access_token"]).body["devices"]}
    tv_row = listed[approved.body["device_id"]]
    assert (tv_row["type"], tv_row["name"], tv_row["status"]) == ("tv", "Living room TV", "active")
    assert tv_row["location"]["description"] == tv_place  # where it asked for the code from
    played = http("POST", "/v1/playback", {"title_id": TITLE}, tokens.body["access_token"])
    assert played.status == 200 and played.body["allowed"] is True, played.body
    listed = {d["device_id"]: d for d in http("GET", "/v1/devices", token=phone["access_token"]).body["devices"]}
    assert listed[approved.body["device_id"]]["last_profile_name"] == "Ann"
    refreshed = tv.post("/oauth2/token", {"grant_type": "refresh_token", "refresh_token": tokens.body["refresh_token"]})
    assert refreshed.status == 200, refreshed.body
    stranger = tv.post(
        "/oauth2/token",
        {"grant_type": "refresh_token", "refresh_token": refreshed.body["refresh_token"], "client_id": "other-app"},
    )
    assert (stranger.status, stranger.body["error"]) == (401, "invalid_client")
    as_itself = tv.post(  # public-client libraries send their client_id when refreshing
        "/oauth2/token",
        {"grant_type": "refresh_token", "refresh_token": refreshed.body["refresh_token"], "client_id": "tv-app"},
    )
    assert as_itself.status == 200, as_itself.body


def test_a_denied_tv_gets_access_denied(suite: RunningSuite, http: Http) -> None:
    _, phone = http.account()
    tv = DeviceFlow(suite.gateway_url)
    tv.authorize()

    denied = http.authorization(tv.grant["user_code"], phone["access_token"], "deny")
    answer = tv.poll()

    assert denied.status == 200 and denied.body == {"status": "denied"}
    assert (answer.status, answer.body["error"]) == (400, "access_denied")
    assert set(answer.body) == {"error", "error_description"}


def test_a_code_nobody_approves_expires(suite: RunningSuite, http: Http) -> None:
    _, phone = http.account()
    tv = DeviceFlow(suite.gateway_url)
    tv.authorize()

    answer = tv.poll(deadline_seconds=DEVICE_CODE_LIFETIME + 30)
    late = http.authorization(tv.grant["user_code"], phone["access_token"], "approve", {})

    assert (answer.status, answer.body["error"]) == (400, "expired_token")
    assert (late.status, late.error_code) == (410, "expired_user_code")


def test_a_wrong_client_is_invalid_client(suite: RunningSuite) -> None:
    tv = DeviceFlow(suite.gateway_url)
    tv.authorize()
    stranger = DeviceFlow(suite.gateway_url, client_id="some-other-app")

    asked = stranger.authorize()
    first_party = tv.token_request(client_id="remote-signout-app")
    unknown_grant = tv.post("/oauth2/token", {"grant_type": "password", "client_id": "tv-app"})

    assert (asked.status, asked.body["error"]) == (401, "invalid_client")
    assert (first_party.status, first_party.body["error"]) == (401, "invalid_client")
    assert (unknown_grant.status, unknown_grant.body["error"]) == (400, "unsupported_grant_type")


def test_bad_device_authorization_requests_are_invalid_request(suite: RunningSuite) -> None:
    no_name = DeviceFlow(suite.gateway_url, device={"device_client_id": "tv-x", "device_type": "tv"})
    toaster = DeviceFlow(
        suite.gateway_url, device={"device_client_id": "tv-x", "device_name": "Toaster", "device_type": "toaster"}
    )

    for reply in (no_name.authorize(), toaster.authorize()):
        assert (reply.status, reply.body["error"]) == (400, "invalid_request"), reply.body


def test_each_bad_code_gets_its_own_error_and_nothing_leaks_without_a_token(suite: RunningSuite, http: Http) -> None:
    _, phone = http.account()
    token = phone["access_token"]
    used = DeviceFlow(suite.gateway_url)
    used.authorize()
    assert http.authorization(used.grant["user_code"], token, "deny").status == 200
    live = DeviceFlow(suite.gateway_url)
    live.authorize()
    unknown = next(
        c
        for c in ("BCDF-GHJK", "CDFG-HJKL", "DFGH-JKLM")
        if c not in (used.grant["user_code"], live.grant["user_code"])
    )

    malformed = http.authorization("ABCD-1234", token)
    not_found = http.authorization(unknown, token)
    gone_used = http.authorization(used.grant["user_code"], token, "approve", {})
    anonymous = http.authorization(live.grant["user_code"], None)
    anonymous_approve = http.authorization(live.grant["user_code"], None, "approve", {})

    assert (malformed.status, malformed.error_code) == (400, "invalid_user_code")
    assert (not_found.status, not_found.error_code) == (404, "unknown_user_code")
    assert (gone_used.status, gone_used.error_code) == (409, "user_code_used")
    for answer in (anonymous, anonymous_approve):
        assert answer.status == 401
        assert "Living room TV" not in str(answer.body)
    assert http.authorization(live.grant["user_code"], token).status == 200  # still pending, not consumed


def test_a_kids_profile_cannot_look_a_code_up(suite: RunningSuite, http: Http) -> None:
    _, phone = http.account()
    token = phone["access_token"]
    assert http("POST", "/v1/profiles", {"name": "Ann", "kind": "owner"}, token).status == 201
    kid = http("POST", "/v1/profiles", {"name": "Robin", "kind": "kids"}, token)
    selected = http("POST", f"/v1/profiles/{kid.body['profile_id']}/select", {}, token)
    assert selected.status == 200, selected.body
    tv = DeviceFlow(suite.gateway_url)
    tv.authorize()

    answer = http.authorization(tv.grant["user_code"], selected.body["access_token"])

    assert (answer.status, answer.error_code) == (403, "kids_profile")


def test_wrong_guesses_are_throttled_per_session(suite: RunningSuite, http: Http) -> None:
    _, phone = http.account()
    tv = DeviceFlow(suite.gateway_url)
    tv.authorize()
    wrong = next(c for c in ("BCDF-GHJK", "CDFG-HJKL") if c != tv.grant["user_code"])

    answers = [http.authorization(wrong, phone["access_token"]) for _ in range(USER_CODE_GUESSES)]
    throttled = http.authorization(tv.grant["user_code"], phone["access_token"])

    assert [a.status for a in answers] == [404] * USER_CODE_GUESSES
    assert (throttled.status, throttled.error_code) == (429, "too_many_attempts")
    assert int(throttled.headers["Retry-After"]) >= 1
    _, other_phone = http.account()
    assert http.authorization(tv.grant["user_code"], other_phone["access_token"]).status == 200


def test_every_sign_out_path_ends_the_tv_session_at_every_gateway_and_a_removed_tv_cannot_come_back(
    suite: RunningSuite, http: Http
) -> None:
    _, phone = http.account()
    token = phone["access_token"]

    tv, tokens = approved_tv(suite, http, phone)
    signed_out = http("POST", f"/v1/devices/{tokens.body['device_id']}/sign-out", {}, token)
    stale_after_remote = refused_everywhere(suite, tokens.body["access_token"])

    tv, tokens = approved_tv(suite, http, phone)
    everyone = http("POST", "/v1/sign-out-all", {"include_current": False}, token)
    stale_after_all = refused_everywhere(suite, tokens.body["access_token"])

    tv, tokens = approved_tv(suite, http, phone)
    device_id = tokens.body["device_id"]
    removed = http("DELETE", f"/v1/devices/{device_id}", None, token)
    stale_after_removal = refused_everywhere(suite, tokens.body["access_token"])
    again = DeviceFlow(suite.gateway_url, device=tv.device)
    again.authorize()
    refused = http.authorization(again.grant["user_code"], token, "approve", {})
    told = again.poll()

    assert signed_out.status == 200, signed_out.body
    assert everyone.status == 200, everyone.body
    assert removed.status == 200 and removed.body["device"]["status"] == "removed", removed.body
    assert (stale_after_remote, stale_after_all, stale_after_removal) == ([], [], [])
    assert (refused.status, refused.error_code) == (403, "device_banned")
    assert (told.status, told.body["error"]) == (400, "access_denied")
    listed = {d["device_id"]: d for d in http("GET", "/v1/devices", token=token).body["devices"]}
    assert listed[device_id]["status"] == "removed"
    assert http("GET", "/v1/session", token=token).status == 200  # the phone itself stays signed in


@pytest.mark.single_only  # the cluster's replicas publish no metrics on fixed ports
def test_auth_service_counts_codes_by_outcome(suite: RunningSuite, http: Http) -> None:
    url = suite.metrics_urls["auth_service"]

    def counts() -> dict[str, float]:
        text = urllib.request.urlopen(url, timeout=5).read().decode()
        assert "remotesignout_device_authorization_approval_seconds_count" in text
        return {
            line.split('"')[1]: float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("remotesignout_device_authorizations_total{")
        }

    before = counts()
    _, phone = http.account()
    approved_tv(suite, http, phone)
    denied = DeviceFlow(suite.gateway_url)
    denied.authorize()
    assert http.authorization(denied.grant["user_code"], phone["access_token"], "deny").status == 200
    after = counts()

    assert set(after) == {"issued", "approved", "denied", "expired"}
    assert {outcome: after[outcome] - before[outcome] for outcome in after} == {
        "issued": 2,
        "approved": 1,
        "denied": 1,
        "expired": 0,
    }


@pytest.mark.single_only  # reads the SQLite files and logs of the single-process suite
def test_no_code_is_stored_or_logged_in_the_clear(suite: RunningSuite, http: Http) -> None:
    _, phone = http.account()
    tv, _ = approved_tv(suite, http, phone)
    device_code, user_code = tv.grant["device_code"], tv.grant["user_code"]

    data_dir = suite.suite.cwd / suite.suite.config.data_dir
    cells = []
    for database in sorted(data_dir.glob("*.db")):
        with sqlite3.connect(database) as db:
            tables = [name for (name,) in db.execute("select name from sqlite_master where type='table'")]
            cells += [str(cell) for table in tables for row in db.execute(f"select * from {table}") for cell in row]
    text = "\n".join(cells + [path.read_text(errors="replace") for path in suite.suite.log_dir.glob("*.log")])

    assert device_code not in text
    assert user_code not in text and user_code.replace("-", "") not in text
    key = (data_dir / "secrets" / "refresh_token_key").read_bytes().strip()
    assert CodeHashes.derived_from(key).device_code(device_code) in text  # the dump really holds the row
