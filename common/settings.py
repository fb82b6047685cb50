"""Reading settings from environment variables, with the defaults in docs/architecture.md (Processes)."""

from __future__ import annotations

import os
import pathlib


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be an integer, got {raw!r}") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a number, got {raw!r}") from None


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def data_dir() -> pathlib.Path:
    """The folder for SQLite files: $REMOTESIGNOUT_DATA_DIR, or ./data."""
    return pathlib.Path(env_str("REMOTESIGNOUT_DATA_DIR", "data"))


def database_url(variable: str, service: str) -> str:
    """The service's SQLAlchemy URL: $<variable>, or a SQLite file under data_dir()."""
    return env_str(variable, f"sqlite:///{data_dir() / (service + '.db')}")
