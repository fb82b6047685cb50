import base64

import pytest

from gateway.api import validate
from gateway.auth import authenticate_client
from gateway.config import DEMO_OAUTH_CLIENTS, Settings, oauth_clients_from_env, parse_clients
from gateway.errors import OAuthError
from gateway.models import TokenForm

CLIENTS = (("rs", "s3cret"), ("other", "pa:ss"))


def basic(raw: str) -> str:
    return "Basic " + base64.b64encode(raw.encode()).decode()


def test_clients_are_parsed_from_id_colon_secret_pairs_and_a_secret_may_hold_a_colon():
    assert parse_clients("rs:s3cret, other:pa:ss") == CLIENTS


def test_a_malformed_client_list_stops_start_up():
    with pytest.raises(SystemExit):
        parse_clients("rs:s3cret,missing-secret")


def test_the_demo_client_applies_only_when_the_variable_is_unset(monkeypatch):
    monkeypatch.delenv("GATEWAY_OAUTH_CLIENTS", raising=False)
    monkeypatch.setenv("GATEWAY_DEMO_MODE", "1")
    assert oauth_clients_from_env() == DEMO_OAUTH_CLIENTS
    monkeypatch.setenv("GATEWAY_OAUTH_CLIENTS", "rs:s3cret")
    assert oauth_clients_from_env() == (("rs", "s3cret"),)
    assert Settings.from_env().oauth_clients == (("rs", "s3cret"),)


def test_a_client_authenticates_by_basic_or_by_form_fields():
    assert authenticate_client(CLIENTS, basic("other:pa:ss"), {}) == "other"
    assert authenticate_client(CLIENTS, None, {"client_id": "rs", "client_secret": "s3cret"}) == "rs"


@pytest.mark.parametrize(
    ("authorization", "form"),
    [
        (basic("rs:wrong"), {}),
        (basic("nobody:s3cret"), {}),
        (None, {}),
        ("Basic %%%", {}),
        (basic("rs"), {}),
        (None, {"client_id": "rs"}),
        (None, {"client_id": "rs", "client_secret": "pa:ss"}),
    ],
)
def test_bad_client_authentication_is_invalid_client(authorization, form):
    with pytest.raises(OAuthError) as raised:
        authenticate_client(CLIENTS, authorization, form)
    assert (raised.value.reason, raised.value.status) == ("invalid_client", 401)


def test_a_missing_token_is_invalid_request_and_an_unknown_hint_is_ignored():
    with pytest.raises(OAuthError) as raised:
        validate(TokenForm, {})
    assert (raised.value.reason, raised.value.status) == ("invalid_request", 400)
    assert raised.value.message == "The 'token' parameter is required."
    assert validate(TokenForm, {"token": "t", "token_type_hint": "id_token"}).token_type_hint == ""


def test_outside_demo_mode_the_gateway_refuses_to_start_without_its_oauth_clients(monkeypatch):
    monkeypatch.delenv("GATEWAY_OAUTH_CLIENTS", raising=False)
    monkeypatch.delenv("GATEWAY_DEMO_MODE", raising=False)
    with pytest.raises(SystemExit, match="GATEWAY_OAUTH_CLIENTS is not set"):
        oauth_clients_from_env()
    with pytest.raises(SystemExit, match="GATEWAY_OAUTH_CLIENTS is not set"):
        Settings.from_env()


def test_the_clients_may_come_from_a_file_such_as_a_compose_secret(monkeypatch, tmp_path):
    secret = tmp_path / "oauth_clients"
    secret.write_text("rs:s3cret\n")
    monkeypatch.delenv("GATEWAY_OAUTH_CLIENTS", raising=False)
    monkeypatch.delenv("GATEWAY_DEMO_MODE", raising=False)
    monkeypatch.setenv("GATEWAY_OAUTH_CLIENTS_FILE", str(secret))
    assert oauth_clients_from_env() == (("rs", "s3cret"),)
    monkeypatch.setenv("GATEWAY_OAUTH_CLIENTS_FILE", str(tmp_path / "missing"))
    with pytest.raises(SystemExit, match="GATEWAY_OAUTH_CLIENTS_FILE"):
        oauth_clients_from_env()


def test_settings_read_the_same_variables_as_always(monkeypatch):
    monkeypatch.setenv("GATEWAY_DEMO_MODE", "1")
    monkeypatch.delenv("GATEWAY_OAUTH_CLIENTS", raising=False)
    monkeypatch.delenv("GATEWAY_OAUTH_CLIENTS_FILE", raising=False)
    for variable, value in (
        ("GATEWAY_ADDRESS", "0.0.0.0:9090"),
        ("AUTH_ADDRESS", "auth:1"),
        ("DEVICE_ADDRESS", "device:2"),
        ("PARENTAL_ADDRESS", "parental:3"),
        ("RPC_TIMEOUT_SECONDS", "0.5"),
        ("SSE_KEEPALIVE_SECONDS", "7"),
    ):
        monkeypatch.setenv(variable, value)
    settings = Settings.from_env()
    assert (
        settings.gateway_address,
        settings.auth_address,
        settings.device_address,
        settings.parental_address,
        settings.rpc_timeout_seconds,
        settings.keepalive_seconds,
        settings.oauth_clients,
    ) == ("0.0.0.0:9090", "auth:1", "device:2", "parental:3", 0.5, 7.0, DEMO_OAUTH_CLIENTS)
    monkeypatch.setenv("RPC_TIMEOUT_SECONDS", "soon")
    with pytest.raises(SystemExit, match="RPC_TIMEOUT_SECONDS"):
        Settings.from_env()
