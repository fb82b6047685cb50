"""The grpc.aio server scaffold every gRPC service uses.

`create_server` builds and binds a server (port 0 picks a free port, as tests
do); `serve` runs one until SIGTERM or SIGINT, then sets health to NOT_SERVING
and stops with a grace period.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence

import grpc
from grpc import aio
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from common.interceptors import ServiceInterceptor

log = logging.getLogger(__name__)

Registrar = Callable[[aio.Server], None]


class Server:
    """A bound, not yet started, gRPC server with health and reflection."""

    def __init__(self, server: aio.Server, port: int, health_servicer: health.aio.HealthServicer,
                 service_names: Sequence[str]) -> None:
        self.server = server
        self.port = port
        self.health = health_servicer
        self.service_names = list(service_names)

    async def start(self) -> None:
        await self.server.start()
        for name in ["", *self.service_names]:
            await self.health.set(name, health_pb2.HealthCheckResponse.SERVING)

    async def stop(self, grace: float) -> None:
        for name in ["", *self.service_names]:
            await self.health.set(name, health_pb2.HealthCheckResponse.NOT_SERVING)
        await self.server.stop(grace)


def create_server(
    address: str,
    register: Registrar,
    service_names: Sequence[str],
    *,
    metrics: bool = True,
) -> Server:
    """Build a server on `address` ("host:port"; port 0 for a free one)."""
    server = aio.server(interceptors=[ServiceInterceptor(metrics=metrics)], options=[("grpc.so_reuseport", 0)])
    register(server)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        [*service_names, health.SERVICE_NAME, reflection.SERVICE_NAME], server
    )
    port = server.add_insecure_port(address)
    if port == 0:
        raise SystemExit(f"cannot listen on {address}")
    return Server(server, port, health_servicer, service_names)


async def serve(server: Server, grace: float, on_stop: Callable[[], Awaitable[None]] | None = None) -> None:
    """Run until SIGTERM/SIGINT, then drain gracefully."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    await server.start()
    log.info("listening on port %d", server.port)
    await stopping.wait()
    log.info("stopping: health NOT_SERVING, grace %.1fs", grace)
    await server.stop(grace)
    if on_stop is not None:
        await on_stop()


def configure_logging(name: str) -> None:
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s {name} %(levelname)s %(name)s: %(message)s")


def channel(target: str) -> aio.Channel:
    """A client channel to another service of the suite.

    Reconnects quickly (100 ms, backing off to 2 s) so a restarted service is
    reachable again within moments, not after grpc's default minute-long backoff.
    """
    return aio.insecure_channel(target, options=[
        ("grpc.enable_retries", 1),
        ("grpc.initial_reconnect_backoff_ms", 100),
        ("grpc.min_reconnect_backoff_ms", 100),
        ("grpc.max_reconnect_backoff_ms", 2000),
    ])


__all__ = ["Server", "create_server", "serve", "configure_logging", "channel", "grpc"]
