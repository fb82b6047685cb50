"""Behind a trusted proxy (GATEWAY_TRUSTED_PROXIES): HSTS when it says the client spoke TLS, the client's own address
for the throttle, and a client's per-id window that never locks the client itself out."""

from __future__ import annotations

import base64

import pytest

CLIENT = ("resource-server", "resource-server-secret")


@pytest.fixture
def gateway_settings() -> dict[str, object]:
    return {
        "trusted_proxies": "127.0.0.0/8",
        "client_auth_failures_per_address": 3,
        "client_auth_failures_per_client": 10,
        "public_url": "https://tv.example.com",
    }


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


async def introspect(stack, secret: str, address: str):  # type: ignore[no-untyped-def]
    return await stack.client.post(
        "/oauth2/introspect",
        data={"token": "x"},
        headers={"Authorization": basic(CLIENT[0], secret), "X-Forwarded-For": f"203.0.113.77, {address}"},
    )


async def test_hsts_when_a_trusted_proxy_says_the_client_spoke_tls(stack):
    secure = await stack.client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    plain = await stack.client.get("/healthz", headers={"X-Forwarded-Proto": "http"})
    assert "Strict-Transport-Security" not in plain.headers


async def test_the_metadata_issuer_is_the_configured_public_url(stack):
    response = await stack.client.get("/.well-known/oauth-authorization-server", headers={"Host": "elsewhere"})
    body = await response.json()
    assert body["issuer"] == "https://tv.example.com"
    assert body["introspection_endpoint"] == "https://tv.example.com/oauth2/introspect"


async def test_the_throttle_counts_the_forwarded_address_not_the_proxys(stack):
    for _ in range(3):
        assert (await introspect(stack, "wrong", "198.51.100.1")).status == 401
    assert (await introspect(stack, "wrong", "198.51.100.1")).status == 429
    assert (await introspect(stack, CLIENT[1], "198.51.100.1")).status == 429
    assert (await introspect(stack, CLIENT[1], "198.51.100.2")).status == 200


async def test_guessing_from_many_addresses_fills_the_clients_window_but_never_locks_the_client_out(stack):
    assert (await introspect(stack, CLIENT[1], "192.0.2.10")).status == 200  # the resource server's own address
    for n in range(10):
        assert (await introspect(stack, f"guess-{n}", f"198.51.100.{n}")).status == 401
    assert (await introspect(stack, "guess-x", "198.51.100.200")).status == 429
    assert (await introspect(stack, CLIENT[1], "198.51.100.201")).status == 429  # a new address: throttled
    assert (await introspect(stack, CLIENT[1], "192.0.2.10")).status == 200  # where it authenticated before: not


async def test_sign_in_records_the_forwarded_client_address_not_the_proxys(stack):
    """Behind HAProxy every peer address is HAProxy's: the device list would say "local network" for every device."""
    await stack.client.post("/v1/accounts", json={"email": "ada@example.com", "password": "correct horse"})
    response = await stack.client.post(
        "/v1/sign-in",
        json={
            "email": "ada@example.com",
            "password": "correct horse",
            "device": {"client_id": "tv-1", "name": "TV", "type": "tv"},
        },
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert response.status == 200
    assert stack.world.sign_in_requests[-1].ip_address == "203.0.113.9"
