"""The async face of the use cases, as the gRPC servicer calls them.

The use cases are plain synchronous functions over a unit of work. This class
runs them one at a time on a single database thread, so the event loop never
blocks on the database and two requests never race on the same account's rules
(such as the 5-profile limit). PIN hashing runs apart from it (argon2 is slow),
with one PIN check at a time per profile so guesses cannot run in parallel.
Playbacks a change stops are published to the PlaybackStopHub.
"""

from __future__ import annotations

import asyncio
import functools
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol, TypeVar

from common.revocation_delivery import FeedEntries, authentic
from parental_service.domain import pins as pin_rules
from parental_service.domain.audit import Actor, AuditEvent
from parental_service.domain.decisions import Decision, ProfileRules
from parental_service.domain.profiles import MaturityLevel, Profile, ProfileKind
from parental_service.domain.revocations import Revocation
from parental_service.domain.schedules import ViewingWindow
from parental_service.domain.titles import Title
from parental_service.service_layer import audit, pins, playback, profiles, revocations, rules
from parental_service.service_layer.catalogue import TitleCatalogue
from parental_service.service_layer.stop_hub import PlaybackStopHub
from parental_service.service_layer.unit_of_work import Clock, UnitOfWorkFactory

T = TypeVar("T")


class PinHasher(Protocol):
    """Hashes PINs with a pepper held outside the database (parental_service.adapters.pin_hasher)."""

    async def hash(self, pin: str) -> str: ...

    async def verify(self, stored_hash: str, pin: str) -> bool: ...

    def needs_rehash(self, stored_hash: str) -> bool:
        """True if a right PIN should be stored again in today's form (such as a hash without the pepper)."""
        ...


class ParentalApp:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, catalogue: TitleCatalogue, hasher: PinHasher
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.catalogue = catalogue
        self.hasher = hasher
        self.stops = PlaybackStopHub()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parental-db")
        self._pin_checks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def run(self, use_case: Callable[..., T], *args: Any) -> T:
        """Run `use_case(uow, *args)` on the database thread."""
        call = functools.partial(use_case, self.uow_factory(), *args)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    async def _publishing(self, use_case: Callable[..., rules.Change], *args: Any) -> rules.Change:
        change = await self.run(use_case, *args)
        self.stops.publish(change.stops)
        return change

    def close(self) -> None:
        self._executor.shutdown(wait=True)

    # Profiles
    async def create_profile(self, account_id: str, name: str, kind: ProfileKind | None,
                             maturity_level: MaturityLevel | None, actor: Actor = Actor()) -> Profile:
        return await self.run(profiles.create_profile, self.clock, account_id, name, kind, maturity_level, actor)

    async def list_profiles(self, account_id: str) -> list[Profile]:
        return await self.run(profiles.list_profiles, account_id)

    async def rename_profile(self, account_id: str, profile_id: str, name: str, actor: Actor) -> Profile:
        return await self.run(profiles.rename_profile, self.clock, account_id, profile_id, name, actor)

    async def delete_profile(self, account_id: str, profile_id: str, actor: Actor) -> rules.Change:
        return await self._publishing(profiles.delete_profile, self.clock, account_id, profile_id, actor)

    # PINs
    async def set_profile_pin(self, account_id: str, profile_id: str, pin: str, actor: Actor) -> rules.Change:
        pin_hash = await self.hasher.hash(pin_rules.validate_pin(pin))
        return await self._publishing(
            pins.set_pin, self.clock, self.catalogue, account_id, profile_id, pin_hash, actor
        )

    async def remove_profile_pin(self, account_id: str, profile_id: str, actor: Actor) -> rules.Change:
        return await self.run(pins.remove_pin, self.clock, account_id, profile_id, actor)

    async def unlock_profile(self, account_id: str, profile_id: str, actor: Actor) -> rules.Change:
        return await self.run(pins.unlock_profile, self.clock, account_id, profile_id, actor)

    async def select_profile(self, account_id: str, profile_id: str, pin: str, device_id: str) -> Profile:
        lock = self._pin_checks.setdefault(profile_id, asyncio.Lock())
        async with lock:
            profile, pin_hash = await self.run(
                pins.begin_pin_check, self.clock, account_id, profile_id, pin, device_id
            )
            if pin_hash is None:
                return profile
            right = await self.hasher.verify(pin_hash, pin)
            rehashed = await self.hasher.hash(pin) if right and self.hasher.needs_rehash(pin_hash) else None
            return await self.run(pins.finish_pin_check, self.clock, account_id, profile_id, device_id, right,
                                  pin_hash, rehashed)

    # Rules
    async def set_maturity_level(self, account_id: str, profile_id: str, level: MaturityLevel,
                                 actor: Actor) -> rules.Change:
        return await self._publishing(
            rules.set_maturity_level, self.clock, self.catalogue, account_id, profile_id, level, actor
        )

    async def block_title(self, account_id: str, profile_id: str, title_id: str, actor: Actor) -> rules.Change:
        return await self._publishing(
            rules.block_title, self.clock, self.catalogue, account_id, profile_id, title_id, actor
        )

    async def unblock_title(self, account_id: str, profile_id: str, title_id: str, actor: Actor) -> rules.Change:
        return await self.run(rules.unblock_title, self.clock, self.catalogue, account_id, profile_id, title_id,
                              actor)

    async def set_viewing_schedule(self, account_id: str, profile_id: str, time_zone: str,
                                   windows: list[ViewingWindow], actor: Actor) -> rules.Change:
        return await self._publishing(
            rules.set_viewing_schedule, self.clock, self.catalogue, account_id, profile_id, time_zone, windows,
            actor,
        )

    async def get_profile_rules(self, account_id: str, profile_id: str) -> ProfileRules:
        return await self.run(rules.get_profile_rules, account_id, profile_id)

    # Playback
    async def decide_playback(
        self, account_id: str, profile_id: str, title_id: str, device_id: str, check_only: bool = False
    ) -> tuple[Decision, Title]:
        return await self.run(
            playback.decide_playback, self.clock, self.catalogue, account_id, profile_id, title_id, device_id,
            check_only,
        )

    async def end_playback(self, account_id: str, device_id: str) -> bool:
        return await self.run(playback.end_playback, account_id, device_id)

    async def apply_revocation(self, revocation: Revocation) -> revocations.RevocationResult:
        """Apply auth_service's own entry (the feed follower's)."""
        result = await self.run(revocations.apply_revocation, self.clock, revocation)
        self.stops.publish(result.stops)
        return result

    async def deliver_revocation(self, feed: FeedEntries[Revocation], delivered: Revocation,
                                 caller: str) -> revocations.RevocationResult:
        """ApplyRevocation from the process `caller`: as sent when that is auth_service; from
        anyone else, auth_service's feed entry with the same sequence is applied instead
        (NotFound when there is none, Unavailable when the feed cannot be read: nothing is
        recorded then)."""
        delivered.validate()
        return await self.apply_revocation(await authentic(delivered, caller, feed))

    # Audit
    async def list_audit_events(
        self, account_id: str, profile_id: str, page_size: int, page_token: str
    ) -> tuple[list[AuditEvent], str]:
        return await self.run(audit.list_audit_events, account_id, profile_id, page_size, page_token)
