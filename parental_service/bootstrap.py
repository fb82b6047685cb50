"""Wires parental_service: the real adapters, or the fakes tests pass instead."""

from __future__ import annotations

import pathlib
from collections.abc import Callable
from dataclasses import dataclass, field

from common.clock import now_us
from common.migrations import prepare_schema
from common.readiness import DatabaseProbe, Dependency, RedisProbe
from common.revocation_delivery import FeedEntries
from parental_service.adapters.migrations import HISTORY
from parental_service.adapters.pin_hasher import Argon2PinHasher
from parental_service.adapters.title_file import DEFAULT_TITLES_PATH, load_titles
from parental_service.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from parental_service.config import Config
from parental_service.service_layer.catalogue import TitleCatalogue
from parental_service.service_layer.ports import Clock, PinHasher, PlaybackStops
from parental_service.service_layer.stop_hub import PlaybackStopHub
from parental_service.service_layer.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Dependencies:
    """What the servicer hands the handlers: a new unit of work per call, and the rest."""

    uow: Callable[[], UnitOfWork]
    catalogue: TitleCatalogue
    hasher: PinHasher
    feed: FeedEntries
    """auth_service's feed, to check ApplyRevocation calls from callers other than auth_service."""
    clock: Clock = now_us
    stops: PlaybackStops = field(default_factory=PlaybackStopHub)
    """This process's watchers only, or every replica's (playback_stops)."""
    dependencies: tuple[Dependency, ...] = ()
    """Not for the handlers: what the service's health follows (common.readiness), its database and the
    Redis of PARENTAL_REDIS_URL."""


def bootstrap(
    config: Config,
    feed: FeedEntries,
    *,
    uow: Callable[[], UnitOfWork] | None = None,
    clock: Clock = now_us,
    catalogue: TitleCatalogue | None = None,
    hasher: PinHasher | None = None,
) -> Dependencies:
    dependencies: list[Dependency] = []
    if uow is None:
        engine, sessions = session_factory(config.database_url)
        prepare_schema(engine, HISTORY, migrate=config.migrate_on_start)
        dependencies.append(DatabaseProbe(engine))

        def uow() -> UnitOfWork:
            return SqlAlchemyUnitOfWork(sessions)

    if config.redis_url:
        dependencies.append(RedisProbe(config.redis_url, "the playback stops' Redis"))

    if catalogue is None:
        path = pathlib.Path(config.titles_path) if config.titles_path else DEFAULT_TITLES_PATH
        catalogue = TitleCatalogue(load_titles(path))
    return Dependencies(
        uow=uow,
        catalogue=catalogue,
        hasher=hasher or Argon2PinHasher(config.pin_pepper),
        feed=feed,
        clock=clock,
        stops=playback_stops(config),
        dependencies=tuple(dependencies),
    )


def playback_stops(config: Config) -> PlaybackStops:
    """In this process, or through the Redis of PARENTAL_REDIS_URL (it connects when started)."""
    if config.redis_url:
        from parental_service.adapters.redis_stops import RedisStopHub  # redis-py only when used

        return RedisStopHub.from_url(config.redis_url, config.redis_prefix)
    return PlaybackStopHub()
