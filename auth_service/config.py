"""auth_service settings: environment variables (common.config), secrets from files (common.secret_files)."""

from __future__ import annotations

from typing import Any, Self

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from auth_service.adapters.signing_keys import signing_keys_dir
from common.config import ProcessSettings, env, sqlite_default
from common.secret_files import read_secret

DAY = 24 * 3600
REFRESH_TOKEN_KEY_FILE = ("AUTH_REFRESH_TOKEN_KEY_FILE", "refresh_token_key")


class Config(ProcessSettings):
    # As before this convention: an empty variable means its default.
    model_config = SettingsConfigDict(env_ignore_empty=True)

    address: str = env("AUTH_ADDRESS", "127.0.0.1:50051")
    device_address: str = env("DEVICE_ADDRESS", "127.0.0.1:50052")
    metrics_host: str = env("METRICS_HOST", "127.0.0.1")
    metrics_port: int = env("AUTH_METRICS_PORT", 9101)
    database_url: str = env("AUTH_DATABASE_URL", default_factory=lambda: sqlite_default("auth_service"))
    migrate_on_start: bool = env("MIGRATE_ON_START", True)
    """Upgrade the database schema to this release's head at start-up. False (several replicas): run
    `python -m auth_service migrate` once before they start; a replica refuses to start unless at head."""
    signing_keys_dir: str = env("AUTH_SIGNING_KEYS_DIR", default_factory=lambda: str(signing_keys_dir()))
    keys_reload_seconds: float = env("AUTH_KEYS_RELOAD_SECONDS", 0.25)
    access_token_ttl_seconds: int = env("ACCESS_TOKEN_TTL_SECONDS", 15 * 60)
    access_token_clock_skew_seconds: int = env("ACCESS_TOKEN_CLOCK_SKEW_SECONDS", 30)
    access_token_cache_size: int = env("ACCESS_TOKEN_CACHE_SIZE", 50_000)
    session_idle_timeout_seconds: int = env("SESSION_IDLE_TIMEOUT_SECONDS", 30 * DAY)
    session_max_lifetime_seconds: int = env("SESSION_MAX_LIFETIME_SECONDS", 365 * DAY)
    # The password throttle (auth_service.domain.throttle): each bucket allows `_AFTER` attempts at once, then
    # one more every `_REFILL_SECONDS`; a right password gives its attempt back.
    sign_in_throttle_after: int = env("SIGN_IN_THROTTLE_AFTER", 5, ge=1)
    """Per account, sign-ins from devices that never signed in to it (unknown emails alike)."""
    sign_in_throttle_refill_seconds: float = env("SIGN_IN_THROTTLE_REFILL_SECONDS", 300.0, gt=0)
    source_throttle_after: int = env("SOURCE_THROTTLE_AFTER", 20, ge=1)
    """Per client address (IPv6: per /64), sign-ins to any email from devices not known to it."""
    source_throttle_refill_seconds: float = env("SOURCE_THROTTLE_REFILL_SECONDS", 60.0, gt=0)
    device_throttle_after: int = env("DEVICE_THROTTLE_AFTER", 10, ge=1)
    """Per (account, device that signed in to it before): that device's own sign-ins, nobody else's."""
    device_throttle_refill_seconds: float = env("DEVICE_THROTTLE_REFILL_SECONDS", 60.0, gt=0)
    password_check_throttle_after: int = env("PASSWORD_CHECK_THROTTLE_AFTER", 5, ge=1)
    """Per account, the password typed behind a session (settings, profile controls); never sign-in's."""
    password_check_throttle_refill_seconds: float = env("PASSWORD_CHECK_THROTTLE_REFILL_SECONDS", 60.0, gt=0)
    user_code_throttle_after: int = env("USER_CODE_THROTTLE_AFTER", 10, ge=1)
    """Per approving session, wrong guesses of a device's user code (RFC 8628 section 5.1)."""
    user_code_throttle_refill_seconds: float = env("USER_CODE_THROTTLE_REFILL_SECONDS", 60.0, gt=0)
    user_code_account_throttle_after: int = env("USER_CODE_ACCOUNT_THROTTLE_AFTER", 20, ge=1)
    """Per approving account, wrong guesses of user codes from any of its sessions (signing in again, which
    makes a new session with a full bucket, does not reset it)."""
    user_code_account_throttle_refill_seconds: float = env("USER_CODE_ACCOUNT_THROTTLE_REFILL_SECONDS", 60.0, gt=0)
    user_code_source_throttle_after: int = env("USER_CODE_SOURCE_THROTTLE_AFTER", 30, ge=1)
    """Per source address (IPv6: per /64), wrong guesses of user codes from any session."""
    user_code_source_throttle_refill_seconds: float = env("USER_CODE_SOURCE_THROTTLE_REFILL_SECONDS", 60.0, gt=0)
    device_code_throttle_after: int = env("DEVICE_CODE_THROTTLE_AFTER", 30, ge=1)
    """Per source address (IPv6: per /64), devices asking for a sign-in code."""
    device_code_throttle_refill_seconds: float = env("DEVICE_CODE_THROTTLE_REFILL_SECONDS", 10.0, gt=0)
    device_code_lifetime_seconds: int = env("DEVICE_CODE_LIFETIME_SECONDS", 600, ge=1)
    """How long a device's sign-in code (RFC 8628: device_code and user_code) lives."""
    device_code_interval_seconds: int = env("DEVICE_CODE_INTERVAL_SECONDS", 5, ge=1, le=60)
    """How often a device may poll for its tokens; polling sooner is slow_down, which adds 5 s for that code."""
    throttle_redis_url: str = env("AUTH_THROTTLE_REDIS_URL", "", repr=False)
    """Empty: the throttle's buckets live in this process. A redis:// URL (it may hold a password: never
    logged): in that Redis, shared by every auth_service instance."""
    throttle_redis_prefix: str = env("AUTH_THROTTLE_REDIS_PREFIX", "remotesignout:throttle:")
    """What the throttle's Redis keys start with (deployments sharing one Redis each use their own)."""
    validator_lease_seconds: float = env("VALIDATOR_LEASE_SECONDS", 2.0, gt=0)
    """How long a validator's (a gateway's, another replica's) lease lasts after each renewal: a revocation
    waits at most this long for a validator that stopped answering."""
    revocation_redis_url: str = env("REVOCATION_REDIS_URL", "", repr=False)
    """Empty (embedded): gateways follow revocations and hold their leases over SyncRevocations, here. A
    redis:// URL (cluster): revocations and leases travel through that Redis (common.revocation_redis), and
    this replica is a validator too."""
    revocation_redis_prefix: str = env("REVOCATION_REDIS_PREFIX", "remotesignout:revocations:")
    """What the revocation transport's Redis keys start with."""
    validator_name: str = env("VALIDATOR_NAME", "auth_service", pattern=r"^[A-Za-z0-9_.-]{1,40}$")
    """This replica's name as a validator (cluster mode), in its lease's id and in auth_service's per-validator
    metrics (`auth_service-1`): give each replica its own."""
    step_up_seconds: int = env("STEP_UP_SECONDS", 600, gt=0)
    """How long an entry of the account password on a session (signing in, ConfirmPassword) lets it make
    account-level changes, while the same profile stays selected."""
    rpc_timeout_seconds: float = env("RPC_TIMEOUT_SECONDS", 2.0)
    grace_seconds: float = env("GRACE_SECONDS", 5.0)
    health_check_interval_seconds: float = env("HEALTH_CHECK_INTERVAL_SECONDS", 2.0, gt=0)
    """How often the database (and each Redis used) is probed; health is NOT_SERVING while one does not
    answer (common.readiness)."""
    reflection: bool = env("GRPC_REFLECTION", False)
    refresh_token_key: bytes = Field(b"", repr=False)
    """HMAC-SHA256 key of the stored refresh-token hashes, kept out of the database. Read at start-up from the
    file AUTH_REFRESH_TOKEN_KEY_FILE names (default `<data dir>/secrets/refresh_token_key`, at least 32 bytes);
    a missing or short file stops the service. Changing it invalidates every refresh token issued with it.
    Never an environment value: `from_env` always fills it from the file."""

    @classmethod
    def from_env(cls, **read_elsewhere: Any) -> Self:
        """Settings from the environment, and the refresh-token key from its file (unless given)."""
        if "refresh_token_key" not in read_elsewhere:
            read_elsewhere["refresh_token_key"] = read_secret(*REFRESH_TOKEN_KEY_FILE)
        return super().from_env(**read_elsewhere)
