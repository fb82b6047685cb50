"""Accounts and their password: creation, checking (with throttling), change, closure."""

from __future__ import annotations

import uuid

from auth_service.domain.model import Account, Reason, Revocation, Scope, check_new_password, normalise_email
from auth_service.domain.throttle import ThrottlePolicy
from auth_service.service_layer.ports import Store
from auth_service.service_layer.revocations import Revoker
from common import passwords
from common.clock import now_us
from common.errors import AlreadyExists, InvalidArgument, NotFound, ResourceExhausted, Unauthenticated

WRONG_CREDENTIALS = "The email or password is incorrect."
WRONG_PASSWORD = "The password is incorrect."


class Accounts:
    def __init__(self, store: Store, revoker: Revoker, throttle: ThrottlePolicy) -> None:
        self.store = store
        self.revoker = revoker
        self.throttle = throttle

    async def create(self, email: str, password: str) -> Account:
        email = normalise_email(email)
        check_new_password(password)
        password_hash = await passwords.hash_secret_async(password)
        account = Account(str(uuid.uuid4()), email, password_hash, now_us())
        with self.store.transaction() as repo:
            if repo.get_account_by_email(email) is not None:
                raise AlreadyExists("An account with this email address already exists.", reason="email_taken")
            repo.add_account(account)
        return account

    async def authenticate(self, email: str, password: str) -> Account:
        """The account whose email and password these are.

        A wrong password, an unknown email, a closed account and a throttled
        account all raise the same error after the same argon2 work, so the
        answer tells an attacker nothing about which emails exist.
        """
        email = normalise_email(email)
        with self.store.transaction() as repo:
            account = repo.get_account_by_email(email)
        stored = account.password_hash if account else passwords.DUMMY_HASH
        matches = bool(password) and len(password) <= 128 and await passwords.verify_secret_async(stored, password)
        if account is None or account.closed_at_us is not None:
            raise Unauthenticated(WRONG_CREDENTIALS, reason="invalid_credentials")
        current, accepted, _ = self._count_attempt(account, matches)
        if not accepted:
            raise Unauthenticated(WRONG_CREDENTIALS, reason="invalid_credentials")
        return current

    async def verify_password(self, account_id: str, password: str) -> Account:
        """The password of a signed-in account's holder, for settings that need it.

        Wrong guesses count towards the same back-off as sign-in, so a session
        token (a child's, a stolen one) is no way around the throttle.
        """
        account = self._get(account_id)
        matches = bool(password) and len(password) <= 128 and await passwords.verify_secret_async(
            account.password_hash, password)
        current, accepted, throttled = self._count_attempt(account, matches)
        if throttled:
            raise ResourceExhausted("Too many wrong passwords. Wait a few minutes and try again.",
                                    reason="password_throttled")
        if not accepted:
            raise Unauthenticated(WRONG_PASSWORD, reason="wrong_password")
        return current

    def _count_attempt(self, account: Account, matches: bool) -> tuple[Account, bool, bool]:
        """Record one password attempt: (account, accepted, throttled).

        While the account is throttled even the right password is refused; a
        success resets the count, a failure past the threshold grows the wait.
        """
        now = now_us()
        with self.store.transaction() as repo:
            current = repo.get_account(account.account_id) or account
            throttled = now < current.throttled_until_us
            if throttled:
                matches = False
            elif matches:
                current.failed_sign_ins, current.throttled_until_us = 0, 0
            else:
                current.failed_sign_ins += 1
                delay = self.throttle.delay_seconds(current.failed_sign_ins)
                current.throttled_until_us = now + int(delay * 1_000_000) if delay else 0
            repo.update_account(current)
        return current, matches, throttled

    async def change_password(self, account_id: str, session_id: str, current_password: str, new_password: str,
                              sign_out_others: bool) -> Revocation | None:
        check_new_password(new_password)
        account = await self.verify_password(account_id, current_password)
        if current_password == new_password:
            raise InvalidArgument("The new password must differ from the current one.")
        account.password_hash = await passwords.hash_secret_async(new_password)
        with self.store.transaction() as repo:
            repo.update_account(account)
        if not sign_out_others:
            return None
        return await self.revoker.revoke(account_id, Scope.ALL_OTHERS, Reason.PASSWORD_CHANGED, session_id)

    async def close(self, account_id: str, password: str) -> Revocation:
        account = await self.verify_password(account_id, password)
        account.closed_at_us = now_us()
        with self.store.transaction() as repo:
            repo.update_account(account)
        return await self.revoker.revoke(account_id, Scope.ALL, Reason.ACCOUNT_CLOSED)

    def _get(self, account_id: str) -> Account:
        with self.store.transaction() as repo:
            account = repo.get_account(account_id) if account_id else None
        if account is None or account.closed_at_us is not None:
            raise NotFound("No such account.")
        return account
