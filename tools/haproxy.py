"""HAProxy's configuration for the local cluster (placeholder until the shared renderer lands)."""

from __future__ import annotations


def render_local(gateways: list[str], listen: str) -> str:
    servers = "\n".join(
        f"    server gateway-{n} {address} check inter 1s fall 2 rise 1" for n, address in enumerate(gateways, 1)
    )
    return f"""global
    maxconn 4096

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h
    option forwardfor

frontend edge
    bind {listen}
    default_backend gateways

backend gateways
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
{servers}
"""
