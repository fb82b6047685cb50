"""The real processes, with the throttle's buckets in the real Redis: an attacker gets 429 and Retry-After, the
same body for an unknown email, and the owner's own TV still signs in; weak passwords are 400."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis
from redis.exceptions import RedisError

from tests.e2e.conftest import RunningSuite
from tests.support import require_service
from tools.json_http import call
from tools.supervisor import Suite, SuiteConfig

REDIS_URL = "redis://127.0.0.1:6379/0"
PASSWORD = "correct horse battery"
EMAIL = "owner@example.com"


@pytest.fixture(scope="module")
def redis_prefix() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except (RedisError, OSError) as error:
        client.close()
        require_service(f"Redis at {REDIS_URL} is not reachable: {error}")
    prefix = f"test:{uuid.uuid4().hex}:"
    yield prefix
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(scope="module")
def suite(tmp_path_factory, redis_prefix) -> Iterator[RunningSuite]:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("suite")
    env = {"GRACE_SECONDS": "2", "AUTH_THROTTLE_REDIS_URL": REDIS_URL, "AUTH_THROTTLE_REDIS_PREFIX": redis_prefix}
    config = SuiteConfig.on_free_ports(root / "data", env)
    with Suite(config, log_dir=root / "logs") as running:
        yield RunningSuite(
            gateway_url=config.gateway_url,
            auth_address=config.auth_address,
            device_address=config.device_address,
            parental_address=config.parental_address,
            gateway_address=config.gateway_address,
            metrics_urls=config.metrics_urls(),
            suite=running,
        )


def sign_in(base: str, email: str, password: str, client_id: str):  # type: ignore[no-untyped-def]
    device = {"client_id": client_id, "name": client_id, "type": "tv"}
    return call(base, "POST", "/v1/sign-in", {"email": email, "password": password, "device": device})


def test_an_attacker_is_throttled_and_the_owners_tv_still_signs_in(suite, redis_prefix) -> None:  # type: ignore[no-untyped-def]
    base = suite.gateway_url
    assert call(base, "POST", "/v1/accounts", {"email": EMAIL, "password": PASSWORD}).status == 201
    assert sign_in(base, EMAIL, PASSWORD, "living-room-tv").status == 200
    throttled = {}
    for email in (EMAIL, "nobody@example.com"):
        assert [sign_in(base, email, "guess", "attacker").status for _ in range(5)] == [401] * 5
        throttled[email] = sign_in(base, email, PASSWORD, "attacker")  # even the right password
    assert throttled[EMAIL].status == throttled["nobody@example.com"].status == 429
    assert throttled[EMAIL].body == throttled["nobody@example.com"].body
    assert throttled[EMAIL].error_code == "sign_in_throttled"
    assert 1 <= int(throttled[EMAIL].headers["Retry-After"]) <= 300
    assert sign_in(base, EMAIL, PASSWORD, "living-room-tv").status == 200

    keys = [key.decode() for key in redis.Redis.from_url(REDIS_URL).scan_iter(match=redis_prefix + "*")]
    assert keys and not [key for key in keys if "owner" in key or "nobody" in key or "127.0.0.1" in key]


@pytest.mark.parametrize(
    ("password", "code"),
    [("password", "password_too_common"), ("12345678", "password_too_common"), (" " * 8, "password_too_short")],
)
def test_weak_passwords_are_refused_with_400(suite, password, code) -> None:  # type: ignore[no-untyped-def]
    reply = call(
        suite.gateway_url, "POST", "/v1/accounts", {"email": f"{uuid.uuid4().hex}@example.com", "password": password}
    )
    assert (reply.status, reply.error_code) == (400, code)
