"""In-memory repositories and unit of work, for unit tests."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import hmac
from collections.abc import Iterable

from parental_service.domain.audit import AuditEvent
from parental_service.domain.playback import ActivePlayback
from parental_service.domain.profiles import Profile
from parental_service.domain.schedules import ViewingSchedule
from parental_service.service_layer import unit_of_work as uow


class FakeProfileRepository(uow.ProfileRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Profile] = {}

    def lock_account(self, account_id: str) -> None:
        pass  # one unit of work at a time

    def add(self, profile: Profile) -> None:
        self.rows[profile.profile_id] = copy.copy(profile)

    def get(self, account_id: str, profile_id: str, lock: bool = False) -> Profile | None:
        profile = self.rows.get(profile_id)
        return copy.copy(profile) if profile and profile.account_id == account_id else None

    def charge_pin_guess(self, profile: Profile, seen_failures: int, seen_locked_until: int | None) -> bool:
        stored = self.rows.get(profile.profile_id)
        if stored is None or (stored.pin_hash, stored.failed_pin_attempts, stored.locked_until) != (
            profile.pin_hash,
            seen_failures,
            seen_locked_until,
        ):
            return False
        stored.failed_pin_attempts, stored.locked_until = profile.failed_pin_attempts, profile.locked_until
        return True

    def list_for_account(self, account_id: str) -> list[Profile]:
        return [copy.copy(p) for p in self.rows.values() if p.account_id == account_id]

    def save(self, profile: Profile) -> None:
        self.rows[profile.profile_id] = copy.copy(profile)

    def remove(self, profile: Profile) -> None:
        self.rows.pop(profile.profile_id, None)


class FakePlaybackRepository(uow.PlaybackRepository):
    def __init__(self) -> None:
        self.rows: dict[str, ActivePlayback] = {}

    def start(self, playback: ActivePlayback) -> None:
        self.rows[playback.device_id] = playback

    def list_for_account(self, account_id: str) -> list[ActivePlayback]:
        return [p for p in self.rows.values() if p.account_id == account_id]

    def stop(self, device_ids: Iterable[str]) -> None:
        for device_id in device_ids:
            self.rows.pop(device_id, None)


class FakeRevocationLog(uow.RevocationLog):
    def __init__(self) -> None:
        self.applied: dict[int, str] = {}

    def contains(self, sequence: int) -> bool:
        return sequence in self.applied

    def claim(self, sequence: int, account_id: str, applied_at: int) -> bool:
        if sequence in self.applied:
            return False
        self.applied[sequence] = account_id
        return True


class FakeBlockRepository(uow.BlockRepository):
    def __init__(self) -> None:
        self.rows: set[tuple[str, str]] = set()

    def title_ids(self, profile_id: str) -> frozenset[str]:
        return frozenset(t for p, t in self.rows if p == profile_id)

    def add(self, profile_id: str, title_id: str) -> None:
        self.rows.add((profile_id, title_id))

    def remove(self, profile_id: str, title_id: str) -> None:
        self.rows.discard((profile_id, title_id))

    def remove_all(self, profile_id: str) -> None:
        self.rows = {(p, t) for p, t in self.rows if p != profile_id}


class FakeScheduleRepository(uow.ScheduleRepository):
    def __init__(self) -> None:
        self.rows: dict[str, ViewingSchedule] = {}

    def get(self, profile_id: str) -> ViewingSchedule | None:
        return self.rows.get(profile_id)

    def set(self, profile_id: str, schedule: ViewingSchedule | None) -> None:
        if schedule is None:
            self.rows.pop(profile_id, None)
        else:
            self.rows[profile_id] = schedule


class FakePinEntryRepository(uow.PinEntryRepository):
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], str] = {}

    def devices(self, profile_id: str) -> frozenset[str]:
        return frozenset(d for p, d in self.rows if p == profile_id)

    def devices_of_account(self, account_id: str) -> frozenset[str]:
        return frozenset(d for (_, d), a in self.rows.items() if a == account_id)

    def add(self, account_id: str, profile_id: str, device_id: str, at: int) -> None:
        self.rows[(profile_id, device_id)] = account_id

    def forget_profile(self, profile_id: str) -> None:
        self.rows = {k: a for k, a in self.rows.items() if k[0] != profile_id}

    def forget_devices(self, device_ids: Iterable[str]) -> None:
        gone = set(device_ids)
        self.rows = {k: a for k, a in self.rows.items() if k[1] not in gone}


class FakeAuditLog(uow.AuditLog):
    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    def append(self, event: AuditEvent) -> None:
        self.events.append(dataclasses.replace(event, event_id=len(self.events) + 1))

    def newest_first(
        self, account_id: str, profile_id: str, before_event_id: int | None, limit: int
    ) -> list[AuditEvent]:
        matching = [
            e
            for e in reversed(self.events)
            if e.account_id == account_id
            and (not profile_id or e.profile_id == profile_id)
            and (before_event_id is None or e.event_id < before_event_id)
        ]
        return matching[:limit]


_REPOSITORIES = (
    ("profiles", FakeProfileRepository),
    ("playbacks", FakePlaybackRepository),
    ("revocations", FakeRevocationLog),
    ("blocks", FakeBlockRepository),
    ("schedules", FakeScheduleRepository),
    ("pin_entries", FakePinEntryRepository),
    ("audit", FakeAuditLog),
)


class FakeUnitOfWork(uow.UnitOfWork):
    """One in-memory database: what a `with` block changes is seen by later blocks only if committed."""

    def __init__(self) -> None:
        self._committed = {name: kind() for name, kind in _REPOSITORIES}
        self.commits = 0
        self.rollback()

    def commit(self) -> None:
        self._committed = copy.deepcopy({name: getattr(self, name) for name, _ in _REPOSITORIES})
        self.commits += 1

    def rollback(self) -> None:
        for name, repository in copy.deepcopy(self._committed).items():
            setattr(self, name, repository)


TEST_PEPPER = b"unit-test PIN pepper: fixed, 32 bytes or more"
LEGACY_PREFIX = "fake-hash:"
PEPPERED_PREFIX = "fake-peppered:"


def legacy_fake_hash(pin: str) -> str:
    """What FakePinHasher stored before PINs were peppered."""
    return LEGACY_PREFIX + pin[::-1]


class FakePinHasher:
    """Stands in for argon2id with a pepper: instant, never stores the PIN as is, and
    still verifies (and asks to rehash) the un-peppered legacy form."""

    def __init__(self, pepper: bytes = TEST_PEPPER) -> None:
        self.pepper = pepper

    async def hash(self, pin: str) -> str:
        return PEPPERED_PREFIX + hmac.new(self.pepper, pin.encode(), hashlib.sha256).hexdigest()

    async def verify(self, stored_hash: str, pin: str) -> bool:
        if stored_hash.startswith(LEGACY_PREFIX):
            return hmac.compare_digest(stored_hash, legacy_fake_hash(pin))
        return hmac.compare_digest(stored_hash, await self.hash(pin))

    def needs_rehash(self, stored_hash: str) -> bool:
        return not stored_hash.startswith(PEPPERED_PREFIX)
