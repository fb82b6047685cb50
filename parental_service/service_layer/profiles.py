"""Handlers of profiles: create, list, rename and delete the profiles of an account."""

from __future__ import annotations

import uuid

from common.errors import FailedPrecondition
from parental_service.domain.audit import NOBODY, Actor
from parental_service.domain.decisions import DenyReason
from parental_service.domain.playback import PROFILE_DELETED_MESSAGE, PlaybackStop
from parental_service.domain.profiles import (
    MaturityLevel,
    Profile,
    ProfileKind,
    clean_name,
    ensure_name_free,
    new_profile,
    owner_first,
)
from parental_service.service_layer import audit
from parental_service.service_layer.ports import Clock, StopPublisher
from parental_service.service_layer.rules import Change, get_profile
from parental_service.service_layer.unit_of_work import UnitOfWork


def create_profile(
    uow: UnitOfWork,
    clock: Clock,
    account_id: str,
    name: str,
    kind: ProfileKind | None = None,
    maturity_level: MaturityLevel | None = None,
    actor: Actor = NOBODY,
) -> Profile:
    now = clock()
    with uow:
        uow.profiles.lock_account(account_id)
        profile = new_profile(
            uow.profiles.list_for_account(account_id),
            profile_id=str(uuid.uuid4()),
            account_id=account_id,
            name=name,
            kind=kind,
            maturity_level=maturity_level,
            now=now,
        )
        uow.profiles.add(profile)
        audit.record(
            uow,
            now,
            profile,
            "profile_created",
            "none",
            f"{profile.name} ({profile.kind.value}, {profile.maturity_level.label})",
            actor,
        )
        uow.commit()
        return profile


def list_profiles(uow: UnitOfWork, account_id: str) -> list[Profile]:
    with uow:
        return owner_first(uow.profiles.list_for_account(account_id))


def rename_profile(uow: UnitOfWork, clock: Clock, account_id: str, profile_id: str, name: str, actor: Actor) -> Profile:
    now = clock()
    with uow:
        uow.profiles.lock_account(account_id)
        profile = get_profile(uow, account_id, profile_id, lock=True)
        cleaned = clean_name(name)
        ensure_name_free(uow.profiles.list_for_account(account_id), cleaned, except_profile_id=profile_id)
        if cleaned != profile.name:
            old, profile.name = profile.name, cleaned
            uow.profiles.save(profile)
            audit.record(uow, now, profile, "name", old, cleaned, actor)
            uow.commit()
        return profile


def delete_profile(
    uow: UnitOfWork, clock: Clock, stops: StopPublisher, account_id: str, profile_id: str, actor: Actor
) -> Change:
    """Delete a profile with its rules; its active playbacks stop. Not the owner's."""
    now = clock()
    with uow:
        profile = get_profile(uow, account_id, profile_id, lock=True)
        if profile.is_owner:
            raise FailedPrecondition("The owner profile cannot be deleted.", reason="owner_profile")
        playing = [p for p in uow.playbacks.list_for_account(account_id) if p.profile_id == profile_id]
        uow.playbacks.stop(p.device_id for p in playing)
        uow.blocks.remove_all(profile_id)
        uow.schedules.set(profile_id, None)
        uow.pin_entries.forget_profile(profile_id)
        uow.profiles.remove(profile)
        audit.record(uow, now, profile, "profile_deleted", profile.name, "none", actor)
        uow.commit()
    stopped = [PlaybackStop(p, DenyReason.PROFILE_DELETED, PROFILE_DELETED_MESSAGE) for p in playing]
    stops.publish(stopped)
    return Change(profile, stopped)
