"""What the service layer needs from the outside world, as abstract interfaces.

The repositories are what `AuthUnitOfWork` carries; adapters/ holds the
SQLAlchemy ones and device_service over gRPC, tests/unit/auth_service/fakes.py
the in-memory fakes. `TokenCodec` is adapters.access_tokens.AccessTokenCodec.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence
from typing import Protocol

from auth_service.domain.device_authorization import DeviceAuthorization, Status
from auth_service.domain.model import Account, DeviceInfo, RefreshToken, Session
from auth_service.domain.throttle import Bucket
from auth_service.domain.tokens import AccessClaims
from common.revocation import Revocation

Clock = Callable[[], int]
"""Microseconds since the epoch (common.clock.now_us)."""


class AccountRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, account: Account) -> None:
        """Add a new account; a taken email fails at commit (common.unit_of_work.Conflict)."""

    @abc.abstractmethod
    def get(self, account_id: str) -> Account | None: ...

    @abc.abstractmethod
    def get_by_email(self, email: str) -> Account | None: ...

    @abc.abstractmethod
    def set_password_hash(self, account_id: str, password_hash: str) -> bool:
        """Store the new password hash of an open account, in one statement; False if it is closed (by now)."""

    @abc.abstractmethod
    def hold_open(self, account_id: str) -> bool:
        """Whether the account is open; if so it stays open until this transaction ends (a concurrent
        `close`, on any replica, waits for it), so a session added meanwhile is one closing revokes."""

    @abc.abstractmethod
    def close(self, account_id: str, closed_at_us: int) -> bool:
        """Close the account unless it is closed, in one statement; whether this call closed it."""


class SessionRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, session: Session) -> None: ...

    @abc.abstractmethod
    def get(self, session_id: str) -> Session | None: ...

    @abc.abstractmethod
    def touch(self, session_id: str, last_used_at_us: int) -> None: ...

    @abc.abstractmethod
    def set_profile(self, session_id: str, profile_id: str, profile_kind: str) -> None:
        """Scope the session to the profile; selecting another profile than the current one also ends the
        session's password confirmation (atomically: a confirmation never survives a change of profile)."""

    @abc.abstractmethod
    def record_password_confirmation(self, session_id: str, confirmed_at_us: int, profile_id: str) -> bool:
        """Record that the password was entered at `confirmed_at_us` under `profile_id`, only if that is the
        profile the session has selected (atomically); whether it was recorded."""

    @abc.abstractmethod
    def mark_revoked(self, session_id: str, revoked_at_us: int) -> None: ...


class RefreshTokenRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, token: RefreshToken) -> None: ...

    @abc.abstractmethod
    def get(self, token_hash: str) -> RefreshToken | None: ...

    @abc.abstractmethod
    def spend(self, token_hash: str, used_at_us: int) -> bool:
        """Mark it used; False if it was used already (atomically, across callers)."""


class RevocationRepository(abc.ABC):
    """The revocation feed."""

    @abc.abstractmethod
    def lock(self) -> None:
        """Take the feed's write lock until this transaction ends: writers take turns, so sequences
        commit in order (a feed reader's cursor never skips an entry that commits late) and a writer
        sees every earlier entry, in the feed and in the revocation index."""

    @abc.abstractmethod
    def append(self, revocation: Revocation) -> Revocation:
        """Append to the feed; returns the entry with its sequence."""

    @abc.abstractmethod
    def list(self, after_sequence: int, limit: int) -> list[Revocation]: ...

    @abc.abstractmethod
    def last_sequence(self) -> int: ...


class KnownDeviceRepository(abc.ABC):
    """The devices (by their client_id) that have signed in to each account: the throttle trusts them."""

    @abc.abstractmethod
    def contains(self, account_id: str, client_id: str) -> bool: ...

    @abc.abstractmethod
    def add(self, account_id: str, client_id: str, first_signed_in_at_us: int) -> None:
        """Remember the device, unless it is known already (also when a concurrent sign-in just added it)."""


