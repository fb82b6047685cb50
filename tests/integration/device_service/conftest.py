"""A real device_service server on 127.0.0.1:0 with SQLite in tmp_path."""

from __future__ import annotations

import dataclasses

import pytest
from remotesignout.device.v1 import device_pb2_grpc

from device_service.adapters.database import session_factory_for
from device_service.adapters.geoip import GeoIpLocator
from device_service.adapters.unit_of_work import SqlAlchemyUnitOfWork
from device_service.bootstrap import bootstrap
from device_service.config import Config
from device_service.entrypoints.permissions import PERMISSIONS
from device_service.entrypoints.server import build_server
from device_service.entrypoints.servicer import SERVICE_NAME
from tests.grpc_clients import PermittedStub


@pytest.fixture(scope="session")
def locator():
    return GeoIpLocator()


@pytest.fixture
def config(tmp_path):
    return Config(
        address="127.0.0.1:0", metrics_host="127.0.0.1", metrics_port=0,
        database_url=f"sqlite:///{tmp_path / 'device.db'}", grace_seconds=0.0, inactive_days=90,
    )


@pytest.fixture
def open_uow(config):
    """A unit of work on the server's database, to arrange or inspect state."""
    _engine, sessions = session_factory_for(config.database_url)
    return lambda: SqlAlchemyUnitOfWork(sessions)


class Running:
    """device_service on a free port; each call made as the process allowed to make it."""

    def __init__(self, config, locator, pki):
        self.config, self.locator, self.pki = config, locator, pki

    async def start(self, **config_changes):
        deps = bootstrap(dataclasses.replace(self.config, **config_changes), locator=self.locator)
        self.server = build_server(deps, "127.0.0.1:0", tls=self.pki.identity("device_service"), metrics=False)
        await self.server.start()
        self.stub = PermittedStub(device_pb2_grpc.DeviceServiceStub, SERVICE_NAME, PERMISSIONS, self.pki,
                                  f"127.0.0.1:{self.server.port}", "device_service")
        return self.stub

    async def stop(self):
        await self.stub.close()
        await self.server.stop(0)


@pytest.fixture
async def running(config, locator, pki):
    server = Running(config, locator, pki)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def stub(running):
    return running.stub
