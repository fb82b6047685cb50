"""Which devices a revocation from auth_service's feed signs out."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from common.errors import InvalidArgument
from device_service.domain.model import Device


class RevocationScope(enum.IntEnum):
    """Values match remotesignout.auth.v1.RevocationScope."""

    UNSPECIFIED = 0
    SESSION = 1
    DEVICE = 2
    ALL = 3
    ALL_OTHERS = 4


@dataclass(frozen=True)
class Revocation:
    """One entry of the revocation feed, as far as devices care."""

    sequence: int
    account_id: str
    scope: RevocationScope
    device_id: str
    revoked_at: int | None

    def __post_init__(self) -> None:
        if self.sequence <= 0:
            raise InvalidArgument("revocation.sequence must be a positive number.")
        if not self.account_id:
            raise InvalidArgument("revocation.account_id is required.")
        if self.scope is RevocationScope.UNSPECIFIED:
            raise InvalidArgument("revocation.scope is required.")
        if not self.device_id and self.scope is not RevocationScope.ALL:
            raise InvalidArgument(f"revocation.device_id is required for scope {self.scope.name}.")

    def covers(self, device: Device) -> bool:
        """True if the revocation reaches `device` (ignoring when it signed in)."""
        if device.account_id != self.account_id:
            return False
        if self.scope in (RevocationScope.SESSION, RevocationScope.DEVICE):
            return device.device_id == self.device_id
        if self.scope is RevocationScope.ALL_OTHERS:
            return device.device_id != self.device_id
        return True

    def devices_to_sign_out(self, devices: Iterable[Device]) -> list[Device]:
        """The covered devices that did not sign in again after the revocation.

        The feed may be replayed late: a device that signed in after `revoked_at`
        holds a newer session the revocation does not reach.
        """
        return [d for d in devices if self.covers(d) and not d.signed_in_after(self.revoked_at)]
