"""Account-wide sign-outs kept as one cutoff per account, and a device's status derived from it when read.

common.revocation's rule says which devices a revocation signs out
(`Revocation.reaches`): those its scope names that signed in before
`revoked_at_us`. For one device (scopes session and device) device_service
writes SIGNED_OUT into that device's row. For a whole account (scopes all and
all_others) that would be a write per device, so device_service keeps the
latest such revocation as the account's `SignOutCutoff` instead, and derives a
device's status from its row and that cutoff (`derived_status`):

    an ACTIVE row is SIGNED_OUT when the account's cutoff covers it: the row was
    last written before the cutoff was applied, its device signed in before the
    cutoff's time, and it is not the device that all_others kept.

"Written before the cutoff was applied" is the row's `cutoff_sequence`: every
write of a device row (a sign-in, a playback, a removal) stores the status
derived so far and the sequence of the cutoff in force, so a device that signs
in after a cutoff arrived is past it whatever the clocks say, as it would be had
the revocation written every row when it arrived.

One cutoff per account is enough while each new one covers every device the
previous one covers. The devices it does not (`left_behind`: the device
all_others keeps, and, when revocations arrive out of order, those that signed
in between the new cutoff's time and the old one's) are written SIGNED_OUT one
by one before the cutoff is replaced: at most the kept device in the usual case.

tests/unit/device_service/test_cutoffs.py and
tests/integration/device_service/test_cutoffs_match_per_row.py check all this
against writing every row, over random histories.
"""

from __future__ import annotations

from dataclasses import dataclass

from common.revocation import Revocation, Scope
from device_service.domain.model import DeviceStatus

WHENEVER = 2**63 - 1
"""A cutoff time after every sign-in (the largest BIGINT): `revoked_at_us` 0, "whenever it signed in"."""

ACCOUNT_WIDE = (Scope.ALL, Scope.ALL_OTHERS)


@dataclass(frozen=True)
class SignOutCutoff:
    """The account's latest all / all_others revocation: `sequence` in the feed, devices signed in
    before `before_us` are signed out, except `kept_device_id` ("" for all)."""

    sequence: int
    before_us: int
    kept_device_id: str = ""

    @classmethod
    def of(cls, revocation: Revocation) -> SignOutCutoff:
        if revocation.scope not in ACCOUNT_WIDE:
            raise ValueError(f"a {revocation.scope.value} revocation signs one device out, not an account")
        kept = revocation.device_id if revocation.scope is Scope.ALL_OTHERS else ""
        return cls(revocation.sequence, revocation.revoked_at_us or WHENEVER, kept)

    def covers(self, device_id: str, signed_in_at: int, cutoff_sequence: int) -> bool:
        """True if this cutoff signs out the device of a row last written under `cutoff_sequence`."""
        return cutoff_sequence != self.sequence and signed_in_at < self.before_us and device_id != self.kept_device_id

    def left_behind(self, new: SignOutCutoff) -> LeftBehind:
        """The devices this cutoff covers that `new` would not, which must be written SIGNED_OUT before `new`
        replaces it: among those this one covers, the device `new` keeps, and those signed in from `new`'s
        time up to this one's."""
        kept = new.kept_device_id if new.kept_device_id not in ("", self.kept_device_id) else ""
        signed_in = (new.before_us, self.before_us) if new.before_us < self.before_us else None
        return LeftBehind(kept, signed_in)


@dataclass(frozen=True)
class LeftBehind:
    """Among the devices a cutoff covers: `kept_device_id` (unless "") and those signed in within
    [`signed_in[0]`, `signed_in[1]`) (unless None)."""

    kept_device_id: str
    signed_in: tuple[int, int] | None

    def __bool__(self) -> bool:
        return bool(self.kept_device_id) or self.signed_in is not None

    def includes(self, device_id: str, signed_in_at: int) -> bool:
        in_range = self.signed_in is not None and self.signed_in[0] <= signed_in_at < self.signed_in[1]
        return in_range or (bool(self.kept_device_id) and device_id == self.kept_device_id)


def derived_status(
    stored: DeviceStatus, cutoff: SignOutCutoff | None, device_id: str, signed_in_at: int, cutoff_sequence: int
) -> DeviceStatus:
    """A device's status: its row's, unless the row says ACTIVE and the account's cutoff covers it."""
    if stored is DeviceStatus.ACTIVE and cutoff is not None and cutoff.covers(device_id, signed_in_at, cutoff_sequence):
        return DeviceStatus.SIGNED_OUT
    return stored