class DeviceAuthorizationRepository(abc.ABC):
    """Devices signing in with a code (domain.device_authorization), by the keyed hashes of their codes. Every
    change of state is one conditional statement, so of two concurrent callers (on any replica) one wins."""

    @abc.abstractmethod
    def add(self, authorization: DeviceAuthorization) -> None:
        """Add it; a user code hash that a stored row has fails at commit (common.unit_of_work.Conflict)."""

    @abc.abstractmethod
    def forget_expired(self, expired_before_us: int, user_code_hash: str, now_us: int) -> None:
        """Delete the rows that expired before `expired_before_us`, and any expired row with `user_code_hash`
        (so that a new code may reuse the letters of an expired one)."""

    @abc.abstractmethod
    def by_device_code(self, device_code_hash: str) -> DeviceAuthorization | None: ...

    @abc.abstractmethod
    def by_user_code(self, user_code_hash: str) -> DeviceAuthorization | None: ...

    @abc.abstractmethod
    def record_poll(
        self, device_code_hash: str, last_polled_at_us: int | None, now_us: int, interval_seconds: int
    ) -> bool:
        """Set its last poll to `now_us` and its interval, if its last poll is still `last_polled_at_us`."""

    @abc.abstractmethod
    def claim(self, device_code_hash: str, account_id: str, claim_id: str, now_us: int, stale_before_us: int) -> bool:
        """Claim it for an approver of `account_id` (status claimed, its session_id `claim_id`, decided_at_us
        `now_us`) if it has not expired and is pending, or claimed by that account, or claimed at or before
        `stale_before_us`; whether it was claimed."""

    @abc.abstractmethod
    def settle(self, device_code_hash: str, claim_id: str, status: Status, now_us: int, device_id: str = "") -> bool:
        """End the claim `claim_id`: approved (signed in as `device_id`, its session being `claim_id`), denied,
        or pending again (released: no account, session or decision); False if that claim no longer holds it."""

    @abc.abstractmethod
    def abandon(self, device_code_hash: str) -> bool:
        """Mark an approved one whose tokens were never handed out expired; whether it was."""

    @abc.abstractmethod
    def expire(self, device_code_hash: str, now_us: int, stale_before_us: int) -> bool:
        """Mark it expired if it is pending or claimed at or before `stale_before_us`; whether it was."""

    @abc.abstractmethod
    def mark_exchanged(self, device_code_hash: str, now_us: int) -> bool:
        """Record that its tokens were handed out; False if they already were."""


class ThrottleStore(abc.ABC):
    """Where the throttle's buckets live (domain.throttle does the arithmetic): in memory, or in Redis to
    share them between auth_service instances. `now` is seconds since the epoch."""

    @abc.abstractmethod
    async def take(self, buckets: Sequence[Bucket], now: float) -> float:
        """Atomically take one token from every bucket, or from none: 0.0, or the seconds until each has one."""

    @abc.abstractmethod
    async def give_back(self, buckets: Sequence[Bucket], now: float) -> None:
        """Return the token an attempt took from each bucket (the password was right)."""

    @abc.abstractmethod
    async def forget(self, buckets: Sequence[Bucket]) -> None:
        """Fill the buckets again, as if they had never been used."""

    @abc.abstractmethod
    async def close(self) -> None:
        """Release connections (nothing to do in memory)."""


class DeviceRegistry(abc.ABC):
    """device_service, as sign-in sees it."""

    @abc.abstractmethod
    async def register(self, account_id: str, device: DeviceInfo, ip_address: str) -> str:
        """Register or recognise the device; returns its device_id.

        Raises PermissionDenied for a removed (banned) device and Unavailable
        when device_service does not answer in time.
        """


class Locator(Protocol):
    """An address's approximate location, as (description, country) (common.geoip)."""

    def __call__(self, ip_address: str) -> tuple[str, str]: ...


class TokenCodec(Protocol):
    """Issues and verifies access tokens; verifying does no I/O."""

    def issue(
        self,
        account_id: str,
        session_id: str,
        device_id: str,
        session_created_at_us: int,
        ttl_seconds: int | None = None,
        profile_id: str = "",
        profile_kind: str = "",
        session_expires_at_us: int = 0,
    ) -> str: ...

    def verify(self, token: str) -> AccessClaims: ...

    def public_jwks(self) -> list[dict[str, str]]: ...
