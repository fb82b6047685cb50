"""The grpc.aio server scaffold every gRPC service uses.

`create_server` builds and binds a mutual-TLS server (port 0 picks a free port,
as tests do) whose interceptor enforces the service's permissions; `serve` runs
one until SIGTERM or SIGINT, then sets health to NOT_SERVING and stops with a
grace period. A service's readiness probes (common.readiness) run beside it
(`Server.run_beside`) from its start until its stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any

import grpc
from grpc import aio
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from common import tracing
from common.interceptors import ServiceInterceptor
from common.permissions import Permissions, with_standard_services
from common.tls import TlsIdentity

log = logging.getLogger(__name__)

Registrar = Callable[[aio.Server], None]


class Server:
    """A bound, not yet started, gRPC server with health and reflection."""

    def __init__(
        self, server: aio.Server, port: int, health_servicer: health.aio.HealthServicer, service_names: Sequence[str]
    ) -> None:
        self.server = server
        self.port = port
        self.health = health_servicer
        self.service_names = list(service_names)
        self._beside: list[Callable[[], Coroutine[Any, Any, None]]] = []
        self._tasks: list[asyncio.Task[None]] = []

    def run_beside(self, run: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run `run()` from when the server has started until it stops (readiness probes)."""
        self._beside.append(run)

    async def start(self) -> None:
        await self.server.start()
        for name in ["", *self.service_names]:
            await self.health.set(name, health_pb2.HealthCheckResponse.SERVING)
        self._tasks = [asyncio.create_task(run()) for run in self._beside]

    async def stop(self, grace: float | None) -> None:
        """NOT_SERVING for good (a probe can no longer set SERVING), then drain for `grace` seconds."""
        await self.health.enter_graceful_shutdown()
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        await self.server.stop(grace)


def create_server(
    address: str,
    register: Registrar,
    service_names: Sequence[str],
    *,
    tls: TlsIdentity,
    permissions: Permissions,
    reflection_enabled: bool = False,
    metrics: bool = True,
) -> Server:
    """Build a server on `address` ("host:port"; port 0 for a free one).

    Only mutual TLS: callers must present a certificate signed by the suite's CA,
    and each method answers only the identities `permissions` lists for it.
    Health answers any authenticated caller; reflection exists only when enabled. With tracing on
    (common.tracing), its server interceptor comes first, so the service's span covers the whole call.
    """
    allowed = with_standard_services(permissions, reflection_enabled=reflection_enabled)
    interceptors = [*tracing.server_interceptors(), ServiceInterceptor(allowed, metrics=metrics)]
    server = aio.server(interceptors=interceptors, options=[("grpc.so_reuseport", 0)])
    register(server)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    if reflection_enabled:
        reflection.enable_server_reflection([*service_names, health.SERVICE_NAME, reflection.SERVICE_NAME], server)
    port = server.add_secure_port(address, tls.server_credentials())
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


__all__ = ["Server", "create_server", "grpc", "serve"]
