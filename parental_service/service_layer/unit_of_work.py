"""Repository interfaces and the unit of work that groups them in one transaction."""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable
from types import TracebackType

from parental_service.domain.audit import AuditEvent
from parental_service.domain.playback import ActivePlayback
from parental_service.domain.profiles import Profile
from parental_service.domain.schedules import ViewingSchedule

Clock = Callable[[], int]
"""Microseconds since the epoch."""


class ProfileRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, profile: Profile) -> None: ...

    @abc.abstractmethod
    def get(self, account_id: str, profile_id: str) -> Profile | None:
        """The profile, or None if it does not exist or belongs to another account."""

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
    @abc.abstractmethod
    def contains(self, sequence: int) -> bool: ...

    @abc.abstractmethod
    def record(self, sequence: int, account_id: str, applied_at: int) -> None: ...




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


class UnitOfWork(abc.ABC):
    profiles: ProfileRepository
    playbacks: PlaybackRepository
    revocations: RevocationLog
    blocks: BlockRepository
    schedules: ScheduleRepository
    pin_entries: PinEntryRepository
    audit: AuditLog

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.rollback()

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
