"""Wires the real adapters into the use cases; tests pass fakes instead."""

from __future__ import annotations

from collections.abc import Callable

from common.clock import now_us
from device_service.adapters.database import session_factory_for
from device_service.adapters.geoip import GeoIpLocator
from device_service.adapters.unit_of_work import SqlAlchemyUnitOfWork
from device_service.config import Config
from device_service.service_layer.dependencies import Dependencies
from device_service.service_layer.ports import Locator, UnitOfWork


def bootstrap(
    config: Config,
    *,
    uow: Callable[[], UnitOfWork] | None = None,
    locator: Locator | None = None,
    clock: Callable[[], int] = now_us,
) -> Dependencies:
    if uow is None:
        _engine, sessions = session_factory_for(config.database_url)

        def uow() -> UnitOfWork:
            return SqlAlchemyUnitOfWork(sessions)

    return Dependencies(
        uow=uow,
        locator=locator if locator is not None else GeoIpLocator(),
        clock=clock,
        inactive_days=config.inactive_days,
    )
