"""Wires parental_service's real adapters; tests pass fakes instead."""

from __future__ import annotations

import pathlib

from common.clock import now_us
from common.db import make_engine, make_session_factory
from parental_service.adapters.orm import Base
from parental_service.adapters.pin_hasher import Argon2PinHasher
from parental_service.adapters.title_file import DEFAULT_TITLES_PATH, load_titles
from parental_service.adapters.unit_of_work import SqlAlchemyUnitOfWork
from parental_service.config import Config
from parental_service.service_layer.app import ParentalApp, PinHasher
from parental_service.service_layer.catalogue import TitleCatalogue
from parental_service.service_layer.unit_of_work import Clock, UnitOfWorkFactory


def bootstrap(
    config: Config,
    *,
    uow_factory: UnitOfWorkFactory | None = None,
    clock: Clock = now_us,
    catalogue: TitleCatalogue | None = None,
    hasher: PinHasher | None = None,
) -> ParentalApp:
    if uow_factory is None:
        session_factory = make_session_factory(make_engine(config.database_url), Base)

        def uow_factory() -> SqlAlchemyUnitOfWork:
            return SqlAlchemyUnitOfWork(session_factory)

    if catalogue is None:
        path = pathlib.Path(config.titles_path) if config.titles_path else DEFAULT_TITLES_PATH
        catalogue = TitleCatalogue(load_titles(path))
    return ParentalApp(uow_factory, clock, catalogue, hasher or Argon2PinHasher(config.pin_pepper))
