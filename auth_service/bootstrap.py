"""Wires auth_service from its config: real adapters here, fakes in unit tests.

`build` makes the handlers' Dependencies from what it is given (no I/O);
`bootstrap` is the real thing: keys from their directory (or SystemExit before
touching the database), the schema brought to head (or checked: MIGRATE_ON_START),
the SQLAlchemy unit of work, device_service over mutual TLS, the revocation index
rebuilt from the feed, and the validators' transport (`revocation_transport`):
embedded, leases in this process and SyncRevocations streams; with
REVOCATION_REDIS_URL, Redis (common.revocation_redis) and this replica a validator.
`Service.dependencies` are what its health follows (common.readiness): the
database, and each Redis it uses.
"""

from __future__ import annotations

import hashlib
import hmac
import pathlib
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field, replace
from typing import Any

from auth_service.adapters.common_passwords import load_password_policy
from auth_service.adapters.device_registry import GrpcDeviceRegistry
from auth_service.adapters.geoip import GeoIpLocator
from auth_service.adapters.migrations import HISTORY
from auth_service.adapters.signing_keys import KeyWatcher, load_codec
from auth_service.adapters.throttle_store import InMemoryThrottleStore
from auth_service.adapters.unit_of_work import unit_of_work_factory
from auth_service.config import Config
from auth_service.domain.device_codes import CodeHashes, Timing
from auth_service.domain.model import Lifetimes, Rules
from auth_service.domain.throttle import BucketNames, Limit, ThrottlePolicy
from auth_service.domain.tokens import RefreshTokenHashes
from auth_service.service_layer.acknowledgements import VALIDATORS_LIVE, Acknowledgements
from auth_service.service_layer.dependencies import Dependencies
from auth_service.service_layer.ports import Clock, DeviceRegistry, Locator, ThrottleStore, TokenCodec
from auth_service.service_layer.revocations import FEED_PAGE_MAX, load_index, read_feed
from auth_service.service_layer.session_events import SessionEvents
from auth_service.service_layer.throttle import Throttle
from auth_service.service_layer.unit_of_work import UnitOfWorkFactory
from common import validator as validators
from common.clock import now_us
from common.db import make_engine
from common.migrations import prepare_schema
from common.readiness import DatabaseProbe, Dependency, RedisProbe
from common.revocation import Revocation
from common.revocation_index import RevocationIndex
from common.tls import TlsIdentity
from common.unit_of_work import in_thread
from common.validator import AlwaysCurrent, MemoryLeaseRegistry, Validator


def throttle_policy(config: Config) -> ThrottlePolicy:
    return ThrottlePolicy(
        source=Limit(config.source_throttle_after, config.source_throttle_refill_seconds),
        account=Limit(config.sign_in_throttle_after, config.sign_in_throttle_refill_seconds),
        device=Limit(config.device_throttle_after, config.device_throttle_refill_seconds),
        password_check=Limit(config.password_check_throttle_after, config.password_check_throttle_refill_seconds),
        user_code=Limit(config.user_code_throttle_after, config.user_code_throttle_refill_seconds),
        user_code_account=Limit(
            config.user_code_account_throttle_after, config.user_code_account_throttle_refill_seconds
        ),
        user_code_source=Limit(config.user_code_source_throttle_after, config.user_code_source_throttle_refill_seconds),
        device_code=Limit(config.device_code_throttle_after, config.device_code_throttle_refill_seconds),
    )


def rules(config: Config) -> Rules:
    """The rules `config` sets; ValueError if the refresh-token key is missing or short."""
    return Rules(
        Lifetimes(
            config.access_token_ttl_seconds,
            config.session_idle_timeout_seconds,
            config.session_max_lifetime_seconds,
            config.step_up_seconds,
        ),
        throttle_policy(config),
        RefreshTokenHashes(config.refresh_token_key),
        load_password_policy(),
        CodeHashes.derived_from(config.refresh_token_key),
        Timing(config.device_code_lifetime_seconds, config.device_code_interval_seconds),
    )


def throttle_store(config: Config) -> ThrottleStore:
    """In memory, or in the Redis of AUTH_THROTTLE_REDIS_URL (no connection yet: it connects on first use)."""
    if config.throttle_redis_url:
        from auth_service.adapters.redis_throttle_store import RedisThrottleStore  # redis-py only when used

        return RedisThrottleStore.from_url(config.throttle_redis_url, config.throttle_redis_prefix)
    return InMemoryThrottleStore()


