"""Which devices a revocation from auth_service covers."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from common.errors import InvalidArgument


class RevocationScope(enum.Enum):
    SESSION = "session"
    DEVICE = "device"
    ALL = "all"
    ALL_OTHERS = "all_others"


@dataclass(frozen=True)
class Revocation:
    sequence: int
    account_id: str
    scope: RevocationScope
    session_id: str = ""
    device_id: str = ""

    def validate(self) -> None:
        if self.sequence <= 0:
            raise InvalidArgument("A revocation's sequence is a positive number.")
        if not self.account_id:
            raise InvalidArgument("A revocation names its account_id.")
        if self.scope is not RevocationScope.ALL and not self.device_id:
            raise InvalidArgument(f"A {self.scope.value} revocation names its device_id.")

    def covers(self, device_id: str) -> bool:
        """True if the revocation signs `device_id` (of the same account) out."""
        if self.scope is RevocationScope.ALL:
            return True
        if self.scope is RevocationScope.ALL_OTHERS:
            return device_id != self.device_id
        return device_id == self.device_id
