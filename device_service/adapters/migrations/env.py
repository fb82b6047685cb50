"""Alembic's entry into device_service's history: common.migrations.run_environment does the work."""

from common.migrations import run_environment
from device_service.adapters.migrations import HISTORY

run_environment(HISTORY)
