"""Wires auth_service from its config: real adapters here, fakes in unit tests.

`build` makes the handlers' Dependencies from what it is given (no I/O);
`bootstrap` is the real thing: keys from their directory (or SystemExit before
touching the database), the schema brought to head (or checked: MIGRATE_ON_START),
the SQLAlchemy unit of work, device_service over mutual TLS, the revocation index
rebuilt from the feed.
"""

from __future__ import annotations

import hashlib
import hmac
import pathlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from auth_service.adapters.common_passwords import load_password_policy
from auth_service.adapters.device_registry import GrpcDeviceRegistry
from auth_service.adapters.migrations import HISTORY
from auth_service.adapters.signing_keys import KeyWatcher, load_codec
from auth_service.adapters.throttle_store import InMemoryThrottleStore
from auth_service.adapters.unit_of_work import unit_of_work_factory
from auth_service.config import Config
from auth_service.domain.model import Lifetimes, Rules
from common.revocation_index import RevocationIndex
from auth_service.domain.throttle import BucketNames, Limit, ThrottlePolicy
from auth_service.domain.tokens import RefreshTokenHashes
from auth_service.service_layer.dependencies import Dependencies
from auth_service.service_layer.ports import Clock, DeviceRegistry, ThrottleStore, TokenCodec
from auth_service.service_layer.revocations import load_index
from auth_service.service_layer.session_events import SessionEvents
from auth_service.service_layer.throttle import Throttle
from auth_service.service_layer.unit_of_work import UnitOfWorkFactory
from common.clock import now_us
from common.db import make_engine
from common.migrations import prepare_schema
from common.tls import TlsIdentity
from common.unit_of_work import in_thread


def throttle_policy(config: Config) -> ThrottlePolicy:
    return ThrottlePolicy(
        source=Limit(config.source_throttle_after, config.source_throttle_refill_seconds),
        account=Limit(config.sign_in_throttle_after, config.sign_in_throttle_refill_seconds),
        device=Limit(config.device_throttle_after, config.device_throttle_refill_seconds),
        password_check=Limit(config.password_check_throttle_after, config.password_check_throttle_refill_seconds),
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
) -> Dependencies:
    """The handlers' dependencies, with an empty revocation index (`load_index` fills it from the feed) and,
    unless given a store, the throttle's buckets in memory."""
    index = RevocationIndex()
    the_rules = rules(config)
    # Bucket names are keyed by a key derived from the refresh-token key: every instance names them alike,
    # and a shared store holds no email, address or client_id.
    names_key = hmac.new(config.refresh_token_key, b"remotesignout throttle bucket names", hashlib.sha256).digest()
    return Dependencies(
        uow=uow,
        codec=codec,
        index=index,
        events=SessionEvents(index),
        devices=devices,
        rules=the_rules,
        clock=clock,
        throttle=Throttle(throttle_store or InMemoryThrottleStore(), BucketNames(names_key, the_rules.throttle)),
    )


@dataclass
class Service:
    """A bootstrapped auth_service: its dependencies and what runs or closes beside the server."""

    deps: Dependencies
    key_watcher: KeyWatcher
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

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
    deps = build(
        config, uow, codec, GrpcDeviceRegistry(device_channel, config.rpc_timeout_seconds), throttle_store=store
    )
    await load_index(deps.uow(), deps.index)

    async def dispose_engine() -> None:
        await in_thread(engine.dispose)

    return Service(deps, watcher, [device_channel.close, store.close, dispose_engine])
