"""Starts auth_service: gRPC server, metrics, housekeeping of the revocation index, signing-key reloads."""

from __future__ import annotations

import asyncio
import contextlib

from remotesignout.auth.v1 import auth_pb2_grpc

from auth_service.bootstrap import App, bootstrap
from auth_service.config import Config
from auth_service.entrypoints.permissions import PERMISSIONS, SERVICE_NAME
from common.clock import now_us
from common.grpc_server import Server, configure_logging, create_server, serve
from common.metrics import serve_metrics
from common.tls import TlsIdentity


def create_auth_server(app: App, address: str, *, tls: TlsIdentity, metrics: bool = True,
                       reflection: bool = False) -> Server:
    return create_server(
        address, lambda server: auth_pb2_grpc.add_AuthServiceServicer_to_server(app.servicer(), server),
        [SERVICE_NAME], tls=tls, permissions=PERMISSIONS, reflection_enabled=reflection, metrics=metrics,
    )


async def forget_old_revocations(app: App, access_token_ttl_seconds: int, every_seconds: float = 60.0) -> None:
    """Single-session entries outlive their access tokens by a minute, then go."""
    while True:
        await asyncio.sleep(every_seconds)
        app.index.forget_sessions_revoked_before(now_us() - (access_token_ttl_seconds + 60) * 1_000_000)


async def main() -> None:
    configure_logging("auth_service")
    config = Config.from_env()
    tls = TlsIdentity.from_env("auth_service")
    app = bootstrap(config, tls)
    if config.metrics_port:
        serve_metrics(config.metrics_host, config.metrics_port)
    server = create_auth_server(app, config.address, tls=tls, reflection=config.reflection)
    housekeeping = [asyncio.create_task(forget_old_revocations(app, config.access_token_ttl_seconds))]
    if app.key_watcher is not None:
        housekeeping.append(asyncio.create_task(app.key_watcher.run(config.keys_reload_seconds)))

    async def on_stop() -> None:
        for task in housekeeping:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await app.close()

    await serve(server, config.grace_seconds, on_stop)
