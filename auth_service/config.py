"""auth_service settings, from environment variables."""

from __future__ import annotations

from dataclasses import dataclass, field

from auth_service.adapters.signing_keys import signing_keys_dir
from common.secret_files import read_secret
from common.settings import database_url, env_bool, env_float, env_int, env_str

DAY = 24 * 3600


@dataclass(frozen=True)
class Config:
    address: str = "127.0.0.1:50051"
    device_address: str = "127.0.0.1:50052"
    metrics_host: str = "127.0.0.1"
    metrics_port: int = 9101
    database_url: str = "sqlite:///data/auth_service.db"
    signing_keys_dir: str = "data/secrets/signing_keys"
    keys_reload_seconds: float = 0.25
    access_token_ttl_seconds: int = 15 * 60
    access_token_clock_skew_seconds: int = 30
    access_token_cache_size: int = 50_000
    session_idle_timeout_seconds: int = 30 * DAY
    session_max_lifetime_seconds: int = 365 * DAY
    sign_in_throttle_after: int = 5
    rpc_timeout_seconds: float = 2.0
    grace_seconds: float = 5.0
    reflection: bool = False
    refresh_token_key: bytes = field(default=b"", repr=False)
    """HMAC-SHA256 key of the stored refresh-token hashes, kept out of the database. Read at start-up from the
    file AUTH_REFRESH_TOKEN_KEY_FILE names (default `<data dir>/secrets/refresh_token_key`, at least 32 bytes);
    a missing or short file stops the service. Changing it invalidates every refresh token issued with it."""

    @staticmethod
    def from_env() -> Config:
        return Config(
            address=env_str("AUTH_ADDRESS", Config.address),
            device_address=env_str("DEVICE_ADDRESS", Config.device_address),
            metrics_host=env_str("METRICS_HOST", Config.metrics_host),
            metrics_port=env_int("AUTH_METRICS_PORT", Config.metrics_port),
            database_url=database_url("AUTH_DATABASE_URL", "auth_service"),
            signing_keys_dir=str(signing_keys_dir()),
            keys_reload_seconds=env_float("AUTH_KEYS_RELOAD_SECONDS", Config.keys_reload_seconds),
            access_token_ttl_seconds=env_int("ACCESS_TOKEN_TTL_SECONDS", Config.access_token_ttl_seconds),
            access_token_clock_skew_seconds=env_int("ACCESS_TOKEN_CLOCK_SKEW_SECONDS",
                                                    Config.access_token_clock_skew_seconds),
            access_token_cache_size=env_int("ACCESS_TOKEN_CACHE_SIZE", Config.access_token_cache_size),
            session_idle_timeout_seconds=env_int("SESSION_IDLE_TIMEOUT_SECONDS", Config.session_idle_timeout_seconds),
            session_max_lifetime_seconds=env_int("SESSION_MAX_LIFETIME_SECONDS", Config.session_max_lifetime_seconds),
            sign_in_throttle_after=env_int("SIGN_IN_THROTTLE_AFTER", Config.sign_in_throttle_after),
            rpc_timeout_seconds=env_float("RPC_TIMEOUT_SECONDS", Config.rpc_timeout_seconds),
            grace_seconds=env_float("GRACE_SECONDS", Config.grace_seconds),
            reflection=env_bool("GRPC_REFLECTION", Config.reflection),
            refresh_token_key=read_secret("AUTH_REFRESH_TOKEN_KEY_FILE", "refresh_token_key"),
        )
