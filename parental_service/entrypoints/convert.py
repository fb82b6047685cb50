"""Protobuf messages <-> parental_service's domain objects, and nothing else.

Revocations convert with common.revocation_proto, the one conversion every process uses.
"""

from __future__ import annotations

from remotesignout.auth.v1 import auth_pb2
from remotesignout.parental.v1 import parental_pb2 as pb

from common.clock import to_timestamp
from common.errors import InvalidArgument
from common.revocation import Revocation
from common.revocation_proto import from_proto
from parental_service.domain.audit import Actor, AuditEvent
from parental_service.domain.decisions import DenyReason
from parental_service.domain.playback import PlaybackStop
from parental_service.domain.profiles import MaturityLevel, Profile, ProfileKind
from parental_service.domain.schedules import ViewingSchedule, ViewingWindow
from parental_service.domain.titles import Title

_KIND_TO_PB = {
    ProfileKind.OWNER: pb.PROFILE_KIND_OWNER,
    ProfileKind.STANDARD: pb.PROFILE_KIND_STANDARD,
    ProfileKind.KIDS: pb.PROFILE_KIND_KIDS,
}
_KIND_FROM_PB: dict[int, ProfileKind] = {value: kind for kind, value in _KIND_TO_PB.items()}
_MATURITY_TO_PB: dict[MaturityLevel, pb.MaturityLevel] = {
    MaturityLevel.ALL: pb.MATURITY_LEVEL_ALL,
    MaturityLevel.SEVEN_PLUS: pb.MATURITY_LEVEL_7_PLUS,
    MaturityLevel.THIRTEEN_PLUS: pb.MATURITY_LEVEL_13_PLUS,
    MaturityLevel.SIXTEEN_PLUS: pb.MATURITY_LEVEL_16_PLUS,
    MaturityLevel.EIGHTEEN_PLUS: pb.MATURITY_LEVEL_18_PLUS,
}
_WEEKDAYS: tuple[pb.Weekday, ...] = (
    pb.WEEKDAY_MONDAY,
    pb.WEEKDAY_TUESDAY,
    pb.WEEKDAY_WEDNESDAY,
    pb.WEEKDAY_THURSDAY,
    pb.WEEKDAY_FRIDAY,
    pb.WEEKDAY_SATURDAY,
    pb.WEEKDAY_SUNDAY,
)


def kind_from_pb(value: int) -> ProfileKind | None:
    if value == pb.PROFILE_KIND_UNSPECIFIED:
        return None
    if value not in _KIND_FROM_PB:
        raise InvalidArgument(f"Unknown profile kind {value}.")
    return _KIND_FROM_PB[value]


def maturity_from_pb(value: int) -> MaturityLevel | None:
    """MaturityLevel's values match the proto enum's numbers; 0 means unset."""
    if value == pb.MATURITY_LEVEL_UNSPECIFIED:
        return None
    try:
        return MaturityLevel(value)
    except ValueError:
        raise InvalidArgument(f"Unknown maturity level {value}.") from None


def required_maturity_from_pb(value: int) -> MaturityLevel:
    level = maturity_from_pb(value)
    if level is None:
        raise InvalidArgument("A maturity level is required: all, 7+, 13+, 16+ or 18+.")
    return level


def profile_to_pb(profile: Profile) -> pb.Profile:
    return pb.Profile(
        profile_id=profile.profile_id,
        account_id=profile.account_id,
        name=profile.name,
        kind=_KIND_TO_PB[profile.kind],
        maturity_level=_MATURITY_TO_PB[profile.maturity_level],
        has_pin=profile.has_pin,
        locked_until=to_timestamp(profile.locked_until),
    )


def revocation(message: auth_pb2.Revocation) -> Revocation:
    """The delivered entry; InvalidArgument when its scope or reason is unknown."""
    return from_proto(message)


_REASON_TO_PB = {
    DenyReason.MATURITY: pb.DENY_REASON_MATURITY,
    DenyReason.BLOCKED_TITLE: pb.DENY_REASON_BLOCKED_TITLE,
    DenyReason.OUTSIDE_SCHEDULE: pb.DENY_REASON_OUTSIDE_SCHEDULE,
    DenyReason.PIN_REQUIRED: pb.DENY_REASON_PIN_REQUIRED,
    DenyReason.SIGNED_OUT: pb.DENY_REASON_SIGNED_OUT,
    DenyReason.PROFILE_DELETED: pb.DENY_REASON_PROFILE_DELETED,
}


def actor_from_pb(message: pb.Actor) -> Actor:
    return Actor(device_id=message.device_id, profile_id=message.profile_id)


def reason_to_pb(reason: DenyReason | None) -> pb.DenyReason:
    return _REASON_TO_PB[reason] if reason is not None else pb.DENY_REASON_UNSPECIFIED


def stops_to_pb(stops: list[PlaybackStop]) -> list[pb.PlaybackStop]:
    return [
        pb.PlaybackStop(
            account_id=s.playback.account_id,
            device_id=s.playback.device_id,
            profile_id=s.playback.profile_id,
            title_id=s.playback.title_id,
            reason=reason_to_pb(s.reason),
            message=s.message,
        )
        for s in stops
    ]


def title_to_pb(title: Title) -> pb.Title:
    return pb.Title(title_id=title.title_id, name=title.name, maturity_rating=_MATURITY_TO_PB[title.maturity_rating])


def windows_from_pb(schedule: pb.ViewingSchedule) -> list[ViewingWindow]:
    windows = []
    for window in schedule.windows:
        if not pb.WEEKDAY_MONDAY <= window.weekday <= pb.WEEKDAY_SUNDAY:
            raise InvalidArgument("Each viewing window names a weekday, Monday to Sunday.")
        windows.append(ViewingWindow(window.weekday - 1, window.start_minute, window.end_minute))
    return windows


def schedule_to_pb(schedule: ViewingSchedule) -> pb.ViewingSchedule:
    return pb.ViewingSchedule(
        time_zone=schedule.time_zone,
        windows=[
            pb.ViewingWindow(weekday=_WEEKDAYS[w.weekday], start_minute=w.start_minute, end_minute=w.end_minute)
            for w in schedule.windows
        ],
    )


def audit_event_to_pb(event: AuditEvent) -> pb.AuditEvent:
    return pb.AuditEvent(
        event_id=str(event.event_id),
        account_id=event.account_id,
        profile_id=event.profile_id,
        occurred_at=to_timestamp(event.occurred_at),
        change=event.change,
        old_value=event.old_value,
        new_value=event.new_value,
        actor=pb.Actor(device_id=event.actor.device_id, profile_id=event.actor.profile_id),
    )
