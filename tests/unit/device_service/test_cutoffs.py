"""device_service.domain.cutoffs: what an account cutoff covers, and what a new one leaves behind."""

from __future__ import annotations

import pytest

from common.revocation import Reason, Revocation, Scope
from device_service.domain.cutoffs import WHENEVER, LeftBehind, SignOutCutoff, derived_status
from device_service.domain.model import DeviceStatus

T = 1_700_000_000_000_000


def revocation(scope: Scope, revoked_at: int = T, device_id: str = "tv") -> Revocation:
    return Revocation(7, "acc-1", scope, Reason.SIGN_OUT_ALL, "s-1", device_id, revoked_at)


def test_an_all_revocation_covers_every_device_signed_in_before_it():
    cutoff = SignOutCutoff.of(revocation(Scope.ALL))
    assert cutoff == SignOutCutoff(7, T, "")
    assert cutoff.covers("tv", T - 1, 0) and not cutoff.covers("tv", T, 0)


def test_all_others_keeps_the_survivors_device_and_whenever_is_the_latest_time():
    cutoff = SignOutCutoff.of(revocation(Scope.ALL_OTHERS, revoked_at=0))
    assert cutoff == SignOutCutoff(7, WHENEVER, "tv")
    assert not cutoff.covers("tv", T, 0) and cutoff.covers("phone", T + 10**12, 0)


@pytest.mark.parametrize("scope", [Scope.SESSION, Scope.DEVICE])
def test_a_revocation_of_one_device_is_no_cutoff(scope):
    with pytest.raises(ValueError):
        SignOutCutoff.of(revocation(scope))


def test_a_row_written_since_the_cutoff_was_applied_is_past_it_whatever_the_clocks_say():
    cutoff = SignOutCutoff(7, WHENEVER, "")
    assert cutoff.covers("tv", T, cutoff_sequence=3)
    assert not cutoff.covers("tv", T, cutoff_sequence=7)


def test_only_an_active_row_takes_its_status_from_the_cutoff():
    cutoff = SignOutCutoff(7, T, "")
    assert derived_status(DeviceStatus.ACTIVE, cutoff, "tv", T - 1, 0) is DeviceStatus.SIGNED_OUT
    assert derived_status(DeviceStatus.ACTIVE, cutoff, "tv", T, 0) is DeviceStatus.ACTIVE
    assert derived_status(DeviceStatus.REMOVED, cutoff, "tv", T - 1, 0) is DeviceStatus.REMOVED
    assert derived_status(DeviceStatus.ACTIVE, None, "tv", T - 1, 0) is DeviceStatus.ACTIVE


def test_a_later_all_leaves_nothing_behind():
    assert not SignOutCutoff(7, T, "").left_behind(SignOutCutoff(8, T + 1, ""))
    assert not SignOutCutoff(7, T, "tv").left_behind(SignOutCutoff(8, T, "tv"))


def test_all_others_after_all_leaves_its_kept_device_behind():
    gap = SignOutCutoff(7, T, "").left_behind(SignOutCutoff(8, T + 1, "tv"))
    assert gap == LeftBehind("tv", None)
    assert gap.includes("tv", T - 1) and not gap.includes("phone", T - 1)


def test_an_earlier_cutoff_arriving_later_leaves_behind_the_devices_signed_in_between():
    gap = SignOutCutoff(7, T + 5, "").left_behind(SignOutCutoff(8, T, ""))
    assert gap == LeftBehind("", (T, T + 5))
    assert [gap.includes("tv", t) for t in (T - 1, T, T + 4, T + 5)] == [False, True, True, False]
