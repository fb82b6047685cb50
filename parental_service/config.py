"""parental_service settings, read from environment variables."""

from __future__ import annotations

from dataclasses import dataclass, field

from common.secret_files import read_secret
from common.settings import database_url, env_bool, env_float, env_int, env_str


@dataclass(frozen=True)
class Config:
    address: str = "127.0.0.1:50053"
    metrics_host: str = "127.0.0.1"
    metrics_port: int = 9103
    database_url: str = "sqlite:///data/parental_service.db"
    grace_seconds: float = 5.0
    rpc_timeout_seconds: float = 2.0
    auth_address: str = "127.0.0.1:50051"
    feed_poll_seconds: float = 1.0
    titles_path: str = ""
    reflection: bool = False
    """GRPC_REFLECTION: server reflection, off unless enabled."""
    """The title catalogue's JSON file; empty means the one shipped in parental_service/data."""
    pin_pepper: bytes = field(default=b"", repr=False)
    """The key every PIN hash is made with (argon2id over HMAC-SHA256(pepper, PIN)), kept out of the database.
    Read at start-up from the file PARENTAL_PIN_PEPPER_FILE names (default `<data dir>/secrets/pin_pepper`, at
    least 32 bytes); a missing or short file stops the service. Changing it makes every stored PIN unverifiable."""

    @classmethod
    def from_env(cls) -> Config:
        return cls(
            address=env_str("PARENTAL_ADDRESS", cls.address),
            metrics_host=env_str("METRICS_HOST", cls.metrics_host),
            metrics_port=env_int("PARENTAL_METRICS_PORT", cls.metrics_port),
            database_url=database_url("PARENTAL_DATABASE_URL", "parental_service"),
            grace_seconds=env_float("GRACE_SECONDS", cls.grace_seconds),
            rpc_timeout_seconds=env_float("RPC_TIMEOUT_SECONDS", cls.rpc_timeout_seconds),
            auth_address=env_str("AUTH_ADDRESS", cls.auth_address),
            feed_poll_seconds=env_float("FEED_POLL_SECONDS", cls.feed_poll_seconds),
            titles_path=env_str("PARENTAL_TITLES_PATH", cls.titles_path),
            reflection=env_bool("GRPC_REFLECTION", cls.reflection),
            pin_pepper=read_secret("PARENTAL_PIN_PEPPER_FILE", "pin_pepper"),
        )
