"""What the service layer needs from the outside world, as abstract interfaces.

adapters/ holds the real implementations; tests/unit/auth_service/fakes.py the fakes.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager

from auth_service.domain.model import Account, DeviceInfo, RefreshToken, Revocation, Session


class Repository(abc.ABC):
    """Storage inside one transaction."""

    @abc.abstractmethod
    def add_account(self, account: Account) -> None: ...

    @abc.abstractmethod
    def get_account(self, account_id: str) -> Account | None: ...

    @abc.abstractmethod
    def get_account_by_email(self, email: str) -> Account | None: ...

    @abc.abstractmethod
    def update_account(self, account: Account) -> None: ...

    @abc.abstractmethod
    def add_session(self, session: Session) -> None: ...

    @abc.abstractmethod
    def get_session(self, session_id: str) -> Session | None: ...

    @abc.abstractmethod
    def touch_session(self, session_id: str, last_used_at_us: int) -> None: ...

    @abc.abstractmethod
    def set_session_profile(self, session_id: str, profile_id: str, profile_kind: str) -> None: ...

    @abc.abstractmethod
    def mark_session_revoked(self, session_id: str, revoked_at_us: int) -> None: ...

    @abc.abstractmethod
    def add_refresh_token(self, token: RefreshToken) -> None: ...

    @abc.abstractmethod
    def get_refresh_token(self, token_hash: str) -> RefreshToken | None: ...

    @abc.abstractmethod
    def spend_refresh_token(self, token_hash: str, used_at_us: int) -> bool:
        """Mark it used; False if it was used already (atomically, across callers)."""

    @abc.abstractmethod
    def add_revocation(self, revocation: Revocation) -> Revocation:
        """Append to the feed; returns the entry with its sequence."""

    @abc.abstractmethod
    def list_revocations(self, after_sequence: int, limit: int) -> list[Revocation]: ...

    @abc.abstractmethod
    def last_sequence(self) -> int: ...


class Store(abc.ABC):
    """Opens transactions: `with store.transaction() as repo:` commits on success."""

    @abc.abstractmethod
    def transaction(self) -> AbstractContextManager[Repository]: ...

    @abc.abstractmethod
    def committing_off_loop(self) -> AbstractAsyncContextManager[Repository]:
        """A transaction whose commit (the fsync) runs in a worker thread, so the event
        loop serves other calls, and delivers push events, while the disk works."""

    def all_revocations(self, batch: int = 5000) -> Iterator[Revocation]:
        after = 0
        while True:
            with self.transaction() as repo:
                page = repo.list_revocations(after, batch)
            yield from page
            if len(page) < batch:
                return
            after = page[-1].sequence


class DeviceRegistry(abc.ABC):
    """device_service, as sign-in sees it."""

    @abc.abstractmethod
    async def register(self, account_id: str, device: DeviceInfo, ip_address: str) -> str:
        """Register or recognise the device; returns its device_id.

        Raises PermissionDenied for a removed (banned) device and Unavailable
        when device_service does not answer in time.
        """
