"""What fuzzing the contract found in the request models (tests/fuzz): each request the schema calls valid is
accepted, and each the schema calls invalid is refused at the gateway, naming the field."""

import pytest

from common.errors import InvalidArgument
from gateway import models
from gateway.api import validate

WINDOW = {"weekday": "monday", "start_minute": 1080, "end_minute": 1200}


def test_a_minute_sent_as_a_whole_json_number_with_a_fraction_part_is_that_minute():
    # JSON Schema's "integer" is any number without a fraction: 1080.0 is the integer 1080.
    window = validate(models.Window, {**WINDOW, "start_minute": 1080.0, "end_minute": 1200.0})
    assert (window.start_minute, window.end_minute) == (1080, 1200)
    assert type(window.start_minute) is int and type(window.end_minute) is int


@pytest.mark.parametrize("minute", [1080.5, True, "1080", 1e300, float("nan"), float("inf")])
def test_a_minute_that_is_not_a_whole_number_is_still_refused(minute):
    with pytest.raises(InvalidArgument) as raised:
        validate(models.Window, {**WINDOW, "start_minute": minute})
    assert raised.value.message == "'start_minute' must be a whole number from 0 to 1439."


def test_the_minutes_keep_their_bounds_in_the_schema():
    properties = models.Window.model_json_schema()["properties"]
    assert (properties["start_minute"]["minimum"], properties["start_minute"]["maximum"]) == (0, 1439)
    assert (properties["end_minute"]["minimum"], properties["end_minute"]["maximum"]) == (1, 1440)


@pytest.mark.parametrize(
    ("model", "token"),
    [
        (models.DevicePageQuery, "not/base64url!"),
        (models.DeviceListQuery, "a b"),
        (models.ViewingQuery, "=="),
        (models.ParentalPageQuery, "12a"),
        (models.AuditQuery, "1" * 19),
    ],
)
def test_a_page_token_outside_the_schemas_alphabet_is_refused_at_the_gateway(model, token):
    query = {"page_token": token, **({"profile_name": "Robin"} if model is models.ViewingQuery else {})}
    with pytest.raises(InvalidArgument) as raised:
        validate(model, query)
    assert raised.value.message == (
        "'page_token' is not valid: pass the next_page_token of a previous page, or leave it empty."
    )


@pytest.mark.parametrize(
    ("model", "token"),
    [(models.DevicePageQuery, "WzE3NjQxMDAxMDAwMDAwMDAsImRldi0xIl0"), (models.ParentalPageQuery, "50")],
)
def test_a_page_token_the_services_issue_passes_the_gateway(model, token):
    assert validate(model, {"page_token": token}).page_token == token


def test_an_event_of_the_stream_has_a_schema():
    schema = models.ServerSentEvent.model_json_schema()
    assert schema["properties"]["event"]["enum"] == ["ready", "devices", "playback_stopped", "revoked"]
    assert schema["required"] == ["event", "data"]
