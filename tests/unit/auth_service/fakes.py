"""In-memory fakes of auth_service's unit of work and device registry."""

from __future__ import annotations

import asyncio
import copy
import threading
from dataclasses import dataclass, field, replace

from auth_service.domain.device_authorization import DeviceAuthorization, Status
from auth_service.domain.model import Account, DeviceInfo, RefreshToken, Session
from auth_service.service_layer.ports import (
    AccountRepository,
    DeviceAuthorizationRepository,
    DeviceRegistry,
    KnownDeviceRepository,
    RefreshTokenRepository,
    RevocationRepository,
    SessionRepository,
)
from auth_service.service_layer.unit_of_work import AuthUnitOfWork
from common.errors import PermissionDenied
from common.revocation import Revocation
from common.unit_of_work import Conflict

TEST_REFRESH_TOKEN_KEY = b"test refresh-token key: fixed, 32+ bytes"


@dataclass
class FakeDatabase:
    """What the fake units of work share: the rows, and how many commits they made."""

    accounts: dict[str, Account] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    refresh_tokens: dict[str, RefreshToken] = field(default_factory=dict)
    revocations: list[Revocation] = field(default_factory=list)
    known_devices: dict[tuple[str, str], int] = field(default_factory=dict)
    device_authorizations: dict[str, DeviceAuthorization] = field(default_factory=dict)
    commits: int = 0
    feed_lock: threading.Lock = field(default_factory=threading.Lock)

    def unit_of_work(self) -> FakeAuthUnitOfWork:
        return FakeAuthUnitOfWork(self)


class FakeAccounts(AccountRepository):
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def add(self, account: Account) -> None:
        if any(a.email == account.email for a in self.db.accounts.values()):
            raise Conflict(f"email {account.email} is taken")
        self.db.accounts[account.account_id] = account

    def get(self, account_id: str) -> Account | None:
        return copy.copy(self.db.accounts.get(account_id))

    def get_by_email(self, email: str) -> Account | None:
        return copy.copy(next((a for a in self.db.accounts.values() if a.email == email), None))

    def set_password_hash(self, account_id: str, password_hash: str) -> bool:
        account = self.db.accounts[account_id]
        if account.closed_at_us is not None:
            return False
        account.password_hash = password_hash
        return True

    def hold_open(self, account_id: str) -> bool:
        account = self.db.accounts.get(account_id)
        return account is not None and account.closed_at_us is None

    def close(self, account_id: str, closed_at_us: int) -> bool:
        account = self.db.accounts[account_id]
        if account.closed_at_us is not None:
            return False
        account.closed_at_us = closed_at_us
        return True


class FakeSessions(SessionRepository):
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def add(self, session: Session) -> None:
        self.db.sessions[session.session_id] = session

    def get(self, session_id: str) -> Session | None:
        return copy.copy(self.db.sessions.get(session_id))

    def touch(self, session_id: str, last_used_at_us: int) -> None:
        self.db.sessions[session_id].last_used_at_us = last_used_at_us

    def set_profile(self, session_id: str, profile_id: str, profile_kind: str) -> None:
        session = self.db.sessions[session_id]
        if session.profile_id != profile_id:
            session.password_confirmed_at_us, session.password_confirmed_profile_id = None, ""
        session.profile_id = profile_id
        session.profile_kind = profile_kind

    def record_password_confirmation(self, session_id: str, confirmed_at_us: int, profile_id: str) -> bool:
        session = self.db.sessions[session_id]
        if session.profile_id != profile_id:
            return False
        session.password_confirmed_at_us, session.password_confirmed_profile_id = confirmed_at_us, profile_id
        return True

    def mark_revoked(self, session_id: str, revoked_at_us: int) -> None:
        self.db.sessions[session_id].revoked_at_us = revoked_at_us


class FakeRefreshTokens(RefreshTokenRepository):
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def add(self, token: RefreshToken) -> None:
        self.db.refresh_tokens[token.token_hash] = token

    def get(self, token_hash: str) -> RefreshToken | None:
        return copy.copy(self.db.refresh_tokens.get(token_hash))

    def spend(self, token_hash: str, used_at_us: int) -> bool:
        token = self.db.refresh_tokens[token_hash]
        if token.used_at_us is not None:
            return False
        token.used_at_us = used_at_us
        return True


class FakeKnownDevices(KnownDeviceRepository):
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def contains(self, account_id: str, client_id: str) -> bool:
        return (account_id, client_id) in self.db.known_devices

    def add(self, account_id: str, client_id: str, first_signed_in_at_us: int) -> None:
        self.db.known_devices.setdefault((account_id, client_id), first_signed_in_at_us)


class FakeRevocations(RevocationRepository):
    def __init__(self, uow: FakeAuthUnitOfWork) -> None:
        self.uow = uow
        self.db = uow.db

    def lock(self) -> None:
        self.db.feed_lock.acquire()
        self.uow.holds_feed_lock = True

    def append(self, revocation: Revocation) -> Revocation:
        stored = replace(revocation, sequence=len(self.db.revocations) + 1)
        self.db.revocations.append(stored)
        return stored

    def list(self, after_sequence: int, limit: int) -> list[Revocation]:
        return [r for r in self.db.revocations if r.sequence > after_sequence][:limit]

    def last_sequence(self) -> int:
        return len(self.db.revocations)


