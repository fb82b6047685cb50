"""The gateway's side of signing a TV in with a code (RFC 8628): which clients may, how a code is shown, and the
path parameter's pattern in /openapi.json agreeing with what auth_service accepts as a user code."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auth_service.domain.device_codes import USER_CODE_ALPHABET, normalise_user_code
from common.errors import InvalidArgument
from gateway.api import document
from gateway.app import ROUTES
from gateway.config import Settings
from gateway.models import USER_CODE_INPUT_MAX, USER_CODE_PATTERN
from gateway.oauth import display_user_code


def test_tv_app_is_the_default_device_flow_client_and_the_setting_lists_others(monkeypatch):
    assert Settings().device_flow_clients == ("tv-app",)
    monkeypatch.setenv("GATEWAY_DEVICE_FLOW_CLIENTS", " tv-app, kiosk-app ,")
    monkeypatch.setenv("GATEWAY_DEMO_MODE", "1")
    assert Settings.from_env().device_flow_clients == ("tv-app", "kiosk-app")


def test_a_user_code_is_shown_as_two_groups_of_four():
    assert display_user_code("BCDFGHJK") == "BCDF-GHJK"


def accepted_by_auth_service(entered: str) -> bool:
    try:
        normalise_user_code(entered)
    except InvalidArgument:
        return False
    return True


codes = st.text(alphabet=USER_CODE_ALPHABET + USER_CODE_ALPHABET.lower() + "- AEIOU1", max_size=20)


@given(codes)
def test_the_path_pattern_accepts_exactly_the_codes_auth_service_accepts(entered):
    schema_says = re.fullmatch(USER_CODE_PATTERN, entered) is not None and len(entered) <= USER_CODE_INPUT_MAX
    assert schema_says == accepted_by_auth_service(entered)


@pytest.mark.parametrize("action", ["", "/approve", "/deny"])
def test_openapi_states_the_user_code_pattern_on_every_device_authorization_route(action):
    paths = document(ROUTES)["paths"]
    (operation,) = paths[f"/v1/device-authorizations/{{user_code}}{action}"].values()
    (parameter,) = operation["parameters"]
    assert parameter["schema"]["pattern"] == USER_CODE_PATTERN
    assert parameter["schema"]["maxLength"] == USER_CODE_INPUT_MAX
