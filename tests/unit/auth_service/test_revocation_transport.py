"""The validators' transport auth_service is wired with (auth_service.bootstrap.revocation_transport)."""

from __future__ import annotations

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.bootstrap import Service, build, revocation_transport
from auth_service.config import Config
from common.validator import MemoryLeaseRegistry
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY, FakeDeviceRegistry


def service(config: Config) -> Service:
    deps = build(config, lambda: None, AccessTokenCodec([SigningKey.generate()], 900), FakeDeviceRegistry())  # type: ignore[arg-type, return-value]
    return Service(deps, key_watcher=None)  # type: ignore[arg-type]


def test_embedded_leases_live_here_with_the_configured_ttl() -> None:
    config = Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY, validator_lease_seconds=1.5)
    wired = revocation_transport(config, service(config))
    registry = wired.deps.events.acknowledgements.registry
    assert isinstance(registry, MemoryLeaseRegistry)
    assert registry.ttl_seconds == wired.deps.events.acknowledgements.lease_ttl_seconds == 1.5
    assert wired.deps.validator is None  # this process's index is the source: always current
    assert wired.background == []


def test_with_redis_this_replica_is_a_validator_and_leases_live_in_redis() -> None:
    from common.revocation_redis import RedisLeaseRegistry

    config = Config(
        refresh_token_key=TEST_REFRESH_TOKEN_KEY,
        revocation_redis_url="redis://127.0.0.1:6379/15",
        validator_lease_seconds=1.5,
    )
    wired = revocation_transport(config, service(config))
    assert isinstance(wired.deps.events.acknowledgements.registry, RedisLeaseRegistry)
    assert wired.deps.validator is not None and wired.deps.validator.index is wired.deps.index
    assert len(wired.background) == 1  # the link that follows the stream and renews the lease
