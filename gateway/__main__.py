"""python -m gateway: serve the HTTP gateway on GATEWAY_ADDRESS until SIGTERM or SIGINT."""

from __future__ import annotations

from aiohttp import web

from common.grpc_server import configure_logging
from common.tls import TlsIdentity
from gateway.bootstrap import bootstrap
from gateway.config import Settings, split_address
from gateway.entrypoints.http_app import create_app


async def _app(settings: Settings, tls: TlsIdentity) -> web.Application:
    return create_app(bootstrap(settings, tls))  # channels belong to the running loop


def main() -> None:
    configure_logging("gateway")
    settings = Settings.from_env()
    tls = TlsIdentity.from_env("gateway")
    host, port = split_address(settings.gateway_address)
    web.run_app(_app(settings, tls), host=host, port=port, handler_cancellation=True, shutdown_timeout=5.0,
                print=None)


if __name__ == "__main__":
    main()
