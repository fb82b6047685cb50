"""Request bodies and queries of account settings, activity and downloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gateway.domain.errors import invalid_field
from gateway.domain.requests import MAX_PASSWORD, PageRequest, boolean_field, string_field

MAX_ID = 128
MAX_ACTIVITY_PROFILE_NAME = 100


@dataclass(frozen=True)
class PasswordChangeRequest:
    current_password: str
    new_password: str
    sign_out_other_devices: bool = True

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> PasswordChangeRequest:
        return cls(
            current_password=string_field(body, "current_password", MAX_PASSWORD),
            new_password=string_field(body, "new_password", MAX_PASSWORD),
            sign_out_other_devices=boolean_field(body, "sign_out_other_devices", True),
        )


@dataclass(frozen=True)
class DownloadRequest:
    """A title of the catalogue to download, for the profile watching (see playback)."""

    title_id: str
    profile_id: str = ""

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> DownloadRequest:
        return cls(string_field(body, "title_id", MAX_ID), string_field(body, "profile_id", MAX_ID, required=False))


def include_inactive_from_query(query: dict[str, str]) -> bool:
    raw = query.get("include_inactive", "false").lower()
    if raw not in ("true", "false", "1", "0"):
        raise invalid_field("'include_inactive' must be true or false.")
    return raw in ("true", "1")


@dataclass(frozen=True)
class ViewingActivityQuery:
    profile_name: str
    page: PageRequest

    @classmethod
    def from_query(cls, query: dict[str, str]) -> ViewingActivityQuery:
        name = query.get("profile_name", "")
        if not name:
            raise invalid_field("'profile_name' is required: whose viewing activity to list.")
        if len(name) > MAX_ACTIVITY_PROFILE_NAME:
            raise invalid_field(f"'profile_name' must be at most {MAX_ACTIVITY_PROFILE_NAME} characters.")
        return cls(name, PageRequest.from_query(query))

