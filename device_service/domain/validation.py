"""Checks on what callers send, each failing with a message a person understands."""

from __future__ import annotations

import ipaddress

from common.errors import InvalidArgument
from device_service.domain.model import DeviceDetails, DeviceType

CLIENT_ID_MAX = 128
NAME_MAX = 100
TEXT_MAX = 200


def require(value: str, field_name: str) -> str:
    if not value:
        raise InvalidArgument(f"{field_name} is required.")
    return value


def bounded(value: str, field_name: str, maximum: int, minimum: int = 1) -> str:
    if not minimum <= len(value) <= maximum:
        if minimum and not value:
            raise InvalidArgument(f"{field_name} is required.")
        raise InvalidArgument(f"{field_name} must be {minimum} to {maximum} characters long.")
    return value


def ip_address(value: str) -> str:
    """An IPv4 or IPv6 address in its normal form, or "" when none was given."""
    if not value:
        return ""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise InvalidArgument(f"ip_address {value[:64]!r} is not an IPv4 or IPv6 address.") from None


def device_details(client_id: str, name: str, type_value: int, platform: str, app_version: str) -> DeviceDetails:
    bounded(client_id, "client_id", CLIENT_ID_MAX)
    bounded(name, "name", NAME_MAX)
    try:
        device_type = DeviceType(type_value)
    except ValueError:
        raise InvalidArgument(f"type {type_value} is not a known device type.") from None
    if device_type is DeviceType.UNSPECIFIED:
        raise InvalidArgument(
            "type is required: one of tv, phone, tablet, computer, browser, console, streaming_player."
        )
    bounded(platform, "platform", TEXT_MAX, minimum=0)
    bounded(app_version, "app_version", TEXT_MAX, minimum=0)
    return DeviceDetails(client_id, name, device_type, platform, app_version)
