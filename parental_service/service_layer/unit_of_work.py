"""The repositories parental_service's handlers use, and the unit of work that holds them.

adapters/ has the SQLAlchemy ones (adapters.unit_of_work.SqlAlchemyUnitOfWork);
tests/unit/parental_service/fakes.py the in-memory ones.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable

from common.unit_of_work import UnitOfWork as BaseUnitOfWork
from parental_service.domain.audit import AuditEvent
from parental_service.domain.playback import ActivePlayback
from parental_service.domain.profiles import Profile
from parental_service.domain.schedules import ViewingSchedule


class ProfileRepository(abc.ABC):
    @abc.abstractmethod
    def lock_account(self, account_id: str) -> None:
        """Keep every other transaction from changing the account's profiles until this one ends,
        so that rules over all of them (at most five, one owner, unique names) hold under concurrency."""

    @abc.abstractmethod
    def add(self, profile: Profile) -> None: ...

    @abc.abstractmethod
    def get(self, account_id: str, profile_id: str, lock: bool = False) -> Profile | None:
        """The profile, or None if it does not exist or belongs to another account.

        `lock`: the profile stays locked until this transaction ends, so a concurrent change of it or a
        playback decision under its rules, on any replica, waits and then reads what this one wrote."""

    @abc.abstractmethod
    def charge_pin_guess(self, profile: Profile, seen_failures: int, seen_locked_until: int | None) -> bool:
        """Store `profile`'s PIN counter (failed_pin_attempts, locked_until) in one statement, only if the
        stored counter is still (`seen_failures`, `seen_locked_until`) and its PIN hash still
        `profile.pin_hash`; whether it was stored. Of concurrent guesses, on any replica, each one that
        is stored counted once; one that was not read a counter another guess had moved."""

    @abc.abstractmethod
    def list_for_account(self, account_id: str) -> list[Profile]: ...

    @abc.abstractmethod
    def save(self, profile: Profile) -> None: ...

    @abc.abstractmethod
    def remove(self, profile: Profile) -> None: ...


class PlaybackRepository(abc.ABC):
    @abc.abstractmethod
    def start(self, playback: ActivePlayback) -> None:
        """Record `playback`, replacing whatever its device played before."""

    @abc.abstractmethod
    def list_for_account(self, account_id: str) -> list[ActivePlayback]: ...

    @abc.abstractmethod
    def stop(self, device_ids: Iterable[str]) -> None: ...


class RevocationLog(abc.ABC):
    """The sequences of the revocation feed already applied here."""

    @abc.abstractmethod
    def contains(self, sequence: int) -> bool: ...

    @abc.abstractmethod
    def claim(self, sequence: int, account_id: str, applied_at: int) -> bool:
        """Record `sequence` unless it is recorded; False when it is, by an earlier transaction or a
        concurrent one (on any replica: this one waits for it to end). Called before applying, so exactly
        one transaction applies each sequence."""


class BlockRepository(abc.ABC):
    @abc.abstractmethod
    def title_ids(self, profile_id: str) -> frozenset[str]: ...

    @abc.abstractmethod
    def add(self, profile_id: str, title_id: str) -> None: ...

    @abc.abstractmethod
    def remove(self, profile_id: str, title_id: str) -> None: ...

    @abc.abstractmethod
    def remove_all(self, profile_id: str) -> None: ...


class ScheduleRepository(abc.ABC):
    @abc.abstractmethod
    def get(self, profile_id: str) -> ViewingSchedule | None: ...

    @abc.abstractmethod
    def set(self, profile_id: str, schedule: ViewingSchedule | None) -> None:
        """Store `schedule`; None removes the profile's schedule."""


class PinEntryRepository(abc.ABC):
    """Which devices entered which profile with its PIN."""

    @abc.abstractmethod
    def devices(self, profile_id: str) -> frozenset[str]: ...

    @abc.abstractmethod
    def devices_of_account(self, account_id: str) -> frozenset[str]: ...

    @abc.abstractmethod
    def add(self, account_id: str, profile_id: str, device_id: str, at: int) -> None: ...

    @abc.abstractmethod
    def forget_profile(self, profile_id: str) -> None: ...

    @abc.abstractmethod
    def forget_devices(self, device_ids: Iterable[str]) -> None: ...


class AuditLog(abc.ABC):
    @abc.abstractmethod
    def append(self, event: AuditEvent) -> None: ...

    @abc.abstractmethod
    def newest_first(
        self, account_id: str, profile_id: str, before_event_id: int | None, limit: int
    ) -> list[AuditEvent]:
        """Up to `limit` events, newest first, older than `before_event_id` when given."""


class UnitOfWork(BaseUnitOfWork):
    """One transaction over every repository: `with uow:` ... `uow.commit()`; rolls back unless committed.
    commit raises common.unit_of_work.Conflict when a concurrent writer won (a unique key clash)."""

    profiles: ProfileRepository
    playbacks: PlaybackRepository
    revocations: RevocationLog
    blocks: BlockRepository
    schedules: ScheduleRepository
    pin_entries: PinEntryRepository
    audit: AuditLog
