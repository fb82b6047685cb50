import pytest

from common.errors import InvalidArgument
from gateway import models
from gateway.accounts import sign_in_request
from gateway.api import parse_object, validate
from gateway.errors import MalformedBody

DEVICE = {"client_id": "tv-1", "name": "TV", "type": "tv"}


def test_parsing_reads_a_json_object():
    assert parse_object(b'{"a": 1}') == {"a": 1}


@pytest.mark.parametrize("raw", [b"{", b"", b"\xff", b"[]", b'"text"', b"null", b"3"])
def test_parsing_refuses_anything_but_a_json_object(raw):
    with pytest.raises(MalformedBody):
        parse_object(raw)


def test_a_sign_in_body_is_read_with_optional_fields_defaulting_to_empty():
    body = validate(models.SignIn, {"email": "a@b.c", "password": "pw", "device": DEVICE})
    sign_in = sign_in_request(body, "10.0.0.1")
    assert sign_in.device.platform == "" and sign_in.device.app_version == ""
    assert sign_in.ip_address == "10.0.0.1"


def test_an_unknown_device_type_names_the_allowed_ones():
    with pytest.raises(InvalidArgument) as raised:
        validate(models.SignIn, {"email": "a@b.c", "password": "pw", "device": {**DEVICE, "type": "toaster"}})
    assert raised.value.reason == "invalid_device_type"
    assert "streaming_player" in raised.value.message


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "a" * 255, "password": "pw", "device": DEVICE}, "email"),
        ({"email": "a@b.c", "password": "p" * 129, "device": DEVICE}, "password"),
        ({"email": "a@b.c", "password": "pw", "device": {**DEVICE, "client_id": "c" * 129}}, "device.client_id"),
        ({"email": "a@b.c", "password": "pw", "device": {**DEVICE, "name": "n" * 101}}, "device.name"),
        ({"email": "a@b.c", "password": "", "device": DEVICE}, "password"),
        ({"email": ["a"], "password": "pw", "device": DEVICE}, "email"),
    ],
)
def test_a_bad_sign_in_field_is_named(body, field):
    with pytest.raises(InvalidArgument) as raised:
        validate(models.SignIn, body)
    assert f"'{field}'" in raised.value.message
    assert raised.value.reason == "invalid_argument"


def test_the_longest_allowed_strings_pass():
    validate(
        models.SignIn,
        {"email": "a" * 254, "password": "p" * 128, "device": {**DEVICE, "client_id": "c" * 128, "name": "n" * 100}},
    )


@pytest.mark.parametrize("value", [True, False])
def test_include_current_accepts_booleans(value):
    assert validate(models.SignOutAll, {"include_current": value}).include_current is value


@pytest.mark.parametrize("body", [{}, {"include_current": 0}, {"include_current": "true"}])
def test_include_current_refuses_anything_else(body):
    with pytest.raises(InvalidArgument):
        validate(models.SignOutAll, body)


def test_a_refresh_token_is_required():
    with pytest.raises(InvalidArgument):
        validate(models.Refresh, {})


def test_a_profile_reads_kind_and_optional_maturity_level():
    profile = validate(models.NewProfile, {"name": "Kid", "kind": "kids"})
    assert (profile.name, profile.kind, profile.maturity_level) == ("Kid", "kids", None)
    assert validate(models.NewProfile, {"name": "Kid", "kind": "kids", "maturity_level": "13+"}).maturity_level == "13+"


def test_a_page_request_defaults_to_the_services_default_size():
    first = validate(models.DevicePageQuery, {})
    assert (first.page_size, first.page_token) == (0, "")
    later = validate(models.DevicePageQuery, {"page_size": "100", "page_token": "t"})
    assert (later.page_size, later.page_token) == (100, "t")


