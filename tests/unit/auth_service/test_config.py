"""auth_service's settings keep their environment variable names; a bad value stops it with one line."""

import pytest

from auth_service.config import Config
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY

VARIABLES = {
    "AUTH_ADDRESS": ("address", "0.0.0.0:1", "0.0.0.0:1"),
    "DEVICE_ADDRESS": ("device_address", "device:2", "device:2"),
    "METRICS_HOST": ("metrics_host", "0.0.0.0", "0.0.0.0"),
    "AUTH_METRICS_PORT": ("metrics_port", "0", 0),
    "AUTH_DATABASE_URL": ("database_url", "postgresql://db/auth", "postgresql://db/auth"),
    "AUTH_SIGNING_KEYS_DIR": ("signing_keys_dir", "/keys", "/keys"),
    "AUTH_KEYS_RELOAD_SECONDS": ("keys_reload_seconds", "1.5", 1.5),
    "ACCESS_TOKEN_TTL_SECONDS": ("access_token_ttl_seconds", "60", 60),
    "ACCESS_TOKEN_CLOCK_SKEW_SECONDS": ("access_token_clock_skew_seconds", "5", 5),
    "ACCESS_TOKEN_CACHE_SIZE": ("access_token_cache_size", "10", 10),
    "SESSION_IDLE_TIMEOUT_SECONDS": ("session_idle_timeout_seconds", "100", 100),
    "SESSION_MAX_LIFETIME_SECONDS": ("session_max_lifetime_seconds", "200", 200),
    "SIGN_IN_THROTTLE_AFTER": ("sign_in_throttle_after", "3", 3),
    "USER_CODE_THROTTLE_AFTER": ("user_code_throttle_after", "4", 4),
    "USER_CODE_ACCOUNT_THROTTLE_AFTER": ("user_code_account_throttle_after", "15", 15),
    "USER_CODE_SOURCE_THROTTLE_AFTER": ("user_code_source_throttle_after", "40", 40),
    "DEVICE_CODE_THROTTLE_AFTER": ("device_code_throttle_after", "7", 7),
    "DEVICE_CODE_LIFETIME_SECONDS": ("device_code_lifetime_seconds", "30", 30),
    "DEVICE_CODE_INTERVAL_SECONDS": ("device_code_interval_seconds", "2", 2),
    "RPC_TIMEOUT_SECONDS": ("rpc_timeout_seconds", "0.5", 0.5),
    "GRACE_SECONDS": ("grace_seconds", "1", 1.0),
    "GRPC_REFLECTION": ("reflection", "1", True),
}


def test_every_setting_comes_from_its_variable(monkeypatch):
    for variable, (_, raw, _) in VARIABLES.items():
        monkeypatch.setenv(variable, raw)
    config = Config.from_env(refresh_token_key=TEST_REFRESH_TOKEN_KEY)
    assert {variable: getattr(config, field) for variable, (field, _, _) in VARIABLES.items()} == {
        variable: value for variable, (_, _, value) in VARIABLES.items()
    }


def test_defaults_and_empty_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("REMOTESIGNOUT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AUTH_METRICS_PORT", "")
    for variable in VARIABLES:
        if variable != "AUTH_METRICS_PORT":
            monkeypatch.delenv(variable, raising=False)
    config = Config.from_env(refresh_token_key=TEST_REFRESH_TOKEN_KEY)
    assert (config.address, config.metrics_port, config.access_token_ttl_seconds) == ("127.0.0.1:50051", 9101, 900)
    assert config.database_url == f"sqlite:///{tmp_path / 'auth_service.db'}"
    assert config.signing_keys_dir == str(tmp_path / "secrets" / "signing_keys")
    assert (config.device_code_lifetime_seconds, config.device_code_interval_seconds) == (600, 5)


def test_a_bad_value_stops_with_one_line_naming_the_variable(monkeypatch):
    monkeypatch.setenv("ACCESS_TOKEN_TTL_SECONDS", "fifteen minutes")
    with pytest.raises(SystemExit) as stop:
        Config.from_env(refresh_token_key=TEST_REFRESH_TOKEN_KEY)
    message = str(stop.value.code)
    assert message.startswith("ACCESS_TOKEN_TTL_SECONDS: ") and "\n" not in message


def test_a_polling_interval_outside_1_to_60_seconds_stops_it(monkeypatch):
    monkeypatch.setenv("DEVICE_CODE_INTERVAL_SECONDS", "0")
    with pytest.raises(SystemExit) as stop:
        Config.from_env(refresh_token_key=TEST_REFRESH_TOKEN_KEY)
    assert str(stop.value.code).startswith("DEVICE_CODE_INTERVAL_SECONDS: ")
