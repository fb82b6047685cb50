"""parental_service's schema history (Alembic): env.py, script.py.mako and versions/ beside this file.

A schema change is a model change in parental_service/adapters/orm.py plus a file in versions/ (README,
"Migrations"); common.migrations runs them.
"""

from __future__ import annotations

import pathlib

from common.migrations import History
from parental_service.adapters.orm import Base

HISTORY = History(
    service="parental_service",
    script_location=pathlib.Path(__file__).parent,
    version_table="alembic_version_parental",
    metadata=Base.metadata,
    initial_tables=frozenset(
        {
            "profiles",
            "active_playbacks",
            "applied_revocations",
            "blocked_titles",
            "viewing_schedules",
            "pin_entries",
            "audit_events",
            "feed_cursor",
        }
    ),
)
