"""A real device_service server on 127.0.0.1:0 with SQLite in tmp_path or a PostgreSQL schema, and a fake
auth_service feed (tests.feeds) that it checks ApplyRevocation calls against."""

from __future__ import annotations

import pytest
from remotesignout.device.v1 import device_pb2_grpc

from common.migrations import upgrade
from device_service.adapters.geoip import GeoIpLocator
from device_service.adapters.migrations import HISTORY
from device_service.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from device_service.bootstrap import bootstrap
from device_service.config import Config
from device_service.entrypoints.permissions import PERMISSIONS, SERVICE_NAME
from device_service.entrypoints.server import build_server, feed_entries
from tests.feeds import serving_auth_feed
from tests.grpc_clients import PermittedStub
from tests.postgres import postgres_schema_url


@pytest.fixture(scope="session")
def locator():
    return GeoIpLocator()


@pytest.fixture
async def auth_feed(pki):
    """auth_service's revocation feed: what a test publishes there, auth_service wrote."""
    async with serving_auth_feed(pki.identity("auth_service")) as feed:
        yield feed


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """Every device_service integration test runs on SQLite and on PostgreSQL (a throw-away schema each)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'device.db'}"
    else:
        with postgres_schema_url() as url:
            yield url


@pytest.fixture
def config(database_url, auth_feed):
    return Config(
        address="127.0.0.1:0",
        metrics_host="127.0.0.1",
        metrics_port=0,
        database_url=database_url,
        grace_seconds=0.0,
        inactive_days=90,
        auth_address=auth_feed.address,
    )


@pytest.fixture
def open_uow(config):
    """A unit of work on the server's database, to arrange or inspect state."""
    engine, sessions = session_factory(config.database_url)
    upgrade(engine, HISTORY)
    return lambda: SqlAlchemyUnitOfWork(sessions)


class Running:
    """device_service on a free port; each call made as the process allowed to make it."""

    def __init__(self, config, locator, pki):
        self.config, self.locator, self.pki = config, locator, pki

    async def start(self, **config_changes):
        config = self.config.model_copy(update=config_changes)
        self.auth_channel = self.pki.identity("device_service").channel(config.auth_address, "auth_service")
        self.deps = bootstrap(config, feed_entries(config, self.auth_channel, settle_seconds=0.2), locator=self.locator)
        self.server = build_server("127.0.0.1:0", self.deps, tls=self.pki.identity("device_service"), metrics=False)
        await self.server.start()
        self.stub = PermittedStub(
            device_pb2_grpc.DeviceServiceStub,
            SERVICE_NAME,
            PERMISSIONS,
            self.pki,
            f"127.0.0.1:{self.server.port}",
            "device_service",
        )
        return self.stub

    async def stop(self):
        await self.stub.close()
        await self.server.stop(0)
        await self.auth_channel.close()


@pytest.fixture
async def running(config, locator, pki):
    server = Running(config, locator, pki)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def stub(running):
    return running.stub
