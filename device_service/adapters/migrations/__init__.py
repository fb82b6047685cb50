"""device_service's schema history (Alembic): env.py, script.py.mako and versions/ beside this file.

A schema change is a model change in device_service/adapters/orm.py plus a file in versions/ (README,
"Migrations"); common.migrations runs them.
"""

from __future__ import annotations

import pathlib

from common.migrations import History
from device_service.adapters.orm import Base

HISTORY = History(
    service="device_service",
    script_location=pathlib.Path(__file__).parent,
    version_table="alembic_version_device",
    metadata=Base.metadata,
    initial_tables=frozenset(
        {
            "devices",
            "applied_revocations",
            "viewing_activity",
            "streaming_activity",
            "downloads",
            "feed_cursor",
        }
    ),
)
