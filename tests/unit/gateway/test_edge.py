"""The edge's pieces on their own: the text check, Authorization's form, who is https and from where, the sliding
windows of the client-secret throttle, and their settings."""

from __future__ import annotations

import ipaddress
import ssl
from unittest import mock

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from multidict import CIMultiDict

from common.errors import Unauthenticated
from gateway.api import check_text
from gateway.auth import MAX_AUTHORIZATION, authenticate_client, bearer_token, claimed_client_id
from gateway.client_throttle import KNOWN_SECONDS, ClientAuthThrottle, SlidingWindow
from gateway.config import Settings, parse_networks
from gateway.edge import client_address, headers_hook, is_https, public_origin
from gateway.errors import MalformedBody, OAuthError

PROXIES = parse_networks("10.0.0.0/8, ::1")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def request(headers=None, remote="192.0.2.1", secure=False):  # type: ignore[no-untyped-def]
    context = ssl.create_default_context() if secure else None
    transport = mock.Mock()
    transport.get_extra_info.side_effect = lambda name, default=None: {
        "peername": (remote, 1234),
        "sslcontext": context,
    }.get(name, default)
    return make_mocked_request("GET", "/v1/devices", headers=headers or {}, transport=transport, sslcontext=context)


@pytest.mark.parametrize(
    ("data", "label"),
    [
        ("a\x00", "body"),
        ({"email": "a\ud800"}, "email"),
        ({"device": {"client_id": "ok", "name": "TV\x1b[2J"}}, "device.name"),
        ({"windows": [{"weekday": "monday"}, {"weekday": "tue\x85"}]}, "windows[1].weekday"),
        ({"a": "ok", "b\x00": "ok"}, "<name>"),
        ({"outer": {"\udc80": 1}}, "outer.<name>"),
    ],
)
def test_check_text_names_the_first_string_that_is_not_text(data, label):
    with pytest.raises(MalformedBody) as raised:
        check_text(data)
    assert raised.value.reason == "invalid_text"
    assert f"'{label}'" in raised.value.message


@pytest.mark.parametrize(
    "data",
    ["Zoë's \u200dTV 📺", {"name": "Ωmega\tfree"[:5]}, {"list": ["a", 1, None, True, {"k": "v"}]}, "\u00a0\u2028"],
)
def test_check_text_lets_every_printable_and_format_character_through(data):
    check_text(data)


def test_check_text_copes_with_depth_beyond_the_recursion_limit():
    deep: object = "x\x00"
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(MalformedBody):
        check_text(deep)


@pytest.mark.parametrize(
    "authorization",
    ["Bearer caf\u00e9", "Bearer \udcff\udcfe", "Bearer a\x85", "Bearer " + "a" * MAX_AUTHORIZATION],
)
def test_a_bearer_header_that_is_not_short_printable_ascii_is_refused_by_name(authorization):
    with pytest.raises(Unauthenticated) as raised:
        bearer_token(authorization)
    assert raised.value.reason == "invalid_authorization_header"


def test_a_well_formed_bearer_header_still_reads():
    assert bearer_token("Bearer abc.def.ghi") == "abc.def.ghi"
    assert bearer_token("Bearer " + "a" * (MAX_AUTHORIZATION - 7)) == "a" * (MAX_AUTHORIZATION - 7)


def test_a_basic_header_that_is_not_ascii_is_invalid_client_and_claims_no_client():
    with pytest.raises(OAuthError) as raised:
        authenticate_client((("rs", "s"),), "Basic \udcff", {})
    assert (raised.value.reason, raised.value.status) == ("invalid_client", 401)
    assert claimed_client_id("Basic \udcff", {"client_id": "rs"}) == "rs"
    assert claimed_client_id("Basic cnM6cw==", {}) == "rs"


def test_https_is_tls_to_this_server_or_a_trusted_proxys_word():
    assert is_https(request(secure=True), ())
    assert not is_https(request({"X-Forwarded-Proto": "https"}), ())
    assert not is_https(request({"X-Forwarded-Proto": "https"}, remote="192.0.2.1"), PROXIES)
    assert is_https(request({"X-Forwarded-Proto": "https"}, remote="10.1.2.3"), PROXIES)
    assert is_https(request({"X-Forwarded-Proto": "http, https"}, remote="::1"), PROXIES)
    assert not is_https(request({"X-Forwarded-Proto": "https, http"}, remote="10.1.2.3"), PROXIES)


def test_the_client_address_is_the_peer_unless_a_trusted_proxy_forwards_it():
    spoofed = {"X-Forwarded-For": "198.51.100.9"}
    assert client_address(request(spoofed, remote="192.0.2.1"), PROXIES) == "192.0.2.1"
    assert client_address(request(spoofed, remote="10.0.0.1"), PROXIES) == "198.51.100.9"
    chain = {"X-Forwarded-For": "1.1.1.1, 198.51.100.9, 10.0.0.2"}  # the client may prepend anything
    assert client_address(request(chain, remote="10.0.0.1"), PROXIES) == "198.51.100.9"
    assert client_address(request({"X-Forwarded-For": "junk"}, remote="10.0.0.1"), PROXIES) == "10.0.0.1"
    assert client_address(request({}, remote="10.0.0.1"), PROXIES) == "10.0.0.1"


def test_a_proxy_that_adds_its_own_header_line_is_still_the_last_hop():
    """HAProxy's `option forwardfor` adds a second X-Forwarded-For line after the client's forged one."""
    lines = CIMultiDict([("X-Forwarded-For", "198.51.100.66"), ("X-Forwarded-For", "203.0.113.9")])
    assert client_address(request(lines, remote="10.0.0.1"), PROXIES) == "203.0.113.9"
    proto = CIMultiDict([("X-Forwarded-Proto", "https"), ("X-Forwarded-Proto", "http")])
    assert not is_https(request(proto, remote="10.1.2.3"), PROXIES)


