"""Request bodies of profiles, their rules and playback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gateway.domain.errors import invalid_field
from gateway.domain.model import MATURITY_LEVELS
from gateway.domain.parental import WEEKDAYS, ViewingSchedule, ViewingWindow
from gateway.domain.requests import MAX_PROFILE_NAME, choice_field, password_from_json, string_field

MAX_ID = 128
MAX_TIME_ZONE = 64
MAX_WINDOWS = 7 * 24
PIN_LENGTH = 4


def name_from_json(body: dict[str, Any]) -> str:
    return string_field(body, "name", MAX_PROFILE_NAME)


def pin_from_json(body: dict[str, Any], *, required: bool = True) -> str:
    pin = string_field(body, "pin", PIN_LENGTH, required=required)
    if pin and (len(pin) != PIN_LENGTH or not (pin.isascii() and pin.isdigit())):
        raise invalid_field("'pin' must be exactly 4 digits.", reason="invalid_pin")
    return pin


def title_id_from_json(body: dict[str, Any]) -> str:
    return string_field(body, "title_id", MAX_ID)


@dataclass(frozen=True)
class MaturityChange:
    maturity_level: str
    password: str

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> MaturityChange:
        return cls(choice_field(body, "maturity_level", MATURITY_LEVELS, "invalid_maturity_level"),
                   password_from_json(body))


@dataclass(frozen=True)
class PlaybackRequest:
    profile_id: str
    title_id: str

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> PlaybackRequest:
        return cls(string_field(body, "profile_id", MAX_ID, required=False), string_field(body, "title_id", MAX_ID))


def _minute(window: dict[str, Any], name: str, low: int, high: int, label: str) -> int:
    value = window.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise invalid_field(f"'{label}{name}' must be a whole number from {low} to {high}.")
    return value


def _window(raw: object, index: int) -> ViewingWindow:
    label = f"windows[{index}]."
    if not isinstance(raw, dict):
        raise invalid_field(f"'windows[{index}]' must be an object.")
    weekday = choice_field(raw, "weekday", WEEKDAYS, "invalid_weekday", path=label)
    start = _minute(raw, "start_minute", 0, 1439, label)
    end = _minute(raw, "end_minute", 1, 1440, label)
    if end <= start:
        raise invalid_field(f"'{label}end_minute' must be after start_minute.")
    return ViewingWindow(weekday, start, end)


def schedule_from_json(body: dict[str, Any]) -> ViewingSchedule:
    time_zone = string_field(body, "time_zone", MAX_TIME_ZONE)
    windows = body.get("windows")
    if not isinstance(windows, list):
        raise invalid_field("'windows' is required and must be a list; an empty list removes the schedule.")
    if len(windows) > MAX_WINDOWS:
        raise invalid_field(f"'windows' must have at most {MAX_WINDOWS} entries.")
    return ViewingSchedule(time_zone, [_window(w, i) for i, w in enumerate(windows)])
