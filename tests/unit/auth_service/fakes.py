"""In-memory fakes of auth_service's ports."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import replace

from auth_service.domain.model import Account, DeviceInfo, RefreshToken, Revocation, Session
from auth_service.service_layer.ports import DeviceRegistry, Repository, Store
from common.errors import PermissionDenied

TEST_REFRESH_TOKEN_KEY = b"test refresh-token key: fixed, 32+ bytes"


class FakeRepository(Repository):
    def __init__(self) -> None:
        self.accounts: dict[str, Account] = {}
        self.sessions: dict[str, Session] = {}
        self.refresh_tokens: dict[str, RefreshToken] = {}
        self.revocations: list[Revocation] = []

    def add_account(self, account: Account) -> None:
        self.accounts[account.account_id] = account

    def get_account(self, account_id: str) -> Account | None:
        return copy.copy(self.accounts.get(account_id))

    def get_account_by_email(self, email: str) -> Account | None:
        return copy.copy(next((a for a in self.accounts.values() if a.email == email), None))

    def update_account(self, account: Account) -> None:
        self.accounts[account.account_id] = copy.copy(account)

    def add_session(self, session: Session) -> None:
        self.sessions[session.session_id] = session

    def get_session(self, session_id: str) -> Session | None:
        return copy.copy(self.sessions.get(session_id))

    def touch_session(self, session_id: str, last_used_at_us: int) -> None:
        self.sessions[session_id].last_used_at_us = last_used_at_us

    def set_session_profile(self, session_id: str, profile_id: str, profile_kind: str) -> None:
        self.sessions[session_id].profile_id = profile_id
        self.sessions[session_id].profile_kind = profile_kind

    def mark_session_revoked(self, session_id: str, revoked_at_us: int) -> None:
        self.sessions[session_id].revoked_at_us = revoked_at_us

    def add_refresh_token(self, token: RefreshToken) -> None:
        self.refresh_tokens[token.token_hash] = token

    def get_refresh_token(self, token_hash: str) -> RefreshToken | None:
        return copy.copy(self.refresh_tokens.get(token_hash))

    def spend_refresh_token(self, token_hash: str, used_at_us: int) -> bool:
        token = self.refresh_tokens[token_hash]
        if token.used_at_us is not None:
            return False
        token.used_at_us = used_at_us
        return True

    def add_revocation(self, revocation: Revocation) -> Revocation:
        stored = replace(revocation, sequence=len(self.revocations) + 1)
        self.revocations.append(stored)
        return stored

    def list_revocations(self, after_sequence: int, limit: int) -> list[Revocation]:
        return [r for r in self.revocations if r.sequence > after_sequence][:limit]

    def last_sequence(self) -> int:
        return len(self.revocations)


class FakeStore(Store):
    def __init__(self) -> None:
        self.repo = FakeRepository()

    @contextmanager
    def transaction(self) -> Iterator[Repository]:
        yield self.repo

    @asynccontextmanager
    async def committing_off_loop(self) -> AsyncIterator[Repository]:
        yield self.repo


class FakeDeviceRegistry(DeviceRegistry):
    def __init__(self) -> None:
        self.devices: dict[tuple[str, str], str] = {}
        self.banned: set[tuple[str, str]] = set()

    async def register(self, account_id: str, device: DeviceInfo, ip_address: str) -> str:
        key = (account_id, device.client_id)
        if key in self.banned:
            raise PermissionDenied("This device was removed from the account.", reason="device_banned")
        return self.devices.setdefault(key, f"device-{len(self.devices) + 1}")
