import pytest

from common.errors import InvalidArgument
from common.revocation import Reason, Revocation, Scope
from parental_service.domain.decisions import DenyReason
from parental_service.domain.playback import ActivePlayback
from parental_service.service_layer.revocations import apply_revocation
from parental_service.service_layer.stop_hub import PlaybackStopHub
from tests.unit.parental_service.fakes import FakeUnitOfWork

ACCOUNT = "acc-1"


def clock():
    return 42


STOPS = PlaybackStopHub()
R = Reason.REMOTE_SIGN_OUT


@pytest.fixture
def uow():
    uow = FakeUnitOfWork()
    with uow:
        for device in ["tv", "phone", "tablet"]:
            uow.playbacks.start(ActivePlayback(device, ACCOUNT, "p1", "t1", 1))
        uow.playbacks.start(ActivePlayback("neighbour-tv", "acc-2", "p9", "t1", 1))
        uow.commit()
    return uow


def playing(uow, account=ACCOUNT):
    with uow:
        return sorted(p.device_id for p in uow.playbacks.list_for_account(account))


@pytest.mark.parametrize(
    ("scope", "device_id", "still_playing"),
    [
        (Scope.SESSION, "tv", ["phone", "tablet"]),
        (Scope.DEVICE, "phone", ["tablet", "tv"]),
        (Scope.ALL, "", []),
        (Scope.ALL_OTHERS, "tv", ["tv"]),
    ],
)
def test_a_revocation_stops_playback_on_exactly_the_devices_it_covers(uow, scope, device_id, still_playing):
    result = apply_revocation(uow, clock, STOPS, Revocation(1, ACCOUNT, scope, R, "s1", device_id))
    assert result.applied
    assert len(result.stops) == 3 - len(still_playing)
    assert all(stop.reason is DenyReason.SIGNED_OUT for stop in result.stops)
    assert playing(uow) == still_playing
    assert playing(uow, "acc-2") == ["neighbour-tv"]


def test_applying_the_same_revocation_twice_changes_nothing(uow):
    first = apply_revocation(uow, clock, STOPS, Revocation(7, ACCOUNT, Scope.DEVICE, R, device_id="tv"))
    with uow:
        uow.playbacks.start(ActivePlayback("tv", ACCOUNT, "p1", "t2", 50))
        uow.commit()
    again = apply_revocation(uow, clock, STOPS, Revocation(7, ACCOUNT, Scope.DEVICE, R, device_id="tv"))
    assert (first.applied, first.already_applied, len(first.stops)) == (True, False, 1)
    # The sequence is applied here (applied), already before this call, which changed nothing.
    assert (again.applied, again.already_applied, again.stops) == (True, True, [])
    assert playing(uow) == ["phone", "tablet", "tv"]


def test_a_revocation_with_no_playing_device_is_still_remembered(uow):
    assert not apply_revocation(uow, clock, STOPS, Revocation(3, "acc-3", Scope.ALL, R)).already_applied
    assert apply_revocation(uow, clock, STOPS, Revocation(3, "acc-3", Scope.ALL, R)).already_applied


@pytest.mark.parametrize(
    "revocation",
    [
        Revocation(0, ACCOUNT, Scope.ALL, R),
        Revocation(1, "", Scope.ALL, R),
        Revocation(1, ACCOUNT, Scope.DEVICE, R),
        Revocation(1, ACCOUNT, Scope.ALL_OTHERS, R, "s1"),
        Revocation(1, ACCOUNT, Scope.SESSION, R, "", "tv"),
    ],
)
def test_a_malformed_revocation_is_refused_and_not_remembered(uow, revocation):
    with pytest.raises(InvalidArgument):
        apply_revocation(uow, clock, STOPS, revocation)
    assert playing(uow) == ["phone", "tablet", "tv"]
    with uow:
        assert not uow.revocations.contains(1)
