from __future__ import annotations

import pytest

from common.errors import InvalidArgument
from device_service.domain import validation
from device_service.domain.model import DeviceType


def details(**overrides: object):
    fields: dict[str, object] = dict(
        client_id="install-1", name="Living room TV", type_value=1, platform="", app_version=""
    )
    fields.update(overrides)
    return validation.device_details(**fields)  # type: ignore[arg-type]


def test_valid_details_keep_what_the_device_said():
    result = details(platform="tvOS 18", app_version="1.2.3")
    assert (result.client_id, result.name, result.type, result.platform) == (
        "install-1",
        "Living room TV",
        DeviceType.TV,
        "tvOS 18",
    )


@pytest.mark.parametrize("client_id", ["", "x" * 129])
def test_client_id_must_be_1_to_128_characters(client_id):
    with pytest.raises(InvalidArgument, match="client_id"):
        details(client_id=client_id)


def test_client_id_of_128_characters_is_accepted():
    assert details(client_id="x" * 128).client_id == "x" * 128


@pytest.mark.parametrize("name", ["", "n" * 101])
def test_name_must_be_1_to_100_characters(name):
    with pytest.raises(InvalidArgument, match="name"):
        details(name=name)


def test_an_unspecified_type_is_refused_with_the_allowed_types():
    with pytest.raises(InvalidArgument, match="tv, phone, tablet") as caught:
        details(type_value=0)
    assert "type is required" in caught.value.message


def test_an_unknown_type_number_is_refused():
    with pytest.raises(InvalidArgument, match="type 42"):
        details(type_value=42)


def test_an_empty_ip_address_is_allowed():
    assert validation.ip_address("") == ""


def test_an_ip_address_is_normalised():
    assert validation.ip_address("2001:DB8::0001") == "2001:db8::1"


def test_a_malformed_ip_address_is_refused():
    with pytest.raises(InvalidArgument, match="ip_address"):
        validation.ip_address("999.1.1.1")
