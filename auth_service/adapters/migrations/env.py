"""Alembic's entry into auth_service's history: common.migrations.run_environment does the work."""

from auth_service.adapters.migrations import HISTORY
from common.migrations import run_environment

run_environment(HISTORY)
