import pytest

from common.errors import InvalidArgument, NotFound
from parental_service.domain.decisions import DenyReason
from parental_service.domain.profiles import MaturityLevel
from parental_service.domain.schedules import ViewingWindow
from tests.unit.parental_service.conftest import ACCOUNT, PARENT, micros

MONDAY, TUESDAY = 0, 1
EVENING = [ViewingWindow(MONDAY, 18 * 60, 20 * 60)]


async def decide(app, profile, title_id, device="tv"):
    decision, _ = await app.decide_playback(ACCOUNT, profile.profile_id, title_id, device)
    return decision


async def playing(app, uow):
    with uow:
        return {p.device_id: (p.profile_id, p.title_id) for p in uow.playbacks.list_for_account(ACCOUNT)}


async def test_a_13_plus_title_is_allowed_for_a_13_plus_profile(app, uow, family):
    _, teen, _ = family
    assert (await decide(app, teen, "t-13")).allowed
    assert (await playing(app, uow)) == {"tv": (teen.profile_id, "t-13")}


async def test_an_18_plus_title_is_denied_for_a_16_plus_profile_with_a_readable_reason(app, uow, family):
    _, teen, _ = family
    await app.set_maturity_level(ACCOUNT, teen.profile_id, MaturityLevel.SIXTEEN_PLUS, PARENT)
    decision = await decide(app, teen, "t-18")
    assert (decision.allowed, decision.reason) == (False, DenyReason.MATURITY)
    assert decision.message == "Blood Orchard is rated 18+, above the 16+ maturity level of the profile Teen."
    assert (await playing(app, uow)) == {}


async def test_a_blocked_title_is_denied_even_when_its_rating_is_allowed(app, family):
    owner, _, _ = family
    await app.block_title(ACCOUNT, owner.profile_id, "t-all", PARENT)
    decision = await decide(app, owner, "t-all")
    assert (decision.allowed, decision.reason) == (False, DenyReason.BLOCKED_TITLE)
    await app.unblock_title(ACCOUNT, owner.profile_id, "t-all", PARENT)
    assert (await decide(app, owner, "t-all")).allowed


async def test_a_pin_locked_profile_plays_only_on_devices_that_entered_the_pin(app, family):
    _, teen, _ = family
    await app.set_profile_pin(ACCOUNT, teen.profile_id, "0427", PARENT)
    assert (await decide(app, teen, "t-all", "tv")).reason is DenyReason.PIN_REQUIRED
    await app.select_profile(ACCOUNT, teen.profile_id, "0427", "tv")
    assert (await decide(app, teen, "t-all", "tv")).allowed
    assert (await decide(app, teen, "t-all", "phone")).reason is DenyReason.PIN_REQUIRED


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
async def test_a_schedule_allows_its_first_and_last_minute_in_the_accounts_time_zone(
    app, clock, family, local_time, allowed
):
    _, teen, _ = family
    await app.set_viewing_schedule(ACCOUNT, teen.profile_id, "America/New_York", EVENING, PARENT)
    clock.now = micros(local_time)
    decision = await decide(app, teen, "t-all")
    assert decision.allowed is allowed
    if not allowed:
        assert decision.reason is DenyReason.OUTSIDE_SCHEDULE
        assert "Monday 18:00-20:00 (America/New_York)" in decision.message


async def test_a_rule_change_applies_to_the_very_next_decision(app, family):
    owner, _, _ = family
    assert (await decide(app, owner, "t-16")).allowed
    await app.set_maturity_level(ACCOUNT, owner.profile_id, MaturityLevel.THIRTEEN_PLUS, PARENT)
    assert (await decide(app, owner, "t-16")).reason is DenyReason.MATURITY


async def test_lowering_the_maturity_level_stops_only_the_playbacks_it_forbids(app, uow, family):
    owner, teen, _ = family
    await decide(app, owner, "t-16", "tv")
    await decide(app, owner, "t-all", "phone")
    await decide(app, teen, "t-13", "tablet")
    change = await app.set_maturity_level(ACCOUNT, owner.profile_id, MaturityLevel.SEVEN_PLUS, PARENT)
    assert [(s.playback.device_id, s.reason) for s in change.stops] == [("tv", DenyReason.MATURITY)]
    assert sorted(await playing(app, uow)) == ["phone", "tablet"]


async def test_a_schedule_set_outside_its_hours_stops_current_playback(app, uow, clock, family):
    _, teen, _ = family
    await decide(app, teen, "t-all", "tv")
    change = await app.set_viewing_schedule(ACCOUNT, teen.profile_id, "Europe/Lisbon", [ViewingWindow(TUESDAY, 0, 60)], PARENT)
    assert [(s.playback.device_id, s.reason) for s in change.stops] == [("tv", DenyReason.OUTSIDE_SCHEDULE)]
    assert await playing(app, uow) == {}


async def test_blocking_a_title_being_watched_publishes_its_stop_to_watchers(app, family):
    owner, _, _ = family
    await decide(app, owner, "t-18", "tv")
    with app.stops.subscribe(ACCOUNT) as queue, app.stops.subscribe("acc-2") as other:
        await app.block_title(ACCOUNT, owner.profile_id, "t-18", PARENT)
        stop = queue.get_nowait()
        assert (stop.playback.device_id, stop.reason) == ("tv", DenyReason.BLOCKED_TITLE)
        assert other.empty()


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
async def test_a_malformed_schedule_is_refused_and_nothing_changes(app, family, time_zone, windows):
    _, teen, _ = family
    with pytest.raises(InvalidArgument):
        await app.set_viewing_schedule(ACCOUNT, teen.profile_id, time_zone, windows, PARENT)
    assert (await app.get_profile_rules(ACCOUNT, teen.profile_id)).schedule is None


async def test_no_windows_removes_the_schedule(app, clock, family):
    _, teen, _ = family
    await app.set_viewing_schedule(ACCOUNT, teen.profile_id, "Europe/Lisbon", [ViewingWindow(TUESDAY, 0, 60)], PARENT)
    await app.set_viewing_schedule(ACCOUNT, teen.profile_id, "", [], PARENT)
    assert (await decide(app, teen, "t-all")).allowed


async def test_an_unknown_title_or_another_accounts_profile_is_not_found(app, family):
    owner, _, _ = family
    with pytest.raises(NotFound):
        await app.decide_playback(ACCOUNT, owner.profile_id, "t-nope", "tv")
    with pytest.raises(NotFound):
        await app.decide_playback("acc-2", owner.profile_id, "t-all", "tv")
    with pytest.raises(NotFound):
        await app.block_title("acc-2", owner.profile_id, "t-all", PARENT)
    assert (await decide(app, owner, "t-all")).allowed
