"""The caller's profiles and their parental controls, as parental_service keeps them.

Changes to profiles are account settings: a session in a kids profile is
refused them. Changes that protect the controls themselves (maturity, PIN,
unlock, title blocks, schedule) need the account password, which auth_service
checks first; a wrong one is UNAUTHENTICATED (wrong_password) and the session
stays valid. parental_service records who made each change (the actor).
"""

from __future__ import annotations

from typing import Protocol

from gateway.adapters.auth_client import AuthClient
from gateway.adapters.parental_client import ParentalClient
from gateway.domain.model import Caller, Profile
from gateway.domain.parental import Actor, AuditPage, ProfileChange, ProfileRules, TitlePage, ViewingSchedule
from gateway.domain.requests import NewProfile, PageRequest
from gateway.service_layer import profile_selection


class ProfileBackends(Protocol):
    auth: AuthClient
    parental: ParentalClient


async def list_profiles(parental: ParentalClient, caller: Caller) -> list[Profile]:
    return await parental.list_profiles(caller)


async def create_profile(parental: ParentalClient, caller: Caller, profile: NewProfile,
                         actor: Actor | None = None) -> Profile:
    return await parental.create_profile(caller, profile, actor)


async def select_profile(backends: ProfileBackends, caller: Caller, profile_id: str,
                         pin: str) -> tuple[Profile, str, int]:
    """Enter a profile on the caller's device: parental_service checks the PIN, auth_service
    scopes the session to it and issues an access token that carries it."""
    profile = await backends.parental.select_profile(caller, profile_id, pin)
    access_token, expires_in = await backends.auth.set_session_profile(caller, profile)
    return profile, access_token, expires_in


def owner_actor(backends: ProfileBackends, caller: Caller) -> Actor:
    """The caller as the actor of an account setting; PermissionDenied in a kids profile."""
    profile_selection.require_account_settings(caller)
    return profile_selection.actor(caller)


async def verified_actor(backends: ProfileBackends, caller: Caller, password: str) -> Actor:
    actor = owner_actor(backends, caller)
    await backends.auth.verify_password(caller, password)
    return actor


async def rename_profile(backends: ProfileBackends, caller: Caller, profile_id: str, name: str) -> Profile:
    return await backends.parental.rename_profile(caller, profile_id, name, owner_actor(backends, caller))


async def delete_profile(backends: ProfileBackends, caller: Caller, profile_id: str) -> ProfileChange:
    return await backends.parental.delete_profile(caller, profile_id, owner_actor(backends, caller))


async def get_rules(backends: ProfileBackends, caller: Caller, profile_id: str) -> ProfileRules:
    owner_actor(backends, caller)
    return await backends.parental.get_profile_rules(caller, profile_id)


async def set_maturity_level(backends: ProfileBackends, caller: Caller, profile_id: str, level: str,
                             password: str) -> ProfileChange:
    actor = await verified_actor(backends, caller, password)
    return await backends.parental.set_maturity_level(caller, profile_id, level, actor)


async def set_pin(backends: ProfileBackends, caller: Caller, profile_id: str, pin: str,
                  password: str) -> ProfileChange:
    actor = await verified_actor(backends, caller, password)
    return await backends.parental.set_profile_pin(caller, profile_id, pin, actor)


async def remove_pin(backends: ProfileBackends, caller: Caller, profile_id: str, password: str) -> ProfileChange:
    actor = await verified_actor(backends, caller, password)
    return await backends.parental.remove_profile_pin(caller, profile_id, actor)


async def unlock(backends: ProfileBackends, caller: Caller, profile_id: str, password: str) -> ProfileChange:
    actor = await verified_actor(backends, caller, password)
    return await backends.parental.unlock_profile(caller, profile_id, actor)


async def block_title(backends: ProfileBackends, caller: Caller, profile_id: str, title_id: str,
                      password: str) -> ProfileChange:
    actor = await verified_actor(backends, caller, password)
    return await backends.parental.block_title(caller, profile_id, title_id, actor)


async def unblock_title(backends: ProfileBackends, caller: Caller, profile_id: str, title_id: str,
                        password: str) -> ProfileChange:
    actor = await verified_actor(backends, caller, password)
    return await backends.parental.unblock_title(caller, profile_id, title_id, actor)


async def set_schedule(backends: ProfileBackends, caller: Caller, profile_id: str, schedule: ViewingSchedule,
                       password: str) -> ProfileChange:
    actor = await verified_actor(backends, caller, password)
    return await backends.parental.set_viewing_schedule(caller, profile_id, schedule, actor)


async def list_titles(parental: ParentalClient, page: PageRequest) -> TitlePage:
    return await parental.list_titles(page)


async def list_audit_events(backends: ProfileBackends, caller: Caller, profile_id: str,
                            page: PageRequest) -> AuditPage:
    owner_actor(backends, caller)
    return await backends.parental.list_audit_events(caller, profile_id, page)
