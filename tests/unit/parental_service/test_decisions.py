import pytest

from common.errors import InvalidArgument, NotFound
from parental_service.domain.decisions import DenyReason
from parental_service.domain.profiles import MaturityLevel
from parental_service.domain.schedules import ViewingWindow
from parental_service.service_layer import pins, playback, rules
from tests.unit.parental_service.conftest import ACCOUNT, CATALOGUE, PARENT, micros

MONDAY, TUESDAY = 0, 1
EVENING = [ViewingWindow(MONDAY, 18 * 60, 20 * 60)]


def decide(uow, clock, profile, title_id, device="tv"):
    decision, _ = playback.decide_playback(uow, clock, CATALOGUE, ACCOUNT, profile.profile_id, title_id, device)
    return decision


def playing(uow):
    with uow:
        return {p.device_id: (p.profile_id, p.title_id) for p in uow.playbacks.list_for_account(ACCOUNT)}


def set_maturity_level(uow, clock, stops, profile, level):
    return rules.set_maturity_level(uow, clock, CATALOGUE, stops, ACCOUNT, profile.profile_id, level, PARENT)


def set_schedule(uow, clock, stops, profile, time_zone, windows):
    return rules.set_viewing_schedule(
        uow, clock, CATALOGUE, stops, ACCOUNT, profile.profile_id, time_zone, windows, PARENT
    )


def test_a_13_plus_title_is_allowed_for_a_13_plus_profile(uow, clock, family):
    _, teen, _ = family
    assert decide(uow, clock, teen, "t-13").allowed
    assert playing(uow) == {"tv": (teen.profile_id, "t-13")}


def test_an_18_plus_title_is_denied_for_a_16_plus_profile_with_a_readable_reason(uow, clock, stops, family):
    _, teen, _ = family
    set_maturity_level(uow, clock, stops, teen, MaturityLevel.SIXTEEN_PLUS)
    decision = decide(uow, clock, teen, "t-18")
    assert (decision.allowed, decision.reason) == (False, DenyReason.MATURITY)
    assert decision.message == "Blood Orchard is rated 18+, above the 16+ maturity level of the profile Teen."
    assert playing(uow) == {}


def test_a_blocked_title_is_denied_even_when_its_rating_is_allowed(uow, clock, stops, family):
    owner, _, _ = family
    rules.block_title(uow, clock, CATALOGUE, stops, ACCOUNT, owner.profile_id, "t-all", PARENT)
    decision = decide(uow, clock, owner, "t-all")
    assert (decision.allowed, decision.reason) == (False, DenyReason.BLOCKED_TITLE)
    rules.unblock_title(uow, clock, CATALOGUE, ACCOUNT, owner.profile_id, "t-all", PARENT)
    assert decide(uow, clock, owner, "t-all").allowed


async def test_a_pin_locked_profile_plays_only_on_devices_that_entered_the_pin(uow, clock, stops, hasher, family):
    _, teen, _ = family
    await pins.set_profile_pin(uow, clock, CATALOGUE, stops, hasher, ACCOUNT, teen.profile_id, "0427", PARENT)
    assert decide(uow, clock, teen, "t-all", "tv").reason is DenyReason.PIN_REQUIRED
    await pins.select_profile(uow, clock, hasher, ACCOUNT, teen.profile_id, "0427", "tv")
    assert decide(uow, clock, teen, "t-all", "tv").allowed
    assert decide(uow, clock, teen, "t-all", "phone").reason is DenyReason.PIN_REQUIRED


@pytest.mark.parametrize(
    ("local_time", "allowed"),
    [
        ("2026-01-05T17:59:59-05:00", False),
        ("2026-01-05T18:00:00-05:00", True),
        ("2026-01-05T19:59:59-05:00", True),
        ("2026-01-05T20:00:00-05:00", False),
        ("2026-01-06T18:30:00-05:00", False),
    ],
)
def test_a_schedule_allows_its_first_and_last_minute_in_the_accounts_time_zone(
    uow, clock, stops, family, local_time, allowed
):
    _, teen, _ = family
    set_schedule(uow, clock, stops, teen, "America/New_York", EVENING)
    clock.now = micros(local_time)
    decision = decide(uow, clock, teen, "t-all")
    assert decision.allowed is allowed
    if not allowed:
        assert decision.reason is DenyReason.OUTSIDE_SCHEDULE
        assert "Monday 18:00-20:00 (America/New_York)" in decision.message


