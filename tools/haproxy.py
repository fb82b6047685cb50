"""HAProxy in front of the gateways: one configuration, rendered for compose.yaml and for `make cluster`.

What both need is written once, here: round robin over the gateways, each health-checked on `GET /healthz`
(200, or the gateway is taken out until it answers 200 again), timeouts that let an event stream
(`GET /v1/events`) live as long as the gateway keeps it, and the forwarding headers the gateways believe
from HAProxy's address only (GATEWAY_TRUSTED_PROXIES, README "Security model"). What differs is data:
the listen address, the gateways' addresses, an optional monitoring listener (`/healthz` of HAProxy
itself and its Prometheus `/metrics`), and, in compose, Docker's DNS so that a recreated gateway
container is found at its new address.

    python -m tools.haproxy --bind 127.0.0.1:8080 --gateway 127.0.0.1:8081 --gateway 127.0.0.1:8082
    python -m tools.haproxy --compose > deploy/haproxy/haproxy.cfg    # what compose.yaml mounts

tests/tooling/test_haproxy.py runs Debian's `haproxy -c` on both, checks that the committed compose file
is this module's output, and puts a real HAProxy in front of two stand-in gateways.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence

# compose.yaml: HAProxy listens on 8080 (the one published port), the gateways are gateway-1 and
# gateway-2 on the compose network, Docker's embedded DNS answers at 127.0.0.11.
COMPOSE_BIND = "0.0.0.0:8080"
COMPOSE_GATEWAYS = ("gateway-1:8080", "gateway-2:8080")
COMPOSE_MONITOR = "0.0.0.0:8404"
COMPOSE_DNS = "127.0.0.11:53"
COMPOSE_COMMAND = "python -m tools.haproxy --compose > deploy/haproxy/haproxy.cfg"


@dataclasses.dataclass(frozen=True)
class Timeouts:
    """HAProxy's timeouts, in its own notation ("60s", "1h").

    An event stream is an ordinary HTTP response that never ends: in HTTP mode HAProxy holds it to the
    `client` and `server` inactivity timeouts (not `tunnel`, which applies once a connection is upgraded,
    as for a WebSocket). The gateway writes a keep-alive comment every SSE_KEEPALIVE_SECONDS (15), so any
    inactivity timeout well above that keeps a stream open for as long as the gateway does; a stream
    whose gateway stopped writing is cut after `server`. `tunnel` is set long anyway, for upgraded
    connections.
    """

    connect: str = "5s"
    http_request: str = "10s"  # the whole request head: a client that trickles its headers is cut
    http_keep_alive: str = "10s"
    queue: str = "10s"
    client: str = "60s"  # > SSE_KEEPALIVE_SECONDS (15): a quiet event stream stays open
    server: str = "60s"
    client_fin: str = "10s"
    server_fin: str = "10s"
    tunnel: str = "1h"
    check: str = "5s"  # a gateway's /healthz asks the three services, each within RPC_TIMEOUT_SECONDS (2)


@dataclasses.dataclass(frozen=True)
class Checks:
    """How often each gateway's /healthz is asked, and how many answers move it out or back in."""

    interval: str = "2s"
    fall: int = 3
    rise: int = 2


def render(
    gateways: Sequence[str],
    bind: str,
    *,
    monitor: str | None = None,
    dns: str | None = None,
    timeouts: Timeouts = Timeouts(),
    checks: Checks = Checks(),
    header: str = "",
) -> str:
    """haproxy.cfg balancing `bind` over `gateways` ("host:port" each, named gateway-1, gateway-2, ...)."""
    if not gateways:
        raise ValueError("HAProxy needs at least one gateway")
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines += [
        "global",
        "    log stdout format raw local0 info",
        "    maxconn 4096",
        "",
        "defaults",
        "    mode http",
        "    log global",
        "    option dontlognull",
        "    # A request whose connection to a gateway failed never reached it: send it to another one.",
        "    retries 2",
        "    option redispatch 1",
        *(
            f"    timeout {field.name.replace('_', '-')} {getattr(timeouts, field.name)}"
            for field in dataclasses.fields(timeouts)
        ),
        "",
    ]
    if dns:
        lines += [
            "# Docker's DNS: a gateway container that is recreated comes back at a new address.",
            "resolvers docker",
            f"    nameserver docker {dns}",
            "    hold valid 10s",
            "",
        ]
    lines += [
        "frontend public",
        f"    bind {bind}",
        "    option httplog",
        "    # The gateways believe these two headers from HAProxy's address only (GATEWAY_TRUSTED_PROXIES).",
        "    # What the client sent is dropped first: `option forwardfor` alone adds its line after the",
        "    # client's, and the gateway reads the first X-Forwarded-For line (gateway/edge.py).",
        "    http-request del-header X-Forwarded-For",
        "    http-request set-header X-Forwarded-Proto https if { ssl_fc }",
        "    http-request set-header X-Forwarded-Proto http if !{ ssl_fc }",
        "    option forwardfor",
        "    # Prometheus scrapes every gateway on its own address; through the balancer, /metrics would be",
        "    # whichever gateway answered, and nobody outside needs it.",
        "    http-request deny deny_status 404 if { path /metrics }",
        "    default_backend gateways",
        "",
        "backend gateways",
        "    balance roundrobin",
        "    option httpchk GET /healthz",
        "    http-check expect status 200",
        f"    default-server check inter {checks.interval} fall {checks.fall} rise {checks.rise}",
    ]
    resolve = " resolvers docker init-addr last,libc,none" if dns else ""
    lines += [f"    server gateway-{number} {address}{resolve}" for number, address in enumerate(gateways, 1)]
    if monitor:
        lines += [
            "",
            "# For operators and compose's health check, never published: HAProxy's own health and metrics.",
            "frontend monitor",
            f"    bind {monitor}",
            "    no log",
            "    monitor-uri /healthz",
            "    http-request use-service prometheus-exporter if { path /metrics }",
        ]
    return "\n".join(lines) + "\n"


def compose_config() -> str:
    """deploy/haproxy/haproxy.cfg, the configuration compose.yaml mounts into its HAProxy."""
    return render(
        COMPOSE_GATEWAYS,
        COMPOSE_BIND,
        monitor=COMPOSE_MONITOR,
        dns=COMPOSE_DNS,
        header=f"HAProxy of compose.yaml. Generated by tools/haproxy.py: edit that, then\n{COMPOSE_COMMAND}",
    )


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.haproxy", description=__doc__.splitlines()[0])
    parser.add_argument("--compose", action="store_true", help="print deploy/haproxy/haproxy.cfg")
    parser.add_argument("--bind", help="where HAProxy listens, host:port")
    parser.add_argument("--gateway", action="append", default=[], help="a gateway's host:port (repeat)")
    parser.add_argument("--monitor", help="host:port for HAProxy's own /healthz and /metrics")
    args = parser.parse_args(argv)
    if args.compose:
        sys.stdout.write(compose_config())
        return 0
    if not args.bind or not args.gateway:
        parser.error("give --bind and at least one --gateway, or --compose")
    sys.stdout.write(render(args.gateway, args.bind, monitor=args.monitor))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
