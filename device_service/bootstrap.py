"""Wires device_service: the real adapters, or the fakes tests pass instead."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from common.clock import now_us
from common.migrations import prepare_schema
from common.readiness import DatabaseProbe, Dependency
from common.revocation_delivery import FeedEntries
from device_service.adapters.geoip import GeoIpLocator
from device_service.adapters.migrations import HISTORY
from device_service.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from device_service.config import Config
from device_service.service_layer.ports import Clock, Locator
from device_service.service_layer.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Dependencies:
    """What the servicer hands the handlers: a new unit of work per call, and the rest."""

    uow: Callable[[], UnitOfWork]
    locator: Locator
    feed: FeedEntries
    """auth_service's feed, to check ApplyRevocation calls from callers other than auth_service."""
    clock: Clock = now_us
    inactive_days: int = 90
    usual_location_days: int = 90
    dependencies: tuple[Dependency, ...] = ()
    """Not for the handlers: what the service's health follows (common.readiness), its database."""


def bootstrap(
    config: Config,
    feed: FeedEntries,
    *,
    uow: Callable[[], UnitOfWork] | None = None,
    locator: Locator | None = None,
    clock: Clock = now_us,
) -> Dependencies:
    dependencies: list[Dependency] = []
    if uow is None:
        engine, sessions = session_factory(config.database_url)
        prepare_schema(engine, HISTORY, migrate=config.migrate_on_start)
        dependencies.append(DatabaseProbe(engine))

        def uow() -> UnitOfWork:
            return SqlAlchemyUnitOfWork(sessions)

    return Dependencies(
        uow=uow,
        locator=locator if locator is not None else GeoIpLocator(),
        feed=feed,
        clock=clock,
        inactive_days=config.inactive_days,
        usual_location_days=config.usual_location_days,
        dependencies=tuple(dependencies),
    )
