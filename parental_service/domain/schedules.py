"""Viewing schedules: the hours of each weekday a profile may watch."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from common.errors import InvalidArgument

MINUTES_PER_DAY = 24 * 60
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class ViewingWindow:
    """Minutes [start_minute, end_minute) of `weekday` (0 = Monday ... 6 = Sunday)."""

    weekday: int
    start_minute: int
    end_minute: int

    def describe(self) -> str:
        return f"{WEEKDAY_NAMES[self.weekday]} {_hhmm(self.start_minute)}-{_hhmm(self.end_minute)}"


@dataclass(frozen=True)
class ViewingSchedule:
    time_zone: str
    windows: tuple[ViewingWindow, ...]

    def allows(self, now_us: int) -> bool:
        local = datetime.datetime.fromtimestamp(now_us / 1_000_000, tz=zoneinfo.ZoneInfo(self.time_zone))
        minute = local.hour * 60 + local.minute
        return any(w.weekday == local.weekday() and w.start_minute <= minute < w.end_minute for w in self.windows)

    def describe(self) -> str:
        if not self.windows:
            return "none"
        return f"{', '.join(w.describe() for w in self.windows)} ({self.time_zone})"


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def validate_time_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidArgument(
            f"{name!r} is not a time zone; use an IANA name such as Europe/Lisbon.", reason="invalid_time_zone"
        ) from None
    return name


def new_schedule(time_zone: str, windows: list[ViewingWindow]) -> ViewingSchedule | None:
    """A validated schedule, or None (no restriction) when there are no windows."""
    if not windows:
        return None
    if not time_zone:
        raise InvalidArgument("A viewing schedule needs the account's time zone, such as Europe/Lisbon.")
    validate_time_zone(time_zone)
    for window in windows:
        if not 0 <= window.weekday <= 6:
            raise InvalidArgument("Each viewing window names a weekday, Monday to Sunday.")
        if not 0 <= window.start_minute < window.end_minute <= MINUTES_PER_DAY:
            raise InvalidArgument(
                "A viewing window runs from a start minute (0-1439) to a later end minute (up to 1440)."
            )
    ordered = sorted(set(windows), key=lambda w: (w.weekday, w.start_minute, w.end_minute))
    return ViewingSchedule(time_zone, tuple(ordered))
