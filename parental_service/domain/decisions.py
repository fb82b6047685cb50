"""Playback decisions: may this profile play this title on this device, now?"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from parental_service.domain.profiles import Profile
from parental_service.domain.schedules import ViewingSchedule
from parental_service.domain.titles import Title


class DenyReason(enum.Enum):
    MATURITY = "maturity"
    BLOCKED_TITLE = "blocked_title"
    OUTSIDE_SCHEDULE = "outside_schedule"
    PIN_REQUIRED = "pin_required"
    SIGNED_OUT = "signed_out"
    PROFILE_DELETED = "profile_deleted"


@dataclass(frozen=True)
class ProfileRules:
    """Everything a decision about one profile depends on."""

    profile: Profile
    blocked_title_ids: frozenset[str]
    schedule: ViewingSchedule | None
    pin_entered_on: frozenset[str]
    """Devices that entered the profile with its PIN since it was last set."""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: DenyReason | None = None
    message: str = ""


ALLOW = Decision(allowed=True)


def decide(rules: ProfileRules, title: Title, device_id: str, now_us: int) -> Decision:
    profile = rules.profile
    if profile.has_pin and device_id not in rules.pin_entered_on:
        return Decision(
            False, DenyReason.PIN_REQUIRED, f"Enter the PIN of the profile {profile.name} on this device to watch."
        )
    if title.title_id in rules.blocked_title_ids:
        return Decision(False, DenyReason.BLOCKED_TITLE, f"{title.name} is blocked on the profile {profile.name}.")
    if title.maturity_rating > profile.maturity_level:
        return Decision(
            False,
            DenyReason.MATURITY,
            f"{title.name} is rated {title.maturity_rating.label}, above the {profile.maturity_level.label} "
            f"maturity level of the profile {profile.name}.",
        )
    if rules.schedule is not None and not rules.schedule.allows(now_us):
        return Decision(
            False,
            DenyReason.OUTSIDE_SCHEDULE,
            f"The profile {profile.name} may watch only during {rules.schedule.describe()}.",
        )
    return ALLOW
