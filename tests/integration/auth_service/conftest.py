from __future__ import annotations

import pytest
from remotesignout.auth.v1 import auth_pb2_grpc

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.adapters.migrations import HISTORY
from auth_service.adapters.unit_of_work import unit_of_work_factory
from auth_service.bootstrap import build
from auth_service.config import Config
from auth_service.entrypoints.permissions import PERMISSIONS, SERVICE_NAME
from auth_service.entrypoints.server import create_auth_server
from auth_service.service_layer.revocations import load_index
from tests.grpc_clients import PermittedStub
from tests.postgres import postgres_schema_url
from tests.schema import migrated_engine
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY, FakeDeviceRegistry


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """Every auth_service integration test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'auth.db'}"
    else:
        with postgres_schema_url() as url:
            yield url


@pytest.fixture
async def auth(database_url, pki):
    """A real AuthService on a free port, a real database, a fake device registry; each call
    is made as the process allowed to make it (tests.grpc_clients)."""
    engine = migrated_engine(database_url, HISTORY)
    config = Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY)
    deps = build(
        config, unit_of_work_factory(engine), AccessTokenCodec([SigningKey.generate()], 900), FakeDeviceRegistry()
    )
    await load_index(deps.uow(), deps.index)
    server = create_auth_server(deps, "127.0.0.1:0", tls=pki.identity("auth_service"))
    await server.start()
    stub = PermittedStub(
        auth_pb2_grpc.AuthServiceStub, SERVICE_NAME, PERMISSIONS, pki, f"127.0.0.1:{server.port}", "auth_service"
    )
    yield stub
    await stub.close()
    await server.stop(None)
    engine.dispose()
