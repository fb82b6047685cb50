"""device_service's settings: the environment variables the README lists, validated (common.config)."""

from __future__ import annotations

import pytest

from device_service.config import Config

VARIABLES = {
    "DEVICE_ADDRESS": ("address", "0.0.0.0:6000", "0.0.0.0:6000"),
    "METRICS_HOST": ("metrics_host", "0.0.0.0", "0.0.0.0"),
    "DEVICE_METRICS_PORT": ("metrics_port", "0", 0),
    "DEVICE_DATABASE_URL": ("database_url", "postgresql://db/devices", "postgresql://db/devices"),
    "GRACE_SECONDS": ("grace_seconds", "0.5", 0.5),
    "DEVICE_INACTIVE_DAYS": ("inactive_days", "7", 7),
    "DEVICE_USUAL_LOCATION_DAYS": ("usual_location_days", "30", 30),
    "AUTH_ADDRESS": ("auth_address", "auth:50051", "auth:50051"),
    "RPC_TIMEOUT_SECONDS": ("rpc_timeout_seconds", "3", 3.0),
    "FEED_POLL_SECONDS": ("feed_poll_seconds", "0.1", 0.1),
    "GRPC_REFLECTION": ("reflection", "1", True),
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for variable in VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("REMOTESIGNOUT_DATA_DIR", str(tmp_path))


def test_the_defaults_are_the_readmes():
    config = Config.from_env()
    assert (config.address, config.metrics_port, config.inactive_days, config.reflection) == (
        "127.0.0.1:50052",
        9102,
        90,
        False,
    )


def test_the_default_database_is_a_sqlite_file_in_the_data_folder(tmp_path):
    assert Config.from_env().database_url == f"sqlite:///{tmp_path / 'device_service.db'}"


@pytest.mark.parametrize("variable", VARIABLES)
def test_each_variable_sets_its_setting(monkeypatch, variable):
    field, raw, value = VARIABLES[variable]
    monkeypatch.setenv(variable, raw)
    assert getattr(Config.from_env(), field) == value


def test_an_empty_variable_means_the_default(monkeypatch):
    monkeypatch.setenv("DEVICE_METRICS_PORT", "")
    assert Config.from_env().metrics_port == 9102


def test_the_usual_location_window_defaults_to_90_days_and_must_be_positive(monkeypatch):
    assert Config.from_env().usual_location_days == 90
    monkeypatch.setenv("DEVICE_USUAL_LOCATION_DAYS", "0")
    with pytest.raises(SystemExit, match=r"^DEVICE_USUAL_LOCATION_DAYS: "):
        Config.from_env()


def test_a_malformed_value_stops_the_process_naming_the_variable(monkeypatch):
    monkeypatch.setenv("DEVICE_INACTIVE_DAYS", "ninety")
    with pytest.raises(SystemExit, match=r"^DEVICE_INACTIVE_DAYS: "):
        Config.from_env()
