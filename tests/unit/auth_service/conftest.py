from __future__ import annotations

import pytest

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.bootstrap import build
from auth_service.config import Config
from auth_service.domain.model import DeviceInfo
from auth_service.service_layer.dependencies import Dependencies
from tests.unit.auth_service.bound import Auth
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY, FakeDatabase, FakeDeviceRegistry


@pytest.fixture
def database() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def devices() -> FakeDeviceRegistry:
    return FakeDeviceRegistry()


@pytest.fixture
def deps(database: FakeDatabase, devices: FakeDeviceRegistry) -> Dependencies:
    codec = AccessTokenCodec([SigningKey.generate()], ttl_seconds=900)
    return build(Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY), database.unit_of_work, codec, devices)


@pytest.fixture
def app(deps: Dependencies) -> Auth:
    return Auth(deps)


def device(n: int = 1, kind: str = "tv") -> DeviceInfo:
    return DeviceInfo(client_id=f"client-{n}", name=f"Device {n}", type=kind)
