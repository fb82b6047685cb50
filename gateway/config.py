"""The gateway's settings: environment variables, read the common.config way.

GATEWAY_OAUTH_CLIENTS ("id:secret,id2:secret2") lists the resource servers that may
call /oauth2/revoke and /oauth2/introspect; GATEWAY_OAUTH_CLIENTS_FILE names a file
holding that list instead (a compose secret). Without either the gateway refuses to
start, unless GATEWAY_DEMO_MODE=1 (`make run`, the tests), which lets the one demo
client in. Settings built directly (tests) have the demo client by default.
"""

from __future__ import annotations

import ipaddress
import os
import pathlib
import re
from typing import Annotated, Any, Self

from pydantic import field_validator
from pydantic_settings import NoDecode

from common.config import ProcessSettings, env
from common.settings import env_bool

DEMO_OAUTH_CLIENTS = (("resource-server", "resource-server-secret"),)

OAuthClients = tuple[tuple[str, str], ...]
TrustedProxies = tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]


class Settings(ProcessSettings):
    gateway_address: str = env("GATEWAY_ADDRESS", "127.0.0.1:8080")
    auth_address: str = env("AUTH_ADDRESS", "127.0.0.1:50051")
    device_address: str = env("DEVICE_ADDRESS", "127.0.0.1:50052")
    parental_address: str = env("PARENTAL_ADDRESS", "127.0.0.1:50053")
    rpc_timeout_seconds: float = env("RPC_TIMEOUT_SECONDS", 2.0)
    keepalive_seconds: float = env("SSE_KEEPALIVE_SECONDS", 15.0)
    sse_max_streams_per_session: int = env("SSE_MAX_STREAMS_PER_SESSION", 3, ge=1)
    sse_max_streams_per_account: int = env("SSE_MAX_STREAMS_PER_ACCOUNT", 20, ge=1)
    sse_resume_seconds: float = env("SSE_RESUME_SECONDS", 30.0, ge=0)
    oauth_clients: Annotated[OAuthClients, NoDecode] = env("GATEWAY_OAUTH_CLIENTS", DEMO_OAUTH_CLIENTS)
    # The edge (gateway.edge, gateway.client_throttle): see the README's "Security model".
    public_url: str = env("GATEWAY_PUBLIC_URL", "")
    trusted_proxies: Annotated[TrustedProxies, NoDecode] = env("GATEWAY_TRUSTED_PROXIES", ())
    client_auth_window_seconds: float = env("GATEWAY_CLIENT_AUTH_WINDOW_SECONDS", 60.0, gt=0)
    client_auth_failures_per_address: int = env("GATEWAY_CLIENT_AUTH_FAILURES_PER_ADDRESS", 20, ge=1)
    client_auth_failures_per_client: int = env("GATEWAY_CLIENT_AUTH_FAILURES_PER_CLIENT", 60, ge=1)
    # Validation at the edge (gateway.validation, gateway.revocation_link).
    access_token_ttl_seconds: int = env("ACCESS_TOKEN_TTL_SECONDS", 15 * 60, ge=1)
    signing_keys_refresh_seconds: float = env("GATEWAY_SIGNING_KEYS_REFRESH_SECONDS", 1.0, gt=0)
    validator_lease_seconds: float = env("VALIDATOR_LEASE_SECONDS", 2.0, gt=0)
    revocation_redis_url: str = env("REVOCATION_REDIS_URL", "", repr=False)
    revocation_redis_prefix: str = env("REVOCATION_REDIS_PREFIX", "remotesignout:revocations:")
    ready_wait_seconds: float = env("GATEWAY_READY_WAIT_SECONDS", 10.0, ge=0)
    # This gateway's name as a validator: in its lease's id and auth_service's per-validator metrics (gateway-1).
    validator_name: str = env("VALIDATOR_NAME", "gateway", pattern=r"^[A-Za-z0-9_.-]{1,40}$")
    # One log line per request (aiohttp's access log): off by default, as it halves the gateway's throughput on
    # GET /v1/session (benchmark 8: 0.34 of a bare aiohttp answer with it, 0.55 to 0.71 without); /metrics counts.
    access_log: bool = env("GATEWAY_ACCESS_LOG", False)

    @field_validator("oauth_clients", mode="before")
    @classmethod
    def _parse_clients(cls, value: object) -> object:
        return parse_clients(value) if isinstance(value, str) else value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _parse_proxies(cls, value: object) -> object:
        return parse_networks(value) if isinstance(value, str) else value

    @field_validator("public_url")
    @classmethod
    def _check_public_url(cls, value: str) -> str:
        if value and not re.fullmatch(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?", value.rstrip("/")):
            raise ValueError("must be the gateway's public origin, such as https://tv.example.com")
        return value.rstrip("/")

    @classmethod
    def from_env(cls, **read_elsewhere: Any) -> Self:
        """Settings from the environment; the OAuth clients as `oauth_clients_from_env` finds them."""
        read_elsewhere.setdefault("oauth_clients", oauth_clients_from_env())
        return super().from_env(**read_elsewhere)


def parse_clients(raw: str) -> OAuthClients:
    """("id", "secret") pairs from "id:secret,id2:secret2"; a malformed entry stops start-up."""
    clients = []
    for entry in raw.split(","):
        client_id, sep, secret = entry.strip().partition(":")
        if not sep or not client_id or not secret:
            raise SystemExit("GATEWAY_OAUTH_CLIENTS must be 'id:secret,id2:secret2' with no empty id or secret")
        clients.append((client_id, secret))
    return tuple(clients)


def parse_networks(raw: str) -> TrustedProxies:
    """Addresses or networks from "10.0.0.1, 10.1.0.0/16"; a malformed entry stops start-up."""
    networks = []
    for entry in (part.strip() for part in raw.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise SystemExit(f"GATEWAY_TRUSTED_PROXIES: {entry!r} is not an IP address or network") from None
    return tuple(networks)


def oauth_clients_from_env() -> OAuthClients:
    """GATEWAY_OAUTH_CLIENTS, or the file GATEWAY_OAUTH_CLIENTS_FILE names (a compose secret)."""
    raw = os.environ.get("GATEWAY_OAUTH_CLIENTS")
    path = os.environ.get("GATEWAY_OAUTH_CLIENTS_FILE")
    if raw is None and path:
        try:
            raw = pathlib.Path(path).read_text().strip()
        except OSError as error:
            raise SystemExit(f"GATEWAY_OAUTH_CLIENTS_FILE: cannot read {path} ({error.strerror})") from None
    if raw is not None:
        return parse_clients(raw)
    if env_bool("GATEWAY_DEMO_MODE", False):
        return DEMO_OAUTH_CLIENTS
    raise SystemExit(
        "GATEWAY_OAUTH_CLIENTS is not set: give the resource servers that may call /oauth2/revoke "
        "and /oauth2/introspect ('id:secret,id2:secret2'), or set GATEWAY_DEMO_MODE=1 for a demo"
    )


def split_address(address: str) -> tuple[str, int]:
    """("host", port) from "host:port"; "[::1]:8080" keeps its brackets off."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise SystemExit(f"GATEWAY_ADDRESS must be host:port, got {address!r}")
    return host.strip("[]"), int(port)
