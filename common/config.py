"""One config convention for the four processes: pydantic-settings.

A process's settings are a `ProcessSettings` subclass. Each field names the
environment variable it reads with `env("AUTH_ADDRESS", default)` (the names the
README lists), falls back to its default, and is validated by its type. A bad
value stops the process with one line naming the variable, never a traceback.
Tests build settings directly by field name: `Config(address="127.0.0.1:0")`.

Secrets are never environment values: a field holding one is filled from the
file its `*_FILE` variable names (common.secret_files), passed to `from_env`.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from common.settings import data_dir


def env(variable: str, default: Any = ..., **kwargs: Any) -> Any:
    """A settings field read from `variable`."""
    return Field(default, validation_alias=variable, **kwargs)


def sqlite_default(service: str) -> str:
    """The embedded default database of `service`: a SQLite file under the data folder."""
    return f"sqlite:///{data_dir() / (service + '.db')}"


class ProcessSettings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    @classmethod
    def from_env(cls, **read_elsewhere: Any) -> Self:
        """Settings from the environment; `read_elsewhere` (secrets from files) wins over it."""
        try:
            return cls(**read_elsewhere)
        except ValidationError as error:
            problem = error.errors()[0]
            field = str(problem["loc"][0]) if problem["loc"] else ""
            info = cls.model_fields.get(field)
            variable = info.validation_alias if info is not None and info.validation_alias else field
            raise SystemExit(f"{variable}: {problem['msg']}") from None
