"""Runs auth_service: the gRPC server, its readiness probes, metrics, housekeeping of the revocation index,
signing-key reloads."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from grpc import aio
from remotesignout.auth.v1 import auth_pb2_grpc

from auth_service.bootstrap import bootstrap
from auth_service.config import Config
from auth_service.entrypoints.permissions import PERMISSIONS, SERVICE_NAME
from auth_service.entrypoints.servicer import AuthServicer
from auth_service.service_layer.dependencies import Dependencies
from common.clock import now_us
from common.grpc_server import Server, create_server, serve
from common.metrics import serve_metrics
from common.readiness import watch_dependencies
from common.revocation_index import RevocationIndex
from common.tls import TlsIdentity

# The generated module has no type annotations: name the one function used of it.
_add_servicer: Callable[[AuthServicer, aio.Server], None] = auth_pb2_grpc.add_AuthServiceServicer_to_server


def create_auth_server(
    deps: Dependencies, address: str, *, tls: TlsIdentity, metrics: bool = True, reflection: bool = False
) -> Server:
    """A bound mutual-TLS server for AuthService, its permission table enforced; not started yet."""
    servicer = AuthServicer(deps)
    return create_server(
        address,
        lambda server: _add_servicer(servicer, server),
        [SERVICE_NAME],
        tls=tls,
        permissions=PERMISSIONS,
        reflection_enabled=reflection,
        metrics=metrics,
    )


async def forget_old_revocations(
    index: RevocationIndex, access_token_ttl_seconds: int, every_seconds: float = 60.0
) -> None:
    """Single-session entries outlive their access tokens by a minute, then go."""
    while True:
        await asyncio.sleep(every_seconds)
        index.forget_sessions_revoked_before(now_us() - (access_token_ttl_seconds + 60) * 1_000_000)


async def run_service() -> None:
    """The auth_service process, until SIGTERM or SIGINT (run by `python -m auth_service`)."""
    config = Config.from_env()
    tls = TlsIdentity.from_env("auth_service")
    service = await bootstrap(config, tls)
    if config.metrics_port:
        serve_metrics(config.metrics_host, config.metrics_port)
    server = create_auth_server(service.deps, config.address, tls=tls, reflection=config.reflection)
    watch_dependencies(server, service.dependencies, config.health_check_interval_seconds)
    housekeeping = [
        asyncio.create_task(forget_old_revocations(service.deps.index, config.access_token_ttl_seconds)),
        asyncio.create_task(service.key_watcher.run(config.keys_reload_seconds)),
        *(asyncio.create_task(run()) for run in service.background),
    ]

    async def on_stop() -> None:
        for task in housekeeping:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await service.close()

    await serve(server, config.grace_seconds, on_stop)
