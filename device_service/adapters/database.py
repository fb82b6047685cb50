"""The engine and session factory of device_service's database."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from common.db import make_engine, make_session_factory
from device_service.adapters.orm import Base


def session_factory_for(url: str) -> tuple[Engine, sessionmaker[Session]]:
    """The engine and session factory, tables created if missing."""
    engine = make_engine(url)
    return engine, make_session_factory(engine, Base)
