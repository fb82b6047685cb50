"""Handlers: change a profile's rules, and stop (and publish) the playbacks they now forbid."""

from __future__ import annotations

from dataclasses import dataclass, field

from parental_service.domain.audit import Actor
from parental_service.domain.decisions import ProfileRules, decide
from parental_service.domain.playback import PlaybackStop
from parental_service.domain.profiles import MaturityLevel, Profile, profile_not_found
from parental_service.domain.schedules import ViewingWindow, new_schedule
from parental_service.service_layer import audit
from parental_service.service_layer.catalogue import TitleCatalogue
from parental_service.service_layer.ports import Clock, StopPublisher
from parental_service.service_layer.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Change:
    """What a rule change left: the profile, and the playbacks it stopped."""

    profile: Profile
    stops: list[PlaybackStop] = field(default_factory=list)


def get_profile(uow: UnitOfWork, account_id: str, profile_id: str, lock: bool = False) -> Profile:
    """The account's profile, or NotFound; `lock` to change it or decide under its rules (ProfileRepository.get)."""
    profile = uow.profiles.get(account_id, profile_id, lock=lock) if account_id and profile_id else None
    if profile is None:
        raise profile_not_found()
    return profile


def load_rules(uow: UnitOfWork, profile: Profile) -> ProfileRules:
    return ProfileRules(
        profile=profile,
        blocked_title_ids=uow.blocks.title_ids(profile.profile_id),
        schedule=uow.schedules.get(profile.profile_id),
        pin_entered_on=uow.pin_entries.devices(profile.profile_id),
    )


def stop_forbidden(uow: UnitOfWork, catalogue: TitleCatalogue, profile: Profile, now: int) -> list[PlaybackStop]:
    """Stop the profile's active playbacks that its current rules deny."""
    rules = load_rules(uow, profile)
    stops = []
    for playback in uow.playbacks.list_for_account(profile.account_id):
        title = catalogue.find(playback.title_id)
        if playback.profile_id != profile.profile_id or title is None:
            continue
        decision = decide(rules, title, playback.device_id, now)
        if not decision.allowed and decision.reason is not None:
            stops.append(PlaybackStop(playback, decision.reason, decision.message))
    uow.playbacks.stop(stop.playback.device_id for stop in stops)
    return stops


def get_profile_rules(uow: UnitOfWork, account_id: str, profile_id: str) -> ProfileRules:
    with uow:
        return load_rules(uow, get_profile(uow, account_id, profile_id))


def set_maturity_level(
    uow: UnitOfWork,
    clock: Clock,
    catalogue: TitleCatalogue,
    stops: StopPublisher,
    account_id: str,
    profile_id: str,
    level: MaturityLevel,
    actor: Actor,
) -> Change:
    now = clock()
    with uow:
        profile = get_profile(uow, account_id, profile_id, lock=True)
        old, profile.maturity_level = profile.maturity_level, level
        uow.profiles.save(profile)
        audit.record(uow, now, profile, "maturity_level", old.label, level.label, actor)
        stopped = stop_forbidden(uow, catalogue, profile, now)
        uow.commit()
    stops.publish(stopped)
    return Change(profile, stopped)


def block_title(
    uow: UnitOfWork,
    clock: Clock,
    catalogue: TitleCatalogue,
    stops: StopPublisher,
    account_id: str,
    profile_id: str,
    title_id: str,
    actor: Actor,
) -> Change:
    now = clock()
    with uow:
        profile = get_profile(uow, account_id, profile_id, lock=True)
        title = catalogue.get(title_id)
        if title_id not in uow.blocks.title_ids(profile_id):
            uow.blocks.add(profile_id, title_id)
            audit.record(uow, now, profile, "title_blocked", "allowed", f"blocked: {title.name} ({title_id})", actor)
        stopped = stop_forbidden(uow, catalogue, profile, now)
        uow.commit()
    stops.publish(stopped)
    return Change(profile, stopped)


def unblock_title(
    uow: UnitOfWork,
    clock: Clock,
    catalogue: TitleCatalogue,
    account_id: str,
    profile_id: str,
    title_id: str,
    actor: Actor,
) -> Change:
    now = clock()
    with uow:
        profile = get_profile(uow, account_id, profile_id, lock=True)
        if title_id in uow.blocks.title_ids(profile_id):
            uow.blocks.remove(profile_id, title_id)
            title = catalogue.find(title_id)
            name = f"{title.name} ({title_id})" if title else title_id
            audit.record(uow, now, profile, "title_unblocked", f"blocked: {name}", "allowed", actor)
            uow.commit()
    return Change(profile)


def set_viewing_schedule(
    uow: UnitOfWork,
    clock: Clock,
    catalogue: TitleCatalogue,
    stops: StopPublisher,
    account_id: str,
    profile_id: str,
    time_zone: str,
    windows: list[ViewingWindow],
    actor: Actor,
) -> Change:
    now = clock()
    with uow:
        profile = get_profile(uow, account_id, profile_id, lock=True)
        schedule = new_schedule(time_zone, windows)
        old = uow.schedules.get(profile_id)
        uow.schedules.set(profile_id, schedule)
        audit.record(
            uow,
            now,
            profile,
            "viewing_schedule",
            old.describe() if old else "none",
            schedule.describe() if schedule else "none",
            actor,
        )
        stopped = stop_forbidden(uow, catalogue, profile, now)
        uow.commit()
    stops.publish(stopped)
    return Change(profile, stopped)
