"""Handlers of profile lock PINs.

Hashing and verifying are slow (argon2id), so they happen outside any
transaction: `set_profile_pin` and `select_profile` await the hasher and run
the database work, the other functions here, through common.unit_of_work.in_thread.

Guesses are counted by the database, never by a lock in one process: every
replica may check PINs of one profile at the same instant. A guess is charged
to the profile's wrong-PIN count (and locks it, when it would be the fifth wrong
one) in one conditional UPDATE before it is verified (`begin_pin_check`); only a
guess that was charged is verified, and a right one resets the count after
(`finish_pin_check`). So however many guesses run at once, on however many
replicas, no more are verified than the lock-out allows. Each lock-out (the wrong
guess that locked a profile) is counted in `remotesignout_pin_lockouts_total`.
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import Counter

from common.errors import InvalidArgument, ResourceExhausted, Unauthenticated
from common.unit_of_work import in_thread
from parental_service.domain import pins
from parental_service.domain.audit import Actor
from parental_service.domain.profiles import Profile
from parental_service.service_layer import audit
from parental_service.service_layer.catalogue import TitleCatalogue
from parental_service.service_layer.ports import Clock, PinHasher, StopPublisher
from parental_service.service_layer.rules import Change, get_profile, stop_forbidden
from parental_service.service_layer.unit_of_work import UnitOfWork

PIN_LOCKOUTS = Counter(
    "remotesignout_pin_lockouts",
    "parental_service: profiles locked by a wrong PIN (the wrong guess that locked the profile).",
)

CHARGE_ROUNDS = 10
"""How often a guess reads the counter again after concurrent guesses moved it; each lost round means
another guess was counted, so the lock-out ends the rounds long before this."""
PIN_BUSY = "Too many PIN checks on this profile at once. Try again in a moment."


@dataclass(frozen=True)
class PinGuess:
    """A guess already counted as wrong: the profile as charged, the hash to verify it against, and the
    error it raises if it is wrong indeed."""

    profile: Profile
    pin_hash: str
    if_wrong: Unauthenticated | ResourceExhausted
    locks: bool
    """Whether this guess, if wrong, is the one that locked the profile (the audit trail records it)."""


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
    account_id: str,
    profile_id: str,
    pin: str,
    device_id: str,
) -> Profile:
    """Enter a profile on a device, with its PIN if it has one; a legacy hash is stored again peppered."""
    profile, guess = await in_thread(begin_pin_check, uow, clock, account_id, profile_id, pin, device_id)
    if guess is None:
        return profile
    right = await hasher.verify(guess.pin_hash, pin)
    rehashed = await hasher.hash(pin) if right and hasher.needs_rehash(guess.pin_hash) else None
    return await in_thread(finish_pin_check, uow, clock, account_id, device_id, guess, right, rehashed)


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
        profile = get_profile(uow, account_id, profile_id, lock=True)
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
        profile = get_profile(uow, account_id, profile_id, lock=True)
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
        profile = get_profile(uow, account_id, profile_id, lock=True)
        if profile.failed_pin_attempts or profile.locked_until is not None:
            was = "locked" if pins.is_locked(profile, now) else f"{profile.failed_pin_attempts} wrong PINs"
            pins.unlock(profile)
            uow.profiles.save(profile)
            audit.record(uow, now, profile, "pin_lock", was, "unlocked", actor)
            uow.commit()
    return Change(profile)


def begin_pin_check(
    uow: UnitOfWork, clock: Clock, account_id: str, profile_id: str, pin: str, device_id: str
) -> tuple[Profile, PinGuess | None]:
    """The profile, and the guess `pin` charged to its wrong-PIN count (None: the profile has no PIN).

    Raises pin_locked, pin_required or the PIN format error before any guess counts. The charge is a
    compare-and-set of the count this transaction read: when a concurrent guess moved it first, the
    profile is read again (and may be locked by now).
    """
    if not device_id:
        raise InvalidArgument("A device_id is required to enter a profile.")
    for _round in range(CHARGE_ROUNDS):
        now = clock()
        with uow:
            profile = get_profile(uow, account_id, profile_id)
            if not profile.has_pin:
                return profile, None
            pins.ensure_may_try_pin(profile, pin, now)
            seen_failures, seen_locked_until, pin_hash = (
                profile.failed_pin_attempts,
                profile.locked_until,
                profile.pin_hash,
            )
            if_wrong = pins.record_wrong_pin(profile, now)
            if uow.profiles.charge_pin_guess(profile, seen_failures, seen_locked_until):
                uow.commit()
                assert pin_hash is not None  # has_pin
                return profile, PinGuess(profile, pin_hash, if_wrong, pins.is_locked(profile, now))
    raise ResourceExhausted(PIN_BUSY, reason="pin_locked", retry_after_seconds=1)


def finish_pin_check(
    uow: UnitOfWork,
    clock: Clock,
    account_id: str,
    device_id: str,
    guess: PinGuess,
    right: bool,
    rehashed: str | None = None,
) -> Profile:
    """Record the outcome of a charged guess: enter the profile (the count starts again), or raise its error.

    `rehashed` (the right PIN hashed in today's form, such as with the pepper)
    replaces the hash it was checked against in the same transaction, unless the
    PIN changed since it was checked.
    """
    now = clock()
    profile_id = guess.profile.profile_id
    if not right:
        if guess.locks:
            PIN_LOCKOUTS.inc()
            with uow:
                failures = guess.profile.failed_pin_attempts
                audit.record(
                    uow,
                    now,
                    guess.profile,
                    "pin_lock",
                    f"{failures - 1} wrong PINs",
                    f"locked after {failures} wrong PINs",
                    Actor(device_id, profile_id),
                )
                uow.commit()
        raise guess.if_wrong
    with uow:
        profile = get_profile(uow, account_id, profile_id, lock=True)
        pins.record_right_pin(profile)
        if rehashed is not None and profile.pin_hash == guess.pin_hash:
            profile.pin_hash = rehashed
        uow.pin_entries.add(account_id, profile_id, device_id, now)
        uow.profiles.save(profile)
        uow.commit()
    return profile
