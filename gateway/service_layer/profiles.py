"""The caller's profiles, as parental_service keeps them."""

from __future__ import annotations

from gateway.adapters.parental_client import ParentalClient
from gateway.domain.model import Caller, Profile
from gateway.domain.requests import NewProfile


async def list_profiles(parental: ParentalClient, caller: Caller) -> list[Profile]:
    return await parental.list_profiles(caller)


async def create_profile(parental: ParentalClient, caller: Caller, profile: NewProfile) -> Profile:
    return await parental.create_profile(caller, profile)
