from __future__ import annotations

import pytest
from grpc import aio

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.adapters.repository import SqlAlchemyStore
from auth_service.bootstrap import build
from auth_service.config import Config
from auth_service.entrypoints.server import create_auth_server
from common.db import make_engine
from remotesignout.auth.v1 import auth_pb2_grpc
from tests.unit.auth_service.fakes import FakeDeviceRegistry


@pytest.fixture
async def auth(tmp_path):
    """A real AuthService on a free port, SQLite in tmp_path, a fake device registry."""
    store = SqlAlchemyStore(make_engine(f"sqlite:///{tmp_path / 'auth.db'}"))
    app = build(Config(), store, AccessTokenCodec([SigningKey.generate()], 900), FakeDeviceRegistry())
    server = create_auth_server(app, "127.0.0.1:0")
    await server.start()
    channel = aio.insecure_channel(f"127.0.0.1:{server.port}")
    stub = auth_pb2_grpc.AuthServiceStub(channel)
    stub.channel = channel  # type: ignore[attr-defined]
    yield stub
    await channel.close()
    await server.stop(None)
    store.engine.dispose()