def build(
    config: Config,
    uow: UnitOfWorkFactory,
    codec: TokenCodec,
    devices: DeviceRegistry,
    clock: Clock = now_us,
    throttle_store: ThrottleStore | None = None,
    locator: Locator | None = None,
) -> Dependencies:
    """The handlers' dependencies, with an empty revocation index (`load_index` fills it from the feed),
    validators' leases in memory (embedded; `revocation_transport` may replace them), unless given a
    store the throttle's buckets in memory, and unless given a locator GeoIP (loaded on first use)."""
    index = RevocationIndex()
    lease = config.validator_lease_seconds
    acknowledgements = Acknowledgements(MemoryLeaseRegistry(ttl_seconds=lease), lease)
    the_rules = rules(config)
    # Bucket names are keyed by a key derived from the refresh-token key: every instance names them alike,
    # and a shared store holds no email, address or client_id.
    names_key = hmac.new(config.refresh_token_key, b"remotesignout throttle bucket names", hashlib.sha256).digest()
    return Dependencies(
        uow=uow,
        codec=codec,
        index=index,
        events=SessionEvents(index, acknowledgements),
        devices=devices,
        rules=the_rules,
        clock=clock,
        throttle=Throttle(throttle_store or InMemoryThrottleStore(), BucketNames(names_key, the_rules.throttle)),
        locator=locator or GeoIpLocator(),
    )


@dataclass
class Service:
    """A bootstrapped auth_service: its dependencies and what runs or closes beside the server."""

    deps: Dependencies
    key_watcher: KeyWatcher
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    background: list[Callable[[], Coroutine[Any, Any, None]]] = field(default_factory=list)
    """What runs beside the server until it stops (cluster mode: following Redis as a validator)."""
    dependencies: list[Dependency] = field(default_factory=list)
    """What the service cannot answer without; its health is NOT_SERVING while one is unreachable."""

    async def close(self) -> None:
        for close in self.closers:
            await close()


async def bootstrap(config: Config, tls: TlsIdentity) -> Service:
    codec, watcher = load_codec(
        pathlib.Path(config.signing_keys_dir),
        config.access_token_ttl_seconds,
        clock_skew_seconds=config.access_token_clock_skew_seconds,
        cache_size=config.access_token_cache_size,
    )
    engine = make_engine(config.database_url)
    await in_thread(prepare_schema, engine, HISTORY, migrate=config.migrate_on_start)
    uow = unit_of_work_factory(engine)
    device_channel = tls.channel(config.device_address, "device_service")
    store = throttle_store(config)
    locator = GeoIpLocator()
    await in_thread(locator.load)
    registry = GrpcDeviceRegistry(device_channel, config.rpc_timeout_seconds)
    deps = build(config, uow, codec, registry, throttle_store=store, locator=locator)
    await load_index(deps.uow(), deps.index)

    async def dispose_engine() -> None:
        await in_thread(engine.dispose)

    service = Service(
        deps, watcher, [device_channel.close, store.close, dispose_engine], dependencies=[DatabaseProbe(engine)]
    )
    if config.throttle_redis_url:
        service.dependencies.append(RedisProbe(config.throttle_redis_url, "the throttle's Redis"))
    return revocation_transport(config, service)


def revocation_transport(config: Config, service: Service) -> Service:
    """Embedded (no REVOCATION_REDIS_URL): the leases `build` made live here, counted by a gauge, their
    head the feed's last sequence. Cluster: `_redis_transport`."""
    if config.revocation_redis_url:
        return _redis_transport(config, service)
    registry = service.deps.events.acknowledgements.registry
    assert isinstance(registry, MemoryLeaseRegistry)
    registry.note_head(service.deps.index.last_sequence)
    VALIDATORS_LIVE.set_function(registry.live)
    # Embedded, this process's index is the source: always current, never behind.
    validators.export(AlwaysCurrent(config.validator_name, service.deps.index))
    return service


def _redis_transport(config: Config, service: Service) -> Service:
    """Cluster mode: leases in Redis (`RedisLeaseRegistry`), each committed entry published to the stream
    (`RedisRevocationBus`), and this replica a validator of its own (`RedisValidatorLink`) that follows the
    stream into the index validation reads, filling gaps from this replica's database.
    The revoking replica's own entries reach its index inside the revoking transaction (as embedded)."""
    from common import revocation_redis as redis  # redis-py's asyncio client, only in cluster mode

    deps = service.deps
    url, prefix, lease = config.revocation_redis_url, config.revocation_redis_prefix, config.validator_lease_seconds
    registry = redis.RedisLeaseRegistry.from_url(url, prefix, ttl_seconds=lease)
    VALIDATORS_LIVE.set_function(lambda: registry.live_seen)
    bus = redis.RedisRevocationBus.from_url(url, prefix)
    validator = Validator(validators.new_validator_id(config.validator_name), deps.index, lease_ttl_seconds=lease)
    validators.export(validator)

    async def catch_up_from_database(after_sequence: int) -> list[Revocation]:
        """What the stream missed: the entries after `after_sequence`, from this replica's own database, in
        feed order (the link applies them through the validator)."""
        missed: list[Revocation] = []
        while True:
            page, _ = await read_feed(deps.uow(), after_sequence, FEED_PAGE_MAX)
            missed += page
            if len(page) < FEED_PAGE_MAX:
                return missed
            after_sequence = page[-1].sequence

    link = redis.RedisValidatorLink(validator, catch_up_from_database, url=url, prefix=prefix)
    deps.events.acknowledgements = Acknowledgements(registry, lease, bus=bus)
    service.deps = replace(deps, validator=validator)
    service.background.append(link.run)
    service.closers += [registry.close, bus.close, link.close]
    service.dependencies.append(RedisProbe(url, "the revocations' Redis"))
    return service
