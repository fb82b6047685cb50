"""Use cases: profile lock PINs. Hashing and verifying happen outside these
functions (they are slow); these only read and change the stored state."""

from __future__ import annotations

from common.errors import InvalidArgument
from parental_service.domain import pins
from parental_service.domain.audit import Actor
from parental_service.domain.profiles import Profile
from parental_service.service_layer import audit
from parental_service.service_layer.catalogue import TitleCatalogue
from parental_service.service_layer.rules import Change, get_profile, stop_forbidden
from parental_service.service_layer.unit_of_work import Clock, UnitOfWork


def set_pin(
    uow: UnitOfWork, clock: Clock, catalogue: TitleCatalogue,
    account_id: str, profile_id: str, pin_hash: str, actor: Actor,
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
        stops = stop_forbidden(uow, catalogue, profile, now)
        uow.commit()
    return Change(profile, stops)


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


def begin_pin_check(uow: UnitOfWork, clock: Clock, account_id: str, profile_id: str, pin: str,
                    device_id: str) -> tuple[Profile, str | None]:
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
    uow: UnitOfWork, clock: Clock, account_id: str, profile_id: str, device_id: str, right: bool,
    checked_hash: str | None = None, rehashed: str | None = None,
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
            audit.record(uow, now, profile, "pin_lock", f"{profile.failed_pin_attempts - 1} wrong PINs",
                         f"locked after {profile.failed_pin_attempts} wrong PINs", Actor(device_id, profile_id))
        uow.commit()
    raise error
