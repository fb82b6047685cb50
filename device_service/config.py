"""Settings of device_service, from environment variables."""

from __future__ import annotations

from dataclasses import dataclass

from common.settings import database_url, env_bool, env_float, env_int, env_str


@dataclass(frozen=True)
class Config:
    address: str
    metrics_host: str
    metrics_port: int
    database_url: str
    grace_seconds: float
    inactive_days: int
    auth_address: str = "127.0.0.1:50051"
    rpc_timeout_seconds: float = 2.0
    feed_poll_seconds: float = 1.0
    reflection: bool = False  # GRPC_REFLECTION: server reflection (off unless enabled)

    @classmethod
    def from_env(cls) -> Config:
        return cls(
            address=env_str("DEVICE_ADDRESS", "127.0.0.1:50052"),
            metrics_host=env_str("METRICS_HOST", "127.0.0.1"),
            metrics_port=env_int("DEVICE_METRICS_PORT", 9102),
            database_url=database_url("DEVICE_DATABASE_URL", "device_service"),
            grace_seconds=env_float("GRACE_SECONDS", 5.0),
            inactive_days=env_int("DEVICE_INACTIVE_DAYS", 90),
            auth_address=env_str("AUTH_ADDRESS", "127.0.0.1:50051"),
            rpc_timeout_seconds=env_float("RPC_TIMEOUT_SECONDS", 2.0),
            feed_poll_seconds=env_float("FEED_POLL_SECONDS", 1.0),
            reflection=env_bool("GRPC_REFLECTION", False),
        )
