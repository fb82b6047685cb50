"""Settings of device_service, from environment variables (common.config)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from common.config import ProcessSettings, env, sqlite_default


class Config(ProcessSettings):
    # An empty variable means its default, as `VAR= python -m device_service` always has.
    model_config = SettingsConfigDict(env_ignore_empty=True)

    address: str = env("DEVICE_ADDRESS", "127.0.0.1:50052")
    metrics_host: str = env("METRICS_HOST", "127.0.0.1")
    metrics_port: int = env("DEVICE_METRICS_PORT", 9102, description="0 turns the metrics endpoint off")
    database_url: str = Field(
        default_factory=lambda: sqlite_default("device_service"), validation_alias="DEVICE_DATABASE_URL"
    )
    migrate_on_start: bool = env(
        "MIGRATE_ON_START",
        True,
        description=(
            "upgrade the database schema to this release's head at start-up; false (several replicas): run "
            "`python -m device_service migrate` once before they start, and a replica refuses to start unless at head"
        ),
    )
    grace_seconds: float = env("GRACE_SECONDS", 5.0)
    health_check_interval_seconds: float = env(
        "HEALTH_CHECK_INTERVAL_SECONDS",
        2.0,
        gt=0,
        description=(
            "how often the database is probed (SELECT 1); health is NOT_SERVING while it does not answer "
            "(common.readiness)"
        ),
    )
    inactive_days: int = env(
        "DEVICE_INACTIVE_DAYS", 90, description="devices not seen for this long are listed only on request"
    )
    usual_location_days: int = env(
        "DEVICE_USUAL_LOCATION_DAYS",
        90,
        ge=1,
        description="a device's last country is unusual unless another device signed in from it this recently",
    )
    auth_address: str = env("AUTH_ADDRESS", "127.0.0.1:50051")
    rpc_timeout_seconds: float = env("RPC_TIMEOUT_SECONDS", 2.0)
    feed_poll_seconds: float = env("FEED_POLL_SECONDS", 1.0)
    reflection: bool = env("GRPC_REFLECTION", False, description="gRPC server reflection, off unless enabled")