async def test_hsts_goes_only_on_answers_to_tls():
    hook = headers_hook(())
    for secure in (True, False):
        response = web.Response()
        await hook(request(secure=secure), response)
        assert ("Strict-Transport-Security" in response.headers) is secure
        assert response.headers["Cache-Control"] == "no-store"  # a /v1/ path


def test_the_public_origin_is_the_setting_or_the_requests_host():
    assert public_origin(request({"Host": "TV.example.com:8443"}), Settings()) == "http://tv.example.com:8443"
    assert public_origin(request({"Host": "[::1]:8080"}, secure=True), Settings()) == "https://[::1]:8080"
    assert public_origin(request({"Host": "a b"}), Settings()) is None
    assert public_origin(request({"Host": "x"}), Settings(public_url="https://tv.example.com/")) == (
        "https://tv.example.com"
    )


def test_a_sliding_window_refuses_the_limit_plus_first_event_until_the_oldest_leaves():
    clock = Clock()
    window = SlidingWindow(limit=3, window=60, clock=clock)
    for _ in range(3):
        assert window.wait_seconds("k") == 0
        window.add("k")
        clock.now += 10
    assert window.wait_seconds("k") == pytest.approx(30)
    assert window.wait_seconds("other") == 0
    clock.now += 30
    assert window.wait_seconds("k") == 0


def test_a_sliding_window_keeps_at_most_max_keys():
    window = SlidingWindow(limit=1, window=60, clock=Clock(), max_keys=2)
    for key in ("a", "b", "c"):
        window.add(key)
    assert [window.wait_seconds(key) > 0 for key in ("a", "b", "c")] == [False, True, True]


def test_the_client_window_spares_an_address_the_client_authenticated_from_for_a_day():
    clock = Clock()
    throttle = ClientAuthThrottle(
        Settings(oauth_clients=(("rs", "s"),), client_auth_failures_per_client=2, client_auth_failures_per_address=5),
        clock,
    )
    throttle.succeeded("rs", "192.0.2.10")
    throttle.failed("rs", "198.51.100.1")
    throttle.failed("rs", "198.51.100.2")
    with pytest.raises(OAuthError) as raised:
        throttle.check("rs", "198.51.100.3")
    assert (raised.value.status, raised.value.reason, raised.value.headers["Retry-After"]) == (429, "slow_down", "60")
    throttle.check("rs", "192.0.2.10")
    throttle.check("unknown-client", "198.51.100.3")  # no window for a client id nobody configured
    clock.now += KNOWN_SECONDS - 1  # the failures left the window long ago; fill it again
    throttle.failed("rs", "198.51.100.1")
    throttle.failed("rs", "198.51.100.2")
    throttle.check("rs", "192.0.2.10")
    clock.now += 2
    with pytest.raises(OAuthError):
        throttle.check("rs", "192.0.2.10")


def test_the_edge_settings_read_their_variables_and_refuse_bad_values(monkeypatch):
    monkeypatch.setenv("GATEWAY_DEMO_MODE", "1")
    monkeypatch.setenv("GATEWAY_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7")
    monkeypatch.setenv("GATEWAY_PUBLIC_URL", "https://tv.example.com/")
    monkeypatch.setenv("GATEWAY_CLIENT_AUTH_WINDOW_SECONDS", "30")
    monkeypatch.setenv("GATEWAY_CLIENT_AUTH_FAILURES_PER_ADDRESS", "5")
    monkeypatch.setenv("GATEWAY_CLIENT_AUTH_FAILURES_PER_CLIENT", "50")
    settings = Settings.from_env()
    assert settings.trusted_proxies == (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("192.0.2.7/32"))
    assert settings.public_url == "https://tv.example.com"
    assert (
        settings.client_auth_window_seconds,
        settings.client_auth_failures_per_address,
        settings.client_auth_failures_per_client,
    ) == (30.0, 5, 50)
    for variable, value in (
        ("GATEWAY_TRUSTED_PROXIES", "10.0.0.0/8, nonsense"),
        ("GATEWAY_PUBLIC_URL", "javascript:alert(1)"),
        ("GATEWAY_CLIENT_AUTH_FAILURES_PER_ADDRESS", "0"),
    ):
        with monkeypatch.context() as patch:
            patch.setenv(variable, value)
            with pytest.raises(SystemExit, match=variable):
                Settings.from_env()


def test_by_default_no_proxy_is_trusted_and_the_limits_are_as_documented():
    settings = Settings()
    assert settings.trusted_proxies == () and settings.public_url == ""
    assert (
        settings.client_auth_window_seconds,
        settings.client_auth_failures_per_address,
        settings.client_auth_failures_per_client,
    ) == (60.0, 20, 60)


def test_the_address_window_counts_an_ipv6_host_by_its_64_not_address_by_address():
    throttle = ClientAuthThrottle(
        Settings(oauth_clients=(("rs", "s"),), client_auth_failures_per_client=100, client_auth_failures_per_address=3),
        Clock(),
    )
    for n in range(3):
        throttle.failed("rs", f"2001:db8:1:2::{n + 1}")
    with pytest.raises(OAuthError) as raised:
        throttle.check("rs", "2001:db8:1:2::ffff")  # another address of the same /64
    assert raised.value.reason == "slow_down"
    throttle.check("rs", "2001:db8:1:3::1")  # another /64
    throttle.check("rs", "192.0.2.1")
