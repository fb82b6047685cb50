"""The revocation contract every process shares: what an entry of the feed says and what it covers.

auth_service writes entries; device_service, parental_service, the gateway and
every fake read them. One rule decides what an entry covers, here and nowhere else:

    scope        covers, for the entry's account
    session      the one session `session_id` (on device `device_id`)
    device       every session of device `device_id`
    all          every session of the account
    all_others   every session but the survivor `session_id` (on device `device_id`)

and only sessions signed in before `revoked_at_us`: a device that signs in again
after a revocation holds a new session the revocation does not reach (the feed
may be replayed late). Nothing here knows gRPC; `common.revocation_proto` converts.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from common.errors import InvalidArgument


class Scope(enum.Enum):
    SESSION = "session"
    DEVICE = "device"
    ALL = "all"
    ALL_OTHERS = "all_others"


class Reason(enum.Enum):
    SIGN_OUT = "sign_out"
    REMOTE_SIGN_OUT = "remote_sign_out"
    SIGN_OUT_ALL = "sign_out_all"
    PASSWORD_CHANGED = "password_changed"
    DEVICE_REMOVED = "device_removed"
    TOKEN_REUSE = "token_reuse"
    ACCOUNT_CLOSED = "account_closed"


@dataclass(frozen=True)
class Revocation:
    """One entry of the revocation feed. `sequence` is 0 until auth_service stores it."""

    sequence: int
    account_id: str
    scope: Scope
    reason: Reason
    session_id: str = ""
    device_id: str = ""
    revoked_at_us: int = 0

    def validate(self) -> Revocation:
        """Raise InvalidArgument unless this is a complete stored entry; return it."""
        if self.sequence <= 0:
            raise InvalidArgument("A revocation's sequence is a positive number.")
        if not self.account_id:
            raise InvalidArgument("A revocation names its account_id.")
        if self.scope is not Scope.ALL and not self.device_id:
            raise InvalidArgument(f"A {self.scope.value} revocation names its device_id.")
        if self.scope in (Scope.SESSION, Scope.ALL_OTHERS) and not self.session_id:
            raise InvalidArgument(f"A {self.scope.value} revocation names its session_id.")
        return self

    def covers_device(self, account_id: str, device_id: str) -> bool:
        """True if the entry signs `device_id` of `account_id` out (ignoring when it signed in).

        A device is signed out by a session revocation of its session, since a
        device holds one session at a time.
        """
        if account_id != self.account_id:
            return False
        if self.scope is Scope.ALL:
            return True
        if self.scope is Scope.ALL_OTHERS:
            return device_id != self.device_id
        return device_id == self.device_id

    def covers_session(self, account_id: str, session_id: str, device_id: str, signed_in_at_us: int) -> bool:
        """True if the entry revokes that session, signed in at `signed_in_at_us`."""
        if account_id != self.account_id or (self.revoked_at_us and signed_in_at_us >= self.revoked_at_us):
            return False
        if self.scope is Scope.SESSION:
            return session_id == self.session_id
        if self.scope is Scope.ALL_OTHERS:
            return session_id != self.session_id
        return self.covers_device(account_id, device_id)

    def reaches(self, account_id: str, device_id: str, signed_in_at_us: int | None) -> bool:
        """covers_device, for a device last signed in at `signed_in_at_us` (None: not known, covered)."""
        if signed_in_at_us is not None and self.revoked_at_us and signed_in_at_us >= self.revoked_at_us:
            return False
        return self.covers_device(account_id, device_id)
