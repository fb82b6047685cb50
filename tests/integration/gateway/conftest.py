"""A real gateway on a free port in front of fake services on real gRPC servers."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiohttp.test_utils import TestClient, TestServer
from remotesignout.auth.v1 import auth_pb2_grpc
from remotesignout.device.v1 import device_pb2_grpc
from remotesignout.parental.v1 import parental_pb2_grpc

from auth_service.entrypoints.permissions import PERMISSIONS as AUTH_PERMISSIONS
from common.grpc_server import Server, create_server
from device_service.entrypoints.permissions import PERMISSIONS as DEVICE_PERMISSIONS
from gateway.app import create_app
from gateway.bootstrap import bootstrap
from gateway.config import Settings
from parental_service.entrypoints.permissions import PERMISSIONS as PARENTAL_PERMISSIONS
from tests.integration.gateway.fakes import FakeAuth, FakeDevice, FakeParental, World

RPC_TIMEOUT = 1.0


@dataclass
class Stack:
    world: World
    client: TestClient
    servers: dict[str, Server]

    async def sign_in(
        self, email: str = "ada@example.com", client_id: str = "tv-1", *, create: bool = True
    ) -> dict[str, str]:
        if create and email not in self.world.accounts:
            response = await self.client.post("/v1/accounts", json={"email": email, "password": "correct horse"})
            assert response.status == 201
        response = await self.client.post(
            "/v1/sign-in",
            json={
                "email": email,
                "password": "correct horse",
                "device": {"client_id": client_id, "name": f"Device {client_id}", "type": "tv"},
            },
        )
        assert response.status == 200, await response.text()
        return await response.json()


def bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


@pytest.fixture
def gateway_settings() -> dict[str, object]:
    """Settings of the gateway beyond its addresses; a test module overrides this fixture to change them."""
    return {}


@pytest.fixture
async def stack(pki, gateway_settings):
    """Fake services behind the real services' mutual TLS and permission tables."""
    world = World()
    device, parental = fake_device_and_parental(pki, world)
    servers = {
        "auth": create_server(
            "127.0.0.1:0",
            lambda s: auth_pb2_grpc.add_AuthServiceServicer_to_server(FakeAuth(world), s),
            ["remotesignout.auth.v1.AuthService"],
            metrics=False,
            tls=pki.identity("auth_service"),
            permissions=AUTH_PERMISSIONS,
        ),
        "device": device,
        "parental": parental,
    }
    for server in servers.values():
        await server.start()
    settings = Settings(
        gateway_address="127.0.0.1:0",
        auth_address=f"127.0.0.1:{servers['auth'].port}",
        device_address=f"127.0.0.1:{servers['device'].port}",
        parental_address=f"127.0.0.1:{servers['parental'].port}",
        rpc_timeout_seconds=RPC_TIMEOUT,
        **gateway_settings,
    )
    client = TestClient(TestServer(create_app(bootstrap(settings, pki.identity("gateway"))), handler_cancellation=True))
    await client.start_server()
    try:
        yield Stack(world, client, servers)
    finally:
        await client.close()
        for server in servers.values():
            await server.stop(0)


def fake_device_and_parental(pki, world: World) -> list[Server]:  # type: ignore[no-untyped-def]
    """device_service and parental_service fakes behind the real services' mutual TLS and permission tables."""
    return [
        create_server(
            "127.0.0.1:0",
            lambda s: device_pb2_grpc.add_DeviceServiceServicer_to_server(FakeDevice(world), s),
            ["remotesignout.device.v1.DeviceService"],
            metrics=False,
            tls=pki.identity("device_service"),
            permissions=DEVICE_PERMISSIONS,
        ),
        create_server(
            "127.0.0.1:0",
            lambda s: parental_pb2_grpc.add_ParentalServiceServicer_to_server(FakeParental(world), s),
            ["remotesignout.parental.v1.ParentalService"],
            metrics=False,
            tls=pki.identity("parental_service"),
            permissions=PARENTAL_PERMISSIONS,
        ),
    ]


@contextlib.asynccontextmanager
async def gateway_before(pki, auth: Server, **settings: object) -> AsyncIterator[TestClient]:  # type: ignore[no-untyped-def]
    """A real gateway in front of `auth` (a real auth_service, say) and fake device and parental services."""
    servers = [auth, *fake_device_and_parental(pki, World())]
    for server in servers:
        await server.start()
    auth_address, device, parental = (f"127.0.0.1:{server.port}" for server in servers)
    config = Settings(
        gateway_address="127.0.0.1:0",
        auth_address=auth_address,
        device_address=device,
        parental_address=parental,
        **settings,  # type: ignore[arg-type]
    )
    client = TestClient(TestServer(create_app(bootstrap(config, pki.identity("gateway")))))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()
        for server in servers:
            await server.stop(0)