# Every message a bad field gets, word for word: the API's error messages do not change with its models.
@pytest.mark.parametrize(
    ("model", "body", "message", "reason"),
    [
        (models.SignIn, {"password": "pw", "device": DEVICE}, "'email' is required.", "invalid_argument"),
        (
            models.SignIn,
            {"email": None, "password": "pw", "device": DEVICE},
            "'email' is required.",
            "invalid_argument",
        ),
        (
            models.SignIn,
            {"email": 5, "password": "pw", "device": DEVICE},
            "'email' must be a string.",
            "invalid_argument",
        ),
        (
            models.SignIn,
            {"email": "", "password": "pw", "device": DEVICE},
            "'email' must not be empty.",
            "invalid_argument",
        ),
        (
            models.SignIn,
            {"email": "a" * 255, "password": "pw", "device": DEVICE},
            "'email' must be at most 254 characters.",
            "invalid_argument",
        ),
        (models.SignIn, {"email": "a@b.c", "password": "pw"}, "'device' is required.", "invalid_argument"),
        (
            models.SignIn,
            {"email": "a@b.c", "password": "pw", "device": "tv"},
            "'device' must be an object.",
            "invalid_argument",
        ),
        (
            models.SignIn,
            {"email": "a@b.c", "password": "pw", "device": {"name": "TV", "type": "tv"}},
            "'device.client_id' is required.",
            "invalid_argument",
        ),
        (
            models.SignIn,
            {"email": "a@b.c", "password": "pw", "device": {"client_id": "c", "name": "TV"}},
            "'device.type' is required; one of: tv, phone, tablet, computer, browser, console, streaming_player.",
            "invalid_argument",
        ),
        (
            models.SignIn,
            {"email": "a@b.c", "password": "pw", "device": {**DEVICE, "type": "fridge"}},
            "'device.type' must be one of: tv, phone, tablet, computer, browser, console, streaming_player.",
            "invalid_device_type",
        ),
        (
            models.SignIn,
            {"email": "a@b.c", "password": "pw", "device": {**DEVICE, "platform": 3}},
            "'device.platform' must be a string.",
            "invalid_argument",
        ),
        (
            models.SignOutAll,
            {"include_current": None},
            "'include_current' is required and must be true or false.",
            "invalid_argument",
        ),
        (
            models.PasswordChange,
            {"current_password": "a", "new_password": "b", "sign_out_other_devices": None},
            "'sign_out_other_devices' must be true or false.",
            "invalid_argument",
        ),
        (
            models.NewProfile,
            {"name": "Kid", "kind": "adult"},
            "'kind' must be one of: owner, standard, kids.",
            "invalid_profile_kind",
        ),
        (
            models.NewProfile,
            {"name": "Kid", "kind": "kids", "maturity_level": "12+"},
            "'maturity_level' must be one of: all, 7+, 13+, 16+, 18+.",
            "invalid_maturity_level",
        ),
        (models.PinChange, {"pin": "12a4", "password": "pw"}, "'pin' must be exactly 4 digits.", "invalid_pin"),
        (
            models.PinChange,
            {"pin": "12345", "password": "pw"},
            "'pin' must be at most 4 characters.",
            "invalid_argument",
        ),
        (models.Select, {"pin": "123"}, "'pin' must be exactly 4 digits.", "invalid_pin"),
        (
            models.Schedule,
            {"time_zone": "UTC", "password": "pw"},
            "'windows' is required and must be a list; an empty list removes the schedule.",
            "invalid_argument",
        ),
        (
            models.Schedule,
            {"time_zone": "UTC", "windows": [{}] * 169, "password": "pw"},
            "'windows' must have at most 168 entries.",
            "invalid_argument",
        ),
        (
            models.Schedule,
            {"time_zone": "UTC", "windows": [3], "password": "pw"},
            "'windows[0]' must be an object.",
            "invalid_argument",
        ),
        (
            models.Schedule,
            {"time_zone": "UTC", "windows": [{"weekday": "funday"}], "password": "pw"},
            "'windows[0].weekday' must be one of: monday, tuesday, wednesday, thursday, friday, saturday, sunday.",
            "invalid_weekday",
        ),
        (
            models.Schedule,
            {
                "time_zone": "UTC",
                "password": "pw",
                "windows": [
                    {"weekday": "monday", "start_minute": 0, "end_minute": 10},
                    {"weekday": "monday", "start_minute": True, "end_minute": 10},
                ],
            },
            "'windows[1].start_minute' must be a whole number from 0 to 1439.",
            "invalid_argument",
        ),
        (
            models.Schedule,
            {
                "time_zone": "UTC",
                "password": "pw",
                "windows": [{"weekday": "monday", "start_minute": 0, "end_minute": 1441}],
            },
            "'windows[0].end_minute' must be a whole number from 1 to 1440.",
            "invalid_argument",
        ),
        (
            models.Schedule,
            {
                "time_zone": "UTC",
                "password": "pw",
                "windows": [{"weekday": "monday", "start_minute": 600, "end_minute": 600}],
            },
            "'windows[0].end_minute' must be after start_minute.",
            "invalid_argument",
        ),
        (
            models.DevicePageQuery,
            {"page_size": "²"},
            "'page_size' must be a whole number from 1 to 100.",
            "invalid_argument",
        ),
        (
            models.DevicePageQuery,
            {"page_token": "t" * 4097},
            "'page_token' must be at most 4096 characters.",
            "invalid_argument",
        ),
        (
            models.DeviceListQuery,
            {"include_inactive": "maybe"},
            "'include_inactive' must be true or false.",
            "invalid_argument",
        ),
        (
            models.ViewingQuery,
            {"profile_name": ""},
            "'profile_name' is required: whose viewing activity to list.",
            "invalid_argument",
        ),
        (
            models.ViewingQuery,
            {"profile_name": "n" * 101},
            "'profile_name' must be at most 100 characters.",
            "invalid_argument",
        ),
    ],
)
def test_each_bad_field_gets_the_message_it_always_got(model, body, message, reason):
    with pytest.raises(InvalidArgument) as raised:
        validate(model, body)
    assert (raised.value.message, raised.value.reason) == (message, reason)


def test_a_select_body_may_be_empty_and_an_audit_profile_id_is_cut_to_128_characters():
    assert validate(models.Select, {}).pin is None and validate(models.Select, {"pin": ""}).pin == ""
    assert validate(models.AuditQuery, {"profile_id": "p" * 200}).profile_id == "p" * 128


def test_the_documented_whitespace_is_pythons_so_the_email_and_name_patterns_say_what_the_services_check():
    import re

    documented = re.compile(f"[{models.SPACE}]")
    assert [c for c in map(chr, range(0x110000)) if c.isspace()] == [
        c for c in map(chr, range(0x110000)) if documented.fullmatch(c)
    ]