class FakeDeviceAuthorizations(DeviceAuthorizationRepository):
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    def add(self, authorization: DeviceAuthorization) -> None:
        stored = self.db.device_authorizations.values()
        if any(a.user_code_hash == authorization.user_code_hash for a in stored):
            raise Conflict("user code taken")
        self.db.device_authorizations[authorization.device_code_hash] = copy.deepcopy(authorization)

    def forget_expired(self, expired_before_us: int, user_code_hash: str, now_us: int) -> None:
        for key, a in list(self.db.device_authorizations.items()):
            if a.expires_at_us < expired_before_us or (
                a.user_code_hash == user_code_hash and a.expires_at_us <= now_us
            ):
                del self.db.device_authorizations[key]

    def by_device_code(self, device_code_hash: str) -> DeviceAuthorization | None:
        return copy.deepcopy(self.db.device_authorizations.get(device_code_hash))

    def by_user_code(self, user_code_hash: str) -> DeviceAuthorization | None:
        found = (a for a in self.db.device_authorizations.values() if a.user_code_hash == user_code_hash)
        return copy.deepcopy(next(found, None))

    def record_poll(
        self, device_code_hash: str, last_polled_at_us: int | None, now_us: int, interval_seconds: int
    ) -> bool:
        a = self.db.device_authorizations[device_code_hash]
        if a.last_polled_at_us != last_polled_at_us:
            return False
        a.last_polled_at_us, a.interval_seconds = now_us, interval_seconds
        return True

    def claim(self, device_code_hash: str, account_id: str, claim_id: str, now_us: int, stale_before_us: int) -> bool:
        a = self.db.device_authorizations[device_code_hash]
        claimed = a.status is Status.CLAIMED and (
            a.account_id == account_id or (a.decided_at_us or 0) <= stale_before_us
        )
        if a.expires_at_us <= now_us or not (a.status is Status.PENDING or claimed):
            return False
        a.status, a.decided_at_us, a.account_id, a.session_id, a.device_id = (
            Status.CLAIMED,
            now_us,
            account_id,
            claim_id,
            "",
        )
        return True

    def settle(self, device_code_hash: str, claim_id: str, status: Status, now_us: int, device_id: str = "") -> bool:
        a = self.db.device_authorizations[device_code_hash]
        if a.status is not Status.CLAIMED or a.session_id != claim_id:
            return False
        a.status, a.decided_at_us, a.device_id = status, now_us, device_id
        if status is Status.PENDING:
            a.decided_at_us, a.account_id, a.session_id = None, "", ""
        return True

    def abandon(self, device_code_hash: str) -> bool:
        a = self.db.device_authorizations[device_code_hash]
        if a.status is not Status.APPROVED or a.exchanged_at_us is not None:
            return False
        a.status = Status.EXPIRED
        return True

    def expire(self, device_code_hash: str, now_us: int, stale_before_us: int) -> bool:
        a = self.db.device_authorizations[device_code_hash]
        stale = a.status is Status.CLAIMED and (a.decided_at_us or 0) <= stale_before_us
        if not (a.status is Status.PENDING or stale):
            return False
        a.status, a.decided_at_us = Status.EXPIRED, now_us
        return True

    def mark_exchanged(self, device_code_hash: str, now_us: int) -> bool:
        a = self.db.device_authorizations[device_code_hash]
        if a.exchanged_at_us is not None:
            return False
        a.exchanged_at_us = now_us
        return True


class FakeAuthUnitOfWork(AuthUnitOfWork):
    """Writes go straight to the shared FakeDatabase; `commit` counts, and ends the transaction."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.holds_feed_lock = False
        self.accounts = FakeAccounts(db)
        self.account_sessions = FakeSessions(db)
        self.refresh_tokens = FakeRefreshTokens(db)
        self.revocations = FakeRevocations(self)
        self.known_devices = FakeKnownDevices(db)
        self.device_authorizations = FakeDeviceAuthorizations(db)

    def commit(self) -> None:
        self.db.commits += 1
        self._end()

    def rollback(self) -> None:
        self._end()

    def _end(self) -> None:
        if self.holds_feed_lock:
            self.holds_feed_lock = False
            self.db.feed_lock.release()


class FakeDeviceRegistry(DeviceRegistry):
    """device_service's registrations, in a dict. A test may make `register` wait for `hold` (to have callers
    in flight at once: `waiting` counts them) or fail once with `failure`."""

    def __init__(self) -> None:
        self.devices: dict[tuple[str, str], str] = {}
        self.banned: set[tuple[str, str]] = set()
        self.hold: asyncio.Event | None = None
        self.waiting = 0
        self.failure: Exception | None = None

    async def register(self, account_id: str, device: DeviceInfo, ip_address: str) -> str:
        if self.hold is not None:
            self.waiting += 1
            await self.hold.wait()
        if self.failure is not None:
            failure, self.failure = self.failure, None
            raise failure
        key = (account_id, device.client_id)
        if key in self.banned:
            raise PermissionDenied("This device was removed from the account.", reason="device_banned")
        return self.devices.setdefault(key, f"device-{len(self.devices) + 1}")
