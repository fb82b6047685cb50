"""auth_service's schema history (Alembic): env.py, script.py.mako and versions/ beside this file.

A schema change is a model change in auth_service/adapters/orm.py plus a file in versions/ (README,
"Migrations"); common.migrations runs them.
"""

from __future__ import annotations

import pathlib

from auth_service.adapters.orm import Base
from common.migrations import History

HISTORY = History(
    service="auth_service",
    script_location=pathlib.Path(__file__).parent,
    version_table="alembic_version_auth",
    metadata=Base.metadata,
    initial_tables=frozenset({"accounts", "sessions", "refresh_tokens", "known_devices", "revocations"}),
)
