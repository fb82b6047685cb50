"""The gateway's settings, read from environment variables."""

from __future__ import annotations

import os
import pathlib
from dataclasses import dataclass

from common.settings import env_bool, env_float, env_str
from gateway.domain.oauth import parse_clients

# The demo client, used ONLY in demo mode (GATEWAY_DEMO_MODE=1, which `make run`
# and the tests set) when GATEWAY_OAUTH_CLIENTS is unset: one resource server that
# may call /oauth2/revoke and /oauth2/introspect. Outside demo mode the gateway
# refuses to start without GATEWAY_OAUTH_CLIENTS ("id:secret,id2:secret2").
DEMO_OAUTH_CLIENTS = (("resource-server", "resource-server-secret"),)


@dataclass(frozen=True)
class Settings:
    gateway_address: str = "127.0.0.1:8080"
    auth_address: str = "127.0.0.1:50051"
    device_address: str = "127.0.0.1:50052"
    parental_address: str = "127.0.0.1:50053"
    rpc_timeout_seconds: float = 2.0
    keepalive_seconds: float = 15.0
    oauth_clients: tuple[tuple[str, str], ...] = DEMO_OAUTH_CLIENTS

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            gateway_address=env_str("GATEWAY_ADDRESS", cls.gateway_address),
            auth_address=env_str("AUTH_ADDRESS", cls.auth_address),
            device_address=env_str("DEVICE_ADDRESS", cls.device_address),
            parental_address=env_str("PARENTAL_ADDRESS", cls.parental_address),
            rpc_timeout_seconds=env_float("RPC_TIMEOUT_SECONDS", cls.rpc_timeout_seconds),
            keepalive_seconds=env_float("SSE_KEEPALIVE_SECONDS", cls.keepalive_seconds),
            oauth_clients=oauth_clients_from_env(),
        )


def oauth_clients_from_env() -> tuple[tuple[str, str], ...]:
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
    raise SystemExit("GATEWAY_OAUTH_CLIENTS is not set: give the resource servers that may call /oauth2/revoke "
                     "and /oauth2/introspect ('id:secret,id2:secret2'), or set GATEWAY_DEMO_MODE=1 for a demo")


def split_address(address: str) -> tuple[str, int]:
    """("host", port) from "host:port"; "[::1]:8080" keeps its brackets off."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise SystemExit(f"GATEWAY_ADDRESS must be host:port, got {address!r}")
    return host.strip("[]"), int(port)
