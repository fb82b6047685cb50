"""Request bodies: parsed, type-checked and length-checked before any service is called."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from common.numbers import whole_number
from gateway.domain.errors import MalformedBody, invalid_field
from gateway.domain.model import DEVICE_TYPES, MATURITY_LEVELS, PROFILE_KINDS

MAX_EMAIL = 254
MAX_PASSWORD = 128
MAX_CLIENT_ID = 128
MAX_NAME = 100
MAX_PROFILE_NAME = 50
MAX_PLATFORM = 100
MAX_APP_VERSION = 50
MAX_TOKEN = 4096
MAX_PAGE_SIZE = 100


def parse_object(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object, or MalformedBody."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise MalformedBody("The request body is not valid JSON.", reason="invalid_json") from None
    if not isinstance(body, dict):
        raise MalformedBody("The request body must be a JSON object.", reason="invalid_json")
    return body


def _string(body: dict[str, Any], name: str, limit: int, *, required: bool = True, path: str = "") -> str:
    label = f"{path}{name}"
    value = body.get(name)
    if value is None:
        if required:
            raise invalid_field(f"'{label}' is required.")
        return ""
    if not isinstance(value, str):
        raise invalid_field(f"'{label}' must be a string.")
    if required and not value:
        raise invalid_field(f"'{label}' must not be empty.")
    if len(value) > limit:
        raise invalid_field(f"'{label}' must be at most {limit} characters.")
    return value


def _choice(body: dict[str, Any], name: str, allowed: tuple[str, ...], reason: str, *, required: bool = True,
            path: str = "") -> str:
    label = f"{path}{name}"
    value = body.get(name)
    if value is None and not required:
        return ""
    if value is None:
        raise invalid_field(f"'{label}' is required; one of: {', '.join(allowed)}.")
    if not isinstance(value, str) or value not in allowed:
        raise invalid_field(f"'{label}' must be one of: {', '.join(allowed)}.", reason=reason)
    return value


@dataclass(frozen=True)
class Credentials:
    email: str
    password: str

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Credentials:
        return cls(_string(body, "email", MAX_EMAIL), _string(body, "password", MAX_PASSWORD))


@dataclass(frozen=True)
class DeviceInfo:
    client_id: str
    name: str
    type: str
    platform: str = ""
    app_version: str = ""

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> DeviceInfo:
        device = body.get("device")
        if device is None:
            raise invalid_field("'device' is required.")
        if not isinstance(device, dict):
            raise invalid_field("'device' must be an object.")
        p = "device."
        return cls(
            client_id=_string(device, "client_id", MAX_CLIENT_ID, path=p),
            name=_string(device, "name", MAX_NAME, path=p),
            type=_choice(device, "type", DEVICE_TYPES, "invalid_device_type", path=p),
            platform=_string(device, "platform", MAX_PLATFORM, required=False, path=p),
            app_version=_string(device, "app_version", MAX_APP_VERSION, required=False, path=p),
        )


@dataclass(frozen=True)
class SignIn:
    credentials: Credentials
    device: DeviceInfo
    ip_address: str

    @classmethod
    def from_json(cls, body: dict[str, Any], ip_address: str) -> SignIn:
        return cls(Credentials.from_json(body), DeviceInfo.from_json(body), ip_address)


def refresh_token_from_json(body: dict[str, Any]) -> str:
    return _string(body, "refresh_token", MAX_TOKEN)


def include_current_from_json(body: dict[str, Any]) -> bool:
    value = body.get("include_current")
    if not isinstance(value, bool):
        raise invalid_field("'include_current' is required and must be true or false.")
    return value


@dataclass(frozen=True)
class NewProfile:
    name: str
    kind: str
    maturity_level: str = ""

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> NewProfile:
        return cls(
            name=_string(body, "name", MAX_PROFILE_NAME),
            kind=_choice(body, "kind", PROFILE_KINDS, "invalid_profile_kind"),
            maturity_level=_choice(body, "maturity_level", MATURITY_LEVELS, "invalid_maturity_level",
                                   required=False),
        )


@dataclass(frozen=True)
class PageRequest:
    page_size: int = 0
    page_token: str = ""

    @classmethod
    def from_query(cls, query: dict[str, str]) -> PageRequest:
        raw = query.get("page_size", "")
        size = 0
        if raw:
            parsed = whole_number(raw, MAX_PAGE_SIZE)
            if parsed is None or parsed < 1:
                raise invalid_field(f"'page_size' must be a whole number from 1 to {MAX_PAGE_SIZE}.")
            size = parsed
        token = query.get("page_token", "")
        if len(token) > MAX_TOKEN:
            raise invalid_field(f"'page_token' must be at most {MAX_TOKEN} characters.")
        return cls(size, token)


string_field = _string
choice_field = _choice


def boolean_field(body: dict[str, Any], name: str, default: bool) -> bool:
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise invalid_field(f"'{name}' must be true or false.")
    return value


def password_from_json(body: dict[str, Any]) -> str:
    return _string(body, "password", MAX_PASSWORD)
