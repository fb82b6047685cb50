"""Accounts and their password: creation, checking (with throttling), change, closure."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from auth_service.domain.model import Account, Rules, normalise_email
from auth_service.domain.password_policy import PASSWORD_INPUT_MAX, candidates
from common.revocation_index import RevocationIndex
from auth_service.service_layer.ports import Clock
from auth_service.service_layer.revocations import revoke
from auth_service.service_layer.session_events import SessionEvents
from auth_service.service_layer.throttle import PASSWORD_THROTTLED, SIGN_IN_THROTTLED, Throttle
from auth_service.service_layer.unit_of_work import AuthUnitOfWork
from common import passwords
from common.errors import AlreadyExists, InvalidArgument, NotFound, Unauthenticated
from common.revocation import Reason, Revocation, Scope
from common.unit_of_work import Conflict, in_thread

WRONG_CREDENTIALS = "The email or password is incorrect."
WRONG_PASSWORD = "The password is incorrect."
EMAIL_TAKEN = "An account with this email address already exists."


async def create_account(uow: AuthUnitOfWork, rules: Rules, clock: Clock, email: str, password: str) -> Account:
    email = normalise_email(email)
    password_hash = await passwords.hash_secret_async(rules.passwords.check(password))
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


@dataclass(frozen=True)
class Authenticated:
    account: Account
    known_device: bool
    """Whether this client_id had signed in to the account before."""


async def authenticate(
    uow: AuthUnitOfWork,
    throttle: Throttle,
    clock: Clock,
    email: str,
    password: str,
    client_id: str,
    ip_address: str,
) -> Authenticated:
    """The account whose email and password these are, signing in on device `client_id` from `ip_address`.

    First the throttle (domain.throttle): a device that signed in to the account before takes from its own
    bucket only, any other from its source's and the account's; a throttled attempt is refused before any
    argon2 work, with ResourceExhausted and the seconds to wait. Then a wrong password, an unknown email and
    a closed account all raise the same error after the same argon2 work; the throttle keys an unknown email
    like a known one, so neither answer tells an attacker which emails exist.
    """
    email = normalise_email(email)
    account, known = await in_thread(_account_and_device, uow, email, client_id)
    account_id = account.account_id if account else ""
    buckets = throttle.names.sign_in(email, ip_address, account_id, client_id, known)
    await throttle.enter(buckets, clock, SIGN_IN_THROTTLED, "sign_in_throttled")
    stored = account.password_hash if account else passwords.DUMMY_HASH
    matches = await _matches(stored, password)
    if account is None or account.closed_at_us is not None or not matches:
        raise Unauthenticated(WRONG_CREDENTIALS, reason="invalid_credentials")
    if known:  # OWASP: a right password starts the device's count again
        await throttle.store.forget(buckets)
    else:
        await throttle.passed(buckets, clock)
    return Authenticated(account, known)


async def verify_password(
    uow: AuthUnitOfWork, throttle: Throttle, clock: Clock, account_id: str, password: str
) -> Account:
    """The password of a signed-in account's holder, for settings that need it.

    Wrong guesses count in the account's own password-check bucket, so a session token (a child's, a
    stolen one) is no way around the throttle; they never throttle sign-in.
    """
    account = await in_thread(_open_account, uow, account_id)
    buckets = [throttle.names.password_check(account.account_id)]
    await throttle.enter(buckets, clock, PASSWORD_THROTTLED, "password_throttled")
    if not await _matches(account.password_hash, password):
        raise Unauthenticated(WRONG_PASSWORD, reason="wrong_password")
    await throttle.passed(buckets, clock)
    return account


async def change_password(
    uow: AuthUnitOfWork,
    index: RevocationIndex,
    events: SessionEvents,
    rules: Rules,
    throttle: Throttle,
    clock: Clock,
    account_id: str,
    session_id: str,
    current_password: str,
    new_password: str,
    sign_out_others: bool,
) -> Revocation | None:
    """Set a new password; unless told not to, sign every other session out (not `session_id`)."""
    normalised = rules.passwords.check(new_password)
    account = await verify_password(uow, throttle, clock, account_id, current_password)
    if current_password == new_password:
        raise InvalidArgument("The new password must differ from the current one.")
    password_hash = await passwords.hash_secret_async(normalised)
    await in_thread(_set_password_hash, uow, account.account_id, password_hash)
    if not sign_out_others:
        return None
    return await revoke(uow, index, events, clock, account_id, Scope.ALL_OTHERS, Reason.PASSWORD_CHANGED, session_id)


async def close_account(
    uow: AuthUnitOfWork,
    index: RevocationIndex,
    events: SessionEvents,
    throttle: Throttle,
    clock: Clock,
    account_id: str,
    password: str,
) -> Revocation:
    """Close the account (no sign-in from now on) and sign every session out."""
    account = await verify_password(uow, throttle, clock, account_id, password)
    await in_thread(_close_account, uow, account.account_id, clock())
    return await revoke(uow, index, events, clock, account_id, Scope.ALL, Reason.ACCOUNT_CLOSED)


async def _matches(stored_hash: str, password: str) -> bool:
    """Whether `password` matches: its normalised form, or (hashes stored before normalisation) as typed.

    How many forms are tried depends only on the password typed, never on the account.
    """
    if not password or len(password) > PASSWORD_INPUT_MAX:
        return False
    results = [await passwords.verify_secret_async(stored_hash, form) for form in candidates(password)]
    return any(results)


def _account_and_device(uow: AuthUnitOfWork, email: str, client_id: str) -> tuple[Account | None, bool]:
    """The account of `email` and whether `client_id` signed in to it before (looked up alike either way)."""
    with uow:
        account = uow.accounts.get_by_email(email)
        known = uow.known_devices.contains(account.account_id if account else "", client_id)
    return account, known and account is not None


def _open_account(uow: AuthUnitOfWork, account_id: str) -> Account:
    with uow:
        account = uow.accounts.get(account_id) if account_id else None
    if account is None or account.closed_at_us is not None:
        raise NotFound("No such account.")
    return account


def _set_password_hash(uow: AuthUnitOfWork, account_id: str, password_hash: str) -> None:
    """Store the new hash, unless the account was closed meanwhile (on any replica): then NotFound."""
    with uow:
        if not uow.accounts.set_password_hash(account_id, password_hash):
            raise NotFound("No such account.")
        uow.commit()


def _close_account(uow: AuthUnitOfWork, account_id: str, now: int) -> None:
    """Close the account; NotFound when a concurrent call closed it first (that call signs everyone out)."""
    with uow:
        if not uow.accounts.close(account_id, now):
            raise NotFound("No such account.")
        uow.commit()
