"""Translation of parental_service's rules, titles, decisions and audit messages."""

from __future__ import annotations

from remotesignout.parental.v1 import parental_pb2

from gateway.adapters.convert import (
    MATURITY_WORDS,
    enum_words,
    moment,
    profile_from_proto,
)
from gateway.domain import parental

DENY_REASON_WORDS = enum_words(parental_pb2.DenyReason, "DENY_REASON_", parental.DENY_REASONS)
WEEKDAY_WORDS = enum_words(parental_pb2.Weekday, "WEEKDAY_", parental.WEEKDAYS)
WEEKDAY_VALUES = {word: value for value, word in WEEKDAY_WORDS.items()}


def actor_to_proto(actor: parental.Actor) -> parental_pb2.Actor:
    return parental_pb2.Actor(device_id=actor.device_id, profile_id=actor.profile_id)


def title_from_proto(message: parental_pb2.Title) -> parental.Title:
    return parental.Title(message.title_id, message.name, MATURITY_WORDS.get(message.maturity_rating, "unspecified"))


def stop_from_proto(message: parental_pb2.PlaybackStop) -> parental.PlaybackStop:
    return parental.PlaybackStop(
        device_id=message.device_id,
        profile_id=message.profile_id,
        title_id=message.title_id,
        reason=DENY_REASON_WORDS.get(message.reason, "unspecified"),
        message=message.message,
    )


def stops_from_proto(messages: object) -> list[parental.PlaybackStop]:
    return [stop_from_proto(m) for m in messages]  # type: ignore[attr-defined]


def decision_from_proto(message: parental_pb2.DecidePlaybackResponse) -> parental.PlaybackDecision:
    return parental.PlaybackDecision(
        allowed=message.allowed,
        reason="" if message.allowed else DENY_REASON_WORDS.get(message.reason, "unspecified"),
        message=message.message,
        title=title_from_proto(message.title) if message.HasField("title") else None,
    )


def schedule_to_proto(schedule: parental.ViewingSchedule) -> parental_pb2.ViewingSchedule:
    return parental_pb2.ViewingSchedule(
        time_zone=schedule.time_zone,
        windows=[
            parental_pb2.ViewingWindow(
                weekday=WEEKDAY_VALUES[w.weekday],  # type: ignore[arg-type]
                start_minute=w.start_minute,
                end_minute=w.end_minute,
            )
            for w in schedule.windows
        ],
    )


def schedule_from_proto(message: parental_pb2.ViewingSchedule) -> parental.ViewingSchedule:
    return parental.ViewingSchedule(
        message.time_zone,
        [parental.ViewingWindow(WEEKDAY_WORDS.get(w.weekday, "unspecified"), w.start_minute, w.end_minute)
         for w in message.windows],
    )


def rules_from_proto(message: parental_pb2.GetProfileRulesResponse) -> parental.ProfileRules:
    return parental.ProfileRules(
        profile=profile_from_proto(message.profile),
        blocked_title_ids=list(message.blocked_title_ids),
        schedule=schedule_from_proto(message.schedule) if message.HasField("schedule") else None,
    )


def audit_event_from_proto(message: parental_pb2.AuditEvent) -> parental.AuditEvent:
    return parental.AuditEvent(
        event_id=message.event_id,
        profile_id=message.profile_id,
        occurred_at=moment(message, "occurred_at"),
        change=message.change,
        old_value=message.old_value,
        new_value=message.new_value,
        actor=parental.Actor(message.actor.device_id, message.actor.profile_id),
    )
