"""Settings of parental_service, from environment variables (common.config)."""

from __future__ import annotations

from typing import Any, Self

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from common.config import ProcessSettings, env, sqlite_default
from common.secret_files import read_secret


class Config(ProcessSettings):
    # An empty variable means its default, as `VAR= python -m parental_service` always has.
    model_config = SettingsConfigDict(env_ignore_empty=True)

    address: str = env("PARENTAL_ADDRESS", "127.0.0.1:50053")
    metrics_host: str = env("METRICS_HOST", "127.0.0.1")
    metrics_port: int = env("PARENTAL_METRICS_PORT", 9103, description="0 turns the metrics endpoint off")
    database_url: str = Field(
        default_factory=lambda: sqlite_default("parental_service"), validation_alias="PARENTAL_DATABASE_URL"
    )
    migrate_on_start: bool = env(
        "MIGRATE_ON_START",
        True,
        description=(
            "upgrade the database schema to this release's head at start-up; false (several replicas): run "
            "`python -m parental_service migrate` once before they start, and a replica refuses to start unless at head"
        ),
    )
    grace_seconds: float = env("GRACE_SECONDS", 5.0)
    health_check_interval_seconds: float = env(
        "HEALTH_CHECK_INTERVAL_SECONDS",
        2.0,
        gt=0,
        description=(
            "how often the database (and Redis, with PARENTAL_REDIS_URL) is probed; health is NOT_SERVING "
            "while one does not answer (common.readiness)"
        ),
    )
    rpc_timeout_seconds: float = env("RPC_TIMEOUT_SECONDS", 2.0)
    auth_address: str = env("AUTH_ADDRESS", "127.0.0.1:50051")
    feed_poll_seconds: float = env("FEED_POLL_SECONDS", 1.0)
    titles_path: str = env(
        "PARENTAL_TITLES_PATH",
        "",
        description="the title catalogue's JSON file; empty means the one shipped in parental_service/data",
    )
    redis_url: str = env(
        "PARENTAL_REDIS_URL",
        "",
        repr=False,
        description=(
            "Empty: a playback stop reaches the WatchPlaybackStops streams of this process only. A redis:// URL "
            "(it may hold a password: never logged): every replica publishes its stops there and hears every "
            "other's, so a stream held by any replica hears every stop of its account once."
        ),
    )
    redis_prefix: str = env(
        "PARENTAL_REDIS_PREFIX",
        "remotesignout:parental:",
        description="what the Redis channel's name starts with (deployments sharing one Redis each use their own)",
    )
    reflection: bool = env("GRPC_REFLECTION", False, description="gRPC server reflection, off unless enabled")
    pin_pepper: bytes = Field(
        b"",
        repr=False,
        description=(
            "The key every PIN hash is made with (argon2id over HMAC-SHA256(pepper, PIN)), kept out of the database. "
            "Read at start-up from the file PARENTAL_PIN_PEPPER_FILE names (default `<data dir>/secrets/pin_pepper`, "
            "at least 32 bytes); a missing or short file stops the service. Changing it makes every stored PIN "
            "unverifiable."
        ),
    )

    @classmethod
    def from_env(cls, **read_elsewhere: Any) -> Self:
        """Settings from the environment, and the PIN pepper from its file (common.secret_files)."""
        if "pin_pepper" not in read_elsewhere:
            read_elsewhere["pin_pepper"] = read_secret("PARENTAL_PIN_PEPPER_FILE", "pin_pepper")
        return super().from_env(**read_elsewhere)
