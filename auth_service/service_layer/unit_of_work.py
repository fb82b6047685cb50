"""auth_service's one unit of work: every handler reads and writes through it.

`with uow:` opens a transaction, `uow.commit()` makes it durable, leaving the
block without committing rolls back (common.unit_of_work). A handler runs its
database work in a worker thread (`common.unit_of_work.in_thread`). A unit of
work holds one transaction at a time, so each call gets its own from
`Dependencies.uow()`. adapters.unit_of_work.SqlAlchemyAuthUnitOfWork is the real
one, tests/unit/auth_service/fakes.FakeAuthUnitOfWork the in-memory one.
"""

from __future__ import annotations

from collections.abc import Callable

from auth_service.service_layer.ports import (
    AccountRepository,
    DeviceAuthorizationRepository,
    KnownDeviceRepository,
    RefreshTokenRepository,
    RevocationRepository,
    SessionRepository,
)
from common.unit_of_work import UnitOfWork


class AuthUnitOfWork(UnitOfWork):
    accounts: AccountRepository
    account_sessions: SessionRepository  # not `sessions`: SqlAlchemyUnitOfWork.sessions makes database sessions
    refresh_tokens: RefreshTokenRepository
    revocations: RevocationRepository
    known_devices: KnownDeviceRepository
    device_authorizations: DeviceAuthorizationRepository


UnitOfWorkFactory = Callable[[], AuthUnitOfWork]
