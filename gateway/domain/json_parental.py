"""The JSON of profiles' rules, titles, playback decisions and the audit trail."""

from __future__ import annotations

from typing import Any

from gateway.domain.json_shapes import iso, profile_json
from gateway.domain.parental import (
    AuditPage,
    PlaybackDecision,
    PlaybackStop,
    ProfileChange,
    ProfileRules,
    Title,
    TitlePage,
    ViewingSchedule,
)


def title_json(title: Title) -> dict[str, Any]:
    return {"title_id": title.title_id, "name": title.name, "maturity_rating": title.maturity_rating}


def title_page_json(page: TitlePage) -> dict[str, Any]:
    return {"titles": [title_json(t) for t in page.titles], "next_page_token": page.next_page_token}


def stop_json(stop: PlaybackStop) -> dict[str, Any]:
    """What a device is told when its playback stops (the SSE `playback_stopped` data)."""
    return {"title_id": stop.title_id, "reason": stop.reason, "message": stop.message}


def stopped_playback_json(stop: PlaybackStop) -> dict[str, Any]:
    return {"device_id": stop.device_id, "profile_id": stop.profile_id, **stop_json(stop)}


def change_json(change: ProfileChange) -> dict[str, Any]:
    body: dict[str, Any] = {"stopped_playbacks": [stopped_playback_json(s) for s in change.stopped_playbacks]}
    if change.profile is not None:
        body["profile"] = profile_json(change.profile)
    return body


def schedule_json(schedule: ViewingSchedule | None) -> dict[str, Any] | None:
    if schedule is None:
        return None
    return {
        "time_zone": schedule.time_zone,
        "windows": [{"weekday": w.weekday, "start_minute": w.start_minute, "end_minute": w.end_minute}
                    for w in schedule.windows],
    }


def rules_json(rules: ProfileRules) -> dict[str, Any]:
    return {
        "profile": profile_json(rules.profile),
        "blocked_title_ids": list(rules.blocked_title_ids),
        "schedule": schedule_json(rules.schedule),
    }


def decision_json(decision: PlaybackDecision) -> dict[str, Any]:
    return {
        "allowed": decision.allowed,
        "reason": decision.reason or None,
        "message": decision.message,
        "title": title_json(decision.title) if decision.title else None,
    }


def audit_page_json(page: AuditPage) -> dict[str, Any]:
    return {
        "events": [
            {"event_id": e.event_id, "profile_id": e.profile_id, "occurred_at": iso(e.occurred_at),
             "change": e.change, "old_value": e.old_value, "new_value": e.new_value,
             "actor": {"device_id": e.actor.device_id, "profile_id": e.actor.profile_id or None}}
            for e in page.events
        ],
        "next_page_token": page.next_page_token,
    }
