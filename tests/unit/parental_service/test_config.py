"""parental_service's settings: the environment variables the README lists, validated (common.config);
the PIN pepper comes from its file (tests in test_pin_hasher.py)."""

from __future__ import annotations

import pytest

from parental_service.config import Config

PEPPER = b"0123456789abcdef0123456789abcdef-config-pepper"
VARIABLES = {
    "PARENTAL_ADDRESS": ("address", "0.0.0.0:6000", "0.0.0.0:6000"),
    "METRICS_HOST": ("metrics_host", "0.0.0.0", "0.0.0.0"),
    "PARENTAL_METRICS_PORT": ("metrics_port", "0", 0),
    "PARENTAL_DATABASE_URL": ("database_url", "postgresql://db/parental", "postgresql://db/parental"),
    "GRACE_SECONDS": ("grace_seconds", "0.5", 0.5),
    "RPC_TIMEOUT_SECONDS": ("rpc_timeout_seconds", "3", 3.0),
    "AUTH_ADDRESS": ("auth_address", "auth:50051", "auth:50051"),
    "FEED_POLL_SECONDS": ("feed_poll_seconds", "0.1", 0.1),
    "PARENTAL_TITLES_PATH": ("titles_path", "/srv/titles.json", "/srv/titles.json"),
    "GRPC_REFLECTION": ("reflection", "1", True),
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for variable in VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    (tmp_path / "pepper").write_bytes(PEPPER)
    monkeypatch.setenv("PARENTAL_PIN_PEPPER_FILE", str(tmp_path / "pepper"))
    monkeypatch.setenv("REMOTESIGNOUT_DATA_DIR", str(tmp_path))


def test_the_defaults_are_the_readmes(tmp_path):
    config = Config.from_env()
    assert (config.address, config.metrics_port, config.titles_path, config.reflection) == (
        "127.0.0.1:50053",
        9103,
        "",
        False,
    )
    assert config.database_url == f"sqlite:///{tmp_path / 'parental_service.db'}"


@pytest.mark.parametrize("variable", VARIABLES)
def test_each_variable_sets_its_setting(monkeypatch, variable):
    field, raw, value = VARIABLES[variable]
    monkeypatch.setenv(variable, raw)
    assert getattr(Config.from_env(), field) == value


def test_a_malformed_value_stops_the_process_naming_the_variable(monkeypatch):
    monkeypatch.setenv("PARENTAL_METRICS_PORT", "nine")
    with pytest.raises(SystemExit, match=r"^PARENTAL_METRICS_PORT: "):
        Config.from_env()
