"""Profiles' rules and playback: what parental_service decides, as plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from gateway.domain.model import Profile

DENY_REASONS = (
    "maturity", "blocked_title", "outside_schedule", "pin_required", "signed_out", "profile_deleted",
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Actor:
    """Who makes a change, for parental_service's audit trail."""

    device_id: str
    profile_id: str = ""


@dataclass(frozen=True)
class Title:
    title_id: str
    name: str
    maturity_rating: str


@dataclass(frozen=True)
class TitlePage:
    titles: list[Title]
    next_page_token: str


@dataclass(frozen=True)
class PlaybackStop:
    """A playback a change or a revocation stopped."""

    device_id: str
    profile_id: str
    title_id: str
    reason: str
    message: str


@dataclass(frozen=True)
class PlaybackDecision:
    allowed: bool
    reason: str  # "" when allowed
    message: str
    title: Title | None


@dataclass(frozen=True)
class ViewingWindow:
    weekday: str
    start_minute: int
    end_minute: int


@dataclass(frozen=True)
class ViewingSchedule:
    time_zone: str
    windows: list[ViewingWindow]


@dataclass(frozen=True)
class ProfileRules:
    profile: Profile
    blocked_title_ids: list[str]
    schedule: ViewingSchedule | None


@dataclass(frozen=True)
class ProfileChange:
    """A profile after a change of its rules, and the playbacks the change stopped."""

    profile: Profile | None = None
    stopped_playbacks: list[PlaybackStop] = field(default_factory=list)


@dataclass(frozen=True)
class AuditEvent:
    event_id: str
    profile_id: str
    occurred_at: datetime | None
    change: str
    old_value: str
    new_value: str
    actor: Actor


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    next_page_token: str
