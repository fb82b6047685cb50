"""Accounts and their password: creation, checking (with throttling), change, closure."""

from __future__ import annotations

import uuid

from auth_service.domain.model import Account, Rules, check_new_password, normalise_email
from auth_service.domain.revocation_index import RevocationIndex
from auth_service.domain.throttle import ThrottlePolicy
from auth_service.service_layer.ports import Clock
from auth_service.service_layer.revocations import revoke
from auth_service.service_layer.session_events import SessionEvents
from auth_service.service_layer.unit_of_work import AuthUnitOfWork
from common import passwords
from common.errors import AlreadyExists, InvalidArgument, NotFound, ResourceExhausted, Unauthenticated
from common.revocation import Reason, Revocation, Scope
from common.unit_of_work import Conflict, in_thread

WRONG_CREDENTIALS = "The email or password is incorrect."
WRONG_PASSWORD = "The password is incorrect."
EMAIL_TAKEN = "An account with this email address already exists."
PASSWORD_MAX = 128


async def create_account(uow: AuthUnitOfWork, clock: Clock, email: str, password: str) -> Account:
    email = normalise_email(email)
    check_new_password(password)
    password_hash = await passwords.hash_secret_async(password)
    account = Account(str(uuid.uuid4()), email, password_hash, clock())
    await in_thread(_add_account, uow, account)
    return account


def _add_account(uow: AuthUnitOfWork, account: Account) -> None:
    with uow:
        if uow.accounts.get_by_email(account.email) is not None:
            raise AlreadyExists(EMAIL_TAKEN, reason="email_taken")
        try:
            uow.accounts.add(account)
            uow.commit()
        except Conflict:  # the same email, created meanwhile
            raise AlreadyExists(EMAIL_TAKEN, reason="email_taken") from None


async def authenticate(uow: AuthUnitOfWork, rules: Rules, clock: Clock, email: str, password: str) -> Account:
    """The account whose email and password these are.

    A wrong password, an unknown email, a closed account and a throttled
    account all raise the same error after the same argon2 work, so the
    answer tells an attacker nothing about which emails exist.
    """
    email = normalise_email(email)
    account = await in_thread(_account_by_email, uow, email)
    stored = account.password_hash if account else passwords.DUMMY_HASH
    matches = await _matches(stored, password)
    if account is None or account.closed_at_us is not None:
        raise Unauthenticated(WRONG_CREDENTIALS, reason="invalid_credentials")
    current, accepted, _ = await in_thread(_count_attempt, uow, rules.throttle, clock, account, matches)
    if not accepted:
        raise Unauthenticated(WRONG_CREDENTIALS, reason="invalid_credentials")
    return current


async def verify_password(uow: AuthUnitOfWork, rules: Rules, clock: Clock, account_id: str, password: str) -> Account:
    """The password of a signed-in account's holder, for settings that need it.

    Wrong guesses count towards the same back-off as sign-in, so a session
    token (a child's, a stolen one) is no way around the throttle.
    """
    account = await in_thread(_open_account, uow, account_id)
    matches = await _matches(account.password_hash, password)
    current, accepted, throttled = await in_thread(_count_attempt, uow, rules.throttle, clock, account, matches)
    if throttled:
        raise ResourceExhausted(
            "Too many wrong passwords. Wait a few minutes and try again.", reason="password_throttled"
        )
    if not accepted:
        raise Unauthenticated(WRONG_PASSWORD, reason="wrong_password")
    return current


async def change_password(
    uow: AuthUnitOfWork,
    index: RevocationIndex,
    events: SessionEvents,
    rules: Rules,
    clock: Clock,
    account_id: str,
    session_id: str,
    current_password: str,
    new_password: str,
    sign_out_others: bool,
) -> Revocation | None:
    """Set a new password; unless told not to, sign every other session out (not `session_id`)."""
    check_new_password(new_password)
    account = await verify_password(uow, rules, clock, account_id, current_password)
    if current_password == new_password:
        raise InvalidArgument("The new password must differ from the current one.")
    account.password_hash = await passwords.hash_secret_async(new_password)
    await in_thread(_update_account, uow, account)
    if not sign_out_others:
        return None
    return await revoke(uow, index, events, clock, account_id, Scope.ALL_OTHERS, Reason.PASSWORD_CHANGED, session_id)


async def close_account(
    uow: AuthUnitOfWork,
    index: RevocationIndex,
    events: SessionEvents,
    rules: Rules,
    clock: Clock,
    account_id: str,
    password: str,
) -> Revocation:
    """Close the account (no sign-in from now on) and sign every session out."""
    account = await verify_password(uow, rules, clock, account_id, password)
    account.closed_at_us = clock()
    await in_thread(_update_account, uow, account)
    return await revoke(uow, index, events, clock, account_id, Scope.ALL, Reason.ACCOUNT_CLOSED)


async def _matches(stored_hash: str, password: str) -> bool:
    return (
        bool(password) and len(password) <= PASSWORD_MAX and await passwords.verify_secret_async(stored_hash, password)
    )


def _account_by_email(uow: AuthUnitOfWork, email: str) -> Account | None:
    with uow:
        return uow.accounts.get_by_email(email)


def _open_account(uow: AuthUnitOfWork, account_id: str) -> Account:
    with uow:
        account = uow.accounts.get(account_id) if account_id else None
    if account is None or account.closed_at_us is not None:
        raise NotFound("No such account.")
    return account


def _update_account(uow: AuthUnitOfWork, account: Account) -> None:
    with uow:
        uow.accounts.update(account)
        uow.commit()


def _count_attempt(
    uow: AuthUnitOfWork, throttle: ThrottlePolicy, clock: Clock, account: Account, matches: bool
) -> tuple[Account, bool, bool]:
    """Record one password attempt: (account, accepted, throttled).

    While the account is throttled even the right password is refused; a
    success resets the count, a failure past the threshold grows the wait.
    """
    now = clock()
    with uow:
        current = uow.accounts.get(account.account_id) or account
        throttled = now < current.throttled_until_us
        if throttled:
            matches = False
        elif matches:
            current.failed_sign_ins, current.throttled_until_us = 0, 0
        else:
            current.failed_sign_ins += 1
            delay = throttle.delay_seconds(current.failed_sign_ins)
            current.throttled_until_us = now + int(delay * 1_000_000) if delay else 0
        uow.accounts.update(current)
        uow.commit()
    return current, matches, throttled
