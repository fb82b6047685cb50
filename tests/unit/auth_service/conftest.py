from __future__ import annotations

import pytest

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.bootstrap import App, build
from auth_service.config import Config
from auth_service.domain.model import DeviceInfo
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY, FakeDeviceRegistry, FakeStore


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def devices() -> FakeDeviceRegistry:
    return FakeDeviceRegistry()


@pytest.fixture
def app(store: FakeStore, devices: FakeDeviceRegistry) -> App:
    codec = AccessTokenCodec([SigningKey.generate()], ttl_seconds=900)
    return build(Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY), store, codec, devices)


def device(n: int = 1, kind: str = "tv") -> DeviceInfo:
    return DeviceInfo(client_id=f"client-{n}", name=f"Device {n}", type=kind)
