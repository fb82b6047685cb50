"""Wires auth_service from its config: real adapters here, fakes in unit tests.

`build` makes the handlers' Dependencies from what it is given (no I/O);
`bootstrap` is the real thing: keys from their directory (or SystemExit before
touching the database), the SQLAlchemy unit of work, device_service over
mutual TLS, the revocation index rebuilt from the feed.
"""

from __future__ import annotations

import pathlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from auth_service.adapters.device_registry import GrpcDeviceRegistry
from auth_service.adapters.signing_keys import KeyWatcher, load_codec
from auth_service.adapters.unit_of_work import unit_of_work_factory
from auth_service.config import Config
from auth_service.domain.model import Lifetimes, Rules
from auth_service.domain.revocation_index import RevocationIndex
from auth_service.domain.throttle import ThrottlePolicy
from auth_service.domain.tokens import RefreshTokenHashes
from auth_service.service_layer.dependencies import Dependencies
from auth_service.service_layer.ports import Clock, DeviceRegistry, TokenCodec
from auth_service.service_layer.revocations import load_index
from auth_service.service_layer.session_events import SessionEvents
from auth_service.service_layer.unit_of_work import UnitOfWorkFactory
from common.clock import now_us
from common.db import make_engine
from common.tls import TlsIdentity
from common.unit_of_work import in_thread


def rules(config: Config) -> Rules:
    """The rules `config` sets; ValueError if the refresh-token key is missing or short."""
    return Rules(
        Lifetimes(
            config.access_token_ttl_seconds,
            config.session_idle_timeout_seconds,
            config.session_max_lifetime_seconds,
            config.step_up_seconds,
        ),
        ThrottlePolicy(config.sign_in_throttle_after),
        RefreshTokenHashes(config.refresh_token_key),
    )


def build(
    config: Config, uow: UnitOfWorkFactory, codec: TokenCodec, devices: DeviceRegistry, clock: Clock = now_us
) -> Dependencies:
    """The handlers' dependencies, with an empty revocation index (`load_index` fills it from the feed)."""
    index = RevocationIndex()
    return Dependencies(
        uow=uow,
        codec=codec,
        index=index,
        events=SessionEvents(index),
        devices=devices,
        rules=rules(config),
        clock=clock,
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
    uow = await in_thread(unit_of_work_factory, engine)
    device_channel = tls.channel(config.device_address, "device_service")
    deps = build(config, uow, codec, GrpcDeviceRegistry(device_channel, config.rpc_timeout_seconds))
    await load_index(deps.uow(), deps.index)

    async def dispose_engine() -> None:
        await in_thread(engine.dispose)

    return Service(deps, watcher, [device_channel.close, dispose_engine])
