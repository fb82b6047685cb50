"""The container health check: health over mutual TLS as the operator identity."""

from __future__ import annotations

import asyncio

from common.grpc_server import create_server
from common.health_probe import main


async def test_the_probe_answers_0_for_a_serving_service_and_1_when_nothing_listens(pki, monkeypatch):
    monkeypatch.setenv("TLS_DIR", str(pki.dir))
    server = create_server("127.0.0.1:0", lambda s: None, [], tls=pki.identity("device_service"), permissions={})
    await server.start()
    try:
        assert await asyncio.to_thread(main, [f"127.0.0.1:{server.port}", "device_service"]) == 0
        # the right port, the wrong process: the server's certificate does not name auth_service
        assert await asyncio.to_thread(main, [f"127.0.0.1:{server.port}", "auth_service"]) == 1
    finally:
        await server.stop(0)
    assert await asyncio.to_thread(main, [f"127.0.0.1:{server.port}", "device_service"]) == 1
