"""Handlers of profile lock PINs.

Hashing and verifying are slow (argon2id), so they happen outside any
transaction: `set_profile_pin` and `select_profile` await the hasher and run
the database work, the other functions here, through common.unit_of_work.in_thread.
One PIN check at a time per profile (`PinChecks`), so guesses cannot run in parallel.
"""

from __future__ import annotations

import asyncio
import weakref

from common.errors import InvalidArgument
from common.unit_of_work import in_thread
from parental_service.domain import pins
from parental_service.domain.audit import Actor
from parental_service.domain.profiles import Profile
from parental_service.service_layer import audit
from parental_service.service_layer.catalogue import TitleCatalogue
from parental_service.service_layer.ports import Clock, PinHasher, StopPublisher
from parental_service.service_layer.rules import Change, get_profile, stop_forbidden
from parental_service.service_layer.unit_of_work import UnitOfWork


class PinChecks:
    """The lock each profile's PIN checks take, in this process."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def lock(self, profile_id: str) -> asyncio.Lock:
        return self._locks.setdefault(profile_id, asyncio.Lock())


async def set_profile_pin(
    uow: UnitOfWork,
    clock: Clock,
    catalogue: TitleCatalogue,
    stops: StopPublisher,
    hasher: PinHasher,
    account_id: str,
    profile_id: str,
    pin: str,
    actor: Actor,
) -> Change:
    """Hash `pin` (InvalidArgument unless 4 digits) and store it: `set_pin`."""
    pin_hash = await hasher.hash(pins.validate_pin(pin))
    return await in_thread(set_pin, uow, clock, catalogue, stops, account_id, profile_id, pin_hash, actor)


async def select_profile(
    uow: UnitOfWork,
    clock: Clock,
    hasher: PinHasher,
    checks: PinChecks,
    account_id: str,
    profile_id: str,
    pin: str,
    device_id: str,
) -> Profile:
    """Enter a profile on a device, with its PIN if it has one; a legacy hash is stored again peppered."""
    async with checks.lock(profile_id):
        profile, pin_hash = await in_thread(begin_pin_check, uow, clock, account_id, profile_id, pin, device_id)
        if pin_hash is None:
            return profile
        right = await hasher.verify(pin_hash, pin)
        rehashed = await hasher.hash(pin) if right and hasher.needs_rehash(pin_hash) else None
        return await in_thread(
            finish_pin_check, uow, clock, account_id, profile_id, device_id, right, pin_hash, rehashed
        )


def set_pin(
    uow: UnitOfWork,
    clock: Clock,
    catalogue: TitleCatalogue,
    stops: StopPublisher,
    account_id: str,
    profile_id: str,
    pin_hash: str,
    actor: Actor,
) -> Change:
    """Store a new PIN hash; every device must enter the new PIN again."""
    now = clock()
    with uow:
        profile = get_profile(uow, account_id, profile_id)
        old = "set" if profile.has_pin else "none"
        profile.pin_hash = pin_hash
        pins.unlock(profile)
        uow.profiles.save(profile)
        uow.pin_entries.forget_profile(profile_id)
        audit.record(uow, now, profile, "pin", old, "set", actor)
        stopped = stop_forbidden(uow, catalogue, profile, now)
        uow.commit()
    stops.publish(stopped)
    return Change(profile, stopped)


def remove_pin(uow: UnitOfWork, clock: Clock, account_id: str, profile_id: str, actor: Actor) -> Change:
    now = clock()
    with uow:
        profile = get_profile(uow, account_id, profile_id)
        if profile.has_pin:
            profile.pin_hash = None
            pins.unlock(profile)
            uow.profiles.save(profile)
            uow.pin_entries.forget_profile(profile_id)
            audit.record(uow, now, profile, "pin", "set", "none", actor)
            uow.commit()
    return Change(profile)


def unlock_profile(uow: UnitOfWork, clock: Clock, account_id: str, profile_id: str, actor: Actor) -> Change:
    now = clock()
    with uow:
        profile = get_profile(uow, account_id, profile_id)
        if profile.failed_pin_attempts or profile.locked_until is not None:
            was = "locked" if pins.is_locked(profile, now) else f"{profile.failed_pin_attempts} wrong PINs"
            pins.unlock(profile)
            uow.profiles.save(profile)
            audit.record(uow, now, profile, "pin_lock", was, "unlocked", actor)
            uow.commit()
    return Change(profile)


def begin_pin_check(
    uow: UnitOfWork, clock: Clock, account_id: str, profile_id: str, pin: str, device_id: str
) -> tuple[Profile, str | None]:
    """The profile and the PIN hash to verify `pin` against (None: no PIN needed).

    Raises pin_locked, pin_required or the PIN format error before any guess counts.
    """
    if not device_id:
        raise InvalidArgument("A device_id is required to enter a profile.")
    with uow:
        profile = get_profile(uow, account_id, profile_id)
    if not profile.has_pin:
        return profile, None
    pins.ensure_may_try_pin(profile, pin, clock())
    return profile, profile.pin_hash


def finish_pin_check(
    uow: UnitOfWork,
    clock: Clock,
    account_id: str,
    profile_id: str,
    device_id: str,
    right: bool,
    checked_hash: str | None = None,
    rehashed: str | None = None,
) -> Profile:
    """Record the outcome of a PIN check: enter the profile, or count the wrong PIN and raise.

    `rehashed` (the right PIN hashed in today's form, such as with the pepper)
    replaces `checked_hash` in the same transaction, unless the PIN changed
    since it was checked.
    """
    now = clock()
    with uow:
        profile = get_profile(uow, account_id, profile_id)
        if right:
            pins.record_right_pin(profile)
            if rehashed is not None and checked_hash is not None and profile.pin_hash == checked_hash:
                profile.pin_hash = rehashed
            uow.pin_entries.add(account_id, profile_id, device_id, now)
            uow.profiles.save(profile)
            uow.commit()
            return profile
        error = pins.record_wrong_pin(profile, now)
        uow.profiles.save(profile)
        if pins.is_locked(profile, now):
            audit.record(
                uow,
                now,
                profile,
                "pin_lock",
                f"{profile.failed_pin_attempts - 1} wrong PINs",
                f"locked after {profile.failed_pin_attempts} wrong PINs",
                Actor(device_id, profile_id),
            )
        uow.commit()
    raise error
