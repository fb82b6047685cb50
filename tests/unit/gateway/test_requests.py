import pytest

from common.errors import InvalidArgument
from gateway.domain.errors import MalformedBody
from gateway.domain.requests import (
    NewProfile,
    PageRequest,
    SignIn,
    include_current_from_json,
    parse_object,
    refresh_token_from_json,
)

DEVICE = {"client_id": "tv-1", "name": "TV", "type": "tv"}


def test_parsing_reads_a_json_object():
    assert parse_object(b'{"a": 1}') == {"a": 1}


@pytest.mark.parametrize("raw", [b"{", b"", b"\xff", b"[]", b'"text"', b"null", b"3"])
def test_parsing_refuses_anything_but_a_json_object(raw):
    with pytest.raises(MalformedBody):
        parse_object(raw)


def test_a_sign_in_body_is_read_with_optional_fields_defaulting_to_empty():
    sign_in = SignIn.from_json({"email": "a@b.c", "password": "pw", "device": DEVICE}, "10.0.0.1")
    assert sign_in.device.platform == "" and sign_in.device.app_version == ""
    assert sign_in.ip_address == "10.0.0.1"


def test_an_unknown_device_type_names_the_allowed_ones():
    with pytest.raises(InvalidArgument) as raised:
        SignIn.from_json({"email": "a@b.c", "password": "pw", "device": {**DEVICE, "type": "toaster"}}, "")
    assert raised.value.reason == "invalid_device_type"
    assert "streaming_player" in raised.value.message


@pytest.mark.parametrize(("body", "field"), [
    ({"email": "a" * 255, "password": "pw", "device": DEVICE}, "email"),
    ({"email": "a@b.c", "password": "p" * 129, "device": DEVICE}, "password"),
    ({"email": "a@b.c", "password": "pw", "device": {**DEVICE, "client_id": "c" * 129}}, "device.client_id"),
    ({"email": "a@b.c", "password": "pw", "device": {**DEVICE, "name": "n" * 101}}, "device.name"),
    ({"email": "a@b.c", "password": "", "device": DEVICE}, "password"),
    ({"email": ["a"], "password": "pw", "device": DEVICE}, "email"),
])
def test_a_bad_sign_in_field_is_named(body, field):
    with pytest.raises(InvalidArgument) as raised:
        SignIn.from_json(body, "")
    assert f"'{field}'" in raised.value.message
    assert raised.value.reason == "invalid_argument"


def test_the_longest_allowed_strings_pass():
    SignIn.from_json({"email": "a" * 254, "password": "p" * 128,
                      "device": {**DEVICE, "client_id": "c" * 128, "name": "n" * 100}}, "")


@pytest.mark.parametrize("value", [True, False])
def test_include_current_accepts_booleans(value):
    assert include_current_from_json({"include_current": value}) is value


@pytest.mark.parametrize("body", [{}, {"include_current": 0}, {"include_current": "true"}])
def test_include_current_refuses_anything_else(body):
    with pytest.raises(InvalidArgument):
        include_current_from_json(body)


def test_a_refresh_token_is_required():
    with pytest.raises(InvalidArgument):
        refresh_token_from_json({})


def test_a_profile_reads_kind_and_optional_maturity_level():
    assert NewProfile.from_json({"name": "Kid", "kind": "kids"}) == NewProfile("Kid", "kids", "")
    assert NewProfile.from_json({"name": "Kid", "kind": "kids", "maturity_level": "13+"}).maturity_level == "13+"


def test_a_page_request_defaults_to_the_services_default_size():
    assert PageRequest.from_query({}) == PageRequest(0, "")
    assert PageRequest.from_query({"page_size": "100", "page_token": "t"}) == PageRequest(100, "t")