def test_a_rule_change_applies_to_the_very_next_decision(uow, clock, stops, family):
    owner, _, _ = family
    assert decide(uow, clock, owner, "t-16").allowed
    set_maturity_level(uow, clock, stops, owner, MaturityLevel.THIRTEEN_PLUS)
    assert decide(uow, clock, owner, "t-16").reason is DenyReason.MATURITY


def test_lowering_the_maturity_level_stops_only_the_playbacks_it_forbids(uow, clock, stops, family):
    owner, teen, _ = family
    decide(uow, clock, owner, "t-16", "tv")
    decide(uow, clock, owner, "t-all", "phone")
    decide(uow, clock, teen, "t-13", "tablet")
    change = set_maturity_level(uow, clock, stops, owner, MaturityLevel.SEVEN_PLUS)
    assert [(s.playback.device_id, s.reason) for s in change.stops] == [("tv", DenyReason.MATURITY)]
    assert sorted(playing(uow)) == ["phone", "tablet"]


def test_a_schedule_set_outside_its_hours_stops_current_playback(uow, clock, stops, family):
    _, teen, _ = family
    decide(uow, clock, teen, "t-all", "tv")
    change = set_schedule(uow, clock, stops, teen, "Europe/Lisbon", [ViewingWindow(TUESDAY, 0, 60)])
    assert [(s.playback.device_id, s.reason) for s in change.stops] == [("tv", DenyReason.OUTSIDE_SCHEDULE)]
    assert playing(uow) == {}


async def test_blocking_a_title_being_watched_publishes_its_stop_to_watchers(uow, clock, stops, family):
    owner, _, _ = family
    decide(uow, clock, owner, "t-18", "tv")
    with stops.subscribe(ACCOUNT) as queue, stops.subscribe("acc-2") as other:
        rules.block_title(uow, clock, CATALOGUE, stops, ACCOUNT, owner.profile_id, "t-18", PARENT)
        stop = queue.get_nowait()
        assert (stop.playback.device_id, stop.reason) == ("tv", DenyReason.BLOCKED_TITLE)
        assert other.empty()


async def test_a_watcher_of_every_account_hears_each_accounts_stops_once(uow, clock, stops, family):
    owner, _, _ = family
    decide(uow, clock, owner, "t-18", "tv")
    with stops.subscribe(None) as everyone, stops.subscribe(ACCOUNT) as queue:
        rules.block_title(uow, clock, CATALOGUE, stops, ACCOUNT, owner.profile_id, "t-18", PARENT)
        heard = everyone.get_nowait()
        assert (heard.playback.account_id, heard.playback.device_id) == (ACCOUNT, "tv")
        assert everyone.empty() and queue.qsize() == 1


@pytest.mark.parametrize(
    ("time_zone", "windows"),
    [
        ("Mars/Olympus_Mons", EVENING),
        ("../../etc/passwd", EVENING),
        ("", EVENING),
        ("Europe/Lisbon", [ViewingWindow(MONDAY, 20 * 60, 18 * 60)]),
        ("Europe/Lisbon", [ViewingWindow(MONDAY, 0, 1441)]),
        ("Europe/Lisbon", [ViewingWindow(7, 0, 60)]),
    ],
)
def test_a_malformed_schedule_is_refused_and_nothing_changes(uow, clock, stops, family, time_zone, windows):
    _, teen, _ = family
    with pytest.raises(InvalidArgument):
        set_schedule(uow, clock, stops, teen, time_zone, windows)
    assert rules.get_profile_rules(uow, ACCOUNT, teen.profile_id).schedule is None


def test_no_windows_removes_the_schedule(uow, clock, stops, family):
    _, teen, _ = family
    set_schedule(uow, clock, stops, teen, "Europe/Lisbon", [ViewingWindow(TUESDAY, 0, 60)])
    set_schedule(uow, clock, stops, teen, "", [])
    assert decide(uow, clock, teen, "t-all").allowed


def test_an_unknown_title_or_another_accounts_profile_is_not_found(uow, clock, stops, family):
    owner, _, _ = family
    with pytest.raises(NotFound):
        playback.decide_playback(uow, clock, CATALOGUE, ACCOUNT, owner.profile_id, "t-nope", "tv")
    with pytest.raises(NotFound):
        playback.decide_playback(uow, clock, CATALOGUE, "acc-2", owner.profile_id, "t-all", "tv")
    with pytest.raises(NotFound):
        rules.block_title(uow, clock, CATALOGUE, stops, "acc-2", owner.profile_id, "t-all", PARENT)
    assert decide(uow, clock, owner, "t-all").allowed
