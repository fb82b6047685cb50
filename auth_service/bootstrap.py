"""Wires auth_service from its config: real adapters here, fakes in unit tests."""

from __future__ import annotations

import pathlib
from dataclasses import dataclass

from grpc import aio

from auth_service.adapters.access_tokens import AccessTokenCodec
from auth_service.adapters.device_registry import GrpcDeviceRegistry
from auth_service.adapters.repository import SqlAlchemyStore
from auth_service.adapters.signing_keys import KeyWatcher, load_codec
from auth_service.config import Config
from auth_service.domain.revocation_index import RevocationIndex
from auth_service.domain.throttle import ThrottlePolicy
from auth_service.domain.tokens import RefreshTokenHashes
from auth_service.entrypoints.servicer import AuthServicer
from auth_service.service_layer.accounts import Accounts
from auth_service.service_layer.introspection import Tokens
from auth_service.service_layer.ports import DeviceRegistry, Store
from auth_service.service_layer.revocations import Revoker
from auth_service.service_layer.session_events import SessionEvents
from auth_service.service_layer.sessions import Lifetimes, Sessions
from auth_service.service_layer.validation import Validator
from common.db import make_engine
from common.tls import TlsIdentity


@dataclass
class App:
    accounts: Accounts
    sessions: Sessions
    validator: Validator
    revoker: Revoker
    events: SessionEvents
    index: RevocationIndex
    tokens: Tokens
    device_channel: aio.Channel | None = None
    key_watcher: KeyWatcher | None = None  # reloads the signing keys from their directory

    def servicer(self) -> AuthServicer:
        return AuthServicer(self)

    async def close(self) -> None:
        if self.device_channel is not None:
            await self.device_channel.close()


def build(config: Config, store: Store, codec: AccessTokenCodec, devices: DeviceRegistry) -> App:
    index = RevocationIndex()
    events = SessionEvents(index)
    revoker = Revoker(store, index, events)
    revoker.load()
    lifetimes = Lifetimes(
        config.access_token_ttl_seconds, config.session_idle_timeout_seconds, config.session_max_lifetime_seconds
    )
    accounts = Accounts(store, revoker, ThrottlePolicy(config.sign_in_throttle_after))
    sessions = Sessions(store, codec, index, revoker, accounts, devices, lifetimes,
                        RefreshTokenHashes(config.refresh_token_key))
    validator = Validator(codec, index)
    return App(accounts, sessions, validator, revoker, events, index, Tokens(store, validator, revoker, sessions))


def bootstrap(config: Config, tls: TlsIdentity) -> App:
    """The real thing: keys from their directory (or SystemExit), SQLAlchemy store, device_service over gRPC."""
    codec, watcher = load_codec(pathlib.Path(config.signing_keys_dir), config.access_token_ttl_seconds,
                                clock_skew_seconds=config.access_token_clock_skew_seconds,
                                cache_size=config.access_token_cache_size)
    store = SqlAlchemyStore(make_engine(config.database_url))
    device_channel = tls.channel(config.device_address, "device_service")
    app = build(config, store, codec, GrpcDeviceRegistry(device_channel, config.rpc_timeout_seconds))
    app.device_channel = device_channel
    app.key_watcher = watcher
    return app
