import pytest

from common.errors import AlreadyExists, FailedPrecondition, NotFound
from parental_service.domain.decisions import DenyReason
from parental_service.domain.profiles import MaturityLevel
from parental_service.service_layer import audit, pins, playback, profiles, rules
from tests.unit.parental_service.conftest import ACCOUNT, CATALOGUE, PARENT


def names(uow, account=ACCOUNT):
    return [p.name for p in profiles.list_profiles(uow, account)]


def test_renaming_a_profile_keeps_names_unique_regardless_of_case(uow, clock, family):
    owner, teen, _ = family
    assert profiles.rename_profile(uow, clock, ACCOUNT, teen.profile_id, "Teenager", PARENT).name == "Teenager"
    with pytest.raises(AlreadyExists):
        profiles.rename_profile(uow, clock, ACCOUNT, teen.profile_id, "ana", PARENT)
    assert profiles.rename_profile(uow, clock, ACCOUNT, owner.profile_id, "ANA", PARENT).name == "ANA"
    assert names(uow) == ["ANA", "Teenager", "Kid"]


def test_the_owner_profile_cannot_be_deleted(uow, clock, stops, family):
    owner, _, _ = family
    with pytest.raises(FailedPrecondition):
        profiles.delete_profile(uow, clock, stops, ACCOUNT, owner.profile_id, PARENT)
    assert names(uow) == ["Ana", "Teen", "Kid"]


async def test_deleting_a_profile_stops_its_playback_and_frees_a_place(uow, clock, stops, family):
    _, teen, _ = family
    playback.decide_playback(uow, clock, CATALOGUE, ACCOUNT, teen.profile_id, "t-13", "tv")
    with stops.subscribe(ACCOUNT) as watcher:
        change = profiles.delete_profile(uow, clock, stops, ACCOUNT, teen.profile_id, PARENT)
        assert watcher.get_nowait() == change.stops[0]
    assert [(s.playback.device_id, s.reason) for s in change.stops] == [("tv", DenyReason.PROFILE_DELETED)]
    assert names(uow) == ["Ana", "Kid"]
    with pytest.raises(NotFound):
        playback.decide_playback(uow, clock, CATALOGUE, ACCOUNT, teen.profile_id, "t-13", "tv")


def test_another_accounts_profile_is_not_found_and_nothing_changes(uow, clock, stops, family):
    _, teen, _ = family
    with pytest.raises(NotFound) as renamed:
        profiles.rename_profile(uow, clock, "acc-2", teen.profile_id, "Hacked", PARENT)
    with pytest.raises(NotFound) as deleted:
        profiles.delete_profile(uow, clock, stops, "acc-2", teen.profile_id, PARENT)
    with pytest.raises(NotFound) as unknown:
        profiles.delete_profile(uow, clock, stops, ACCOUNT, "no-such-profile", PARENT)
    assert renamed.value.message == deleted.value.message == unknown.value.message
    assert names(uow) == ["Ana", "Teen", "Kid"]


async def test_every_change_is_audited_newest_first_with_its_actor(uow, clock, stops, hasher, family):
    _, teen, _ = family
    rules.set_maturity_level(uow, clock, CATALOGUE, stops, ACCOUNT, teen.profile_id, MaturityLevel.SIXTEEN_PLUS, PARENT)
    rules.block_title(uow, clock, CATALOGUE, stops, ACCOUNT, teen.profile_id, "t-16", PARENT)
    await pins.set_profile_pin(uow, clock, CATALOGUE, stops, hasher, ACCOUNT, teen.profile_id, "0427", PARENT)
    events, _ = audit.list_audit_events(uow, ACCOUNT, teen.profile_id, 0, "")
    assert [(e.change, e.old_value, e.new_value) for e in events] == [
        ("pin", "none", "set"),
        ("title_blocked", "allowed", "blocked: Night Shift Precinct (t-16)"),
        ("maturity_level", "13+", "16+"),
        ("profile_created", "none", "Teen (standard, 13+)"),
    ]
    assert {e.actor for e in events[:3]} == {PARENT}
    assert all("0427" not in e.new_value + e.old_value for e in events)


def test_audit_events_are_paginated_without_gaps_or_repeats(uow, clock, stops, family):
    owner, _, _ = family
    for level in [MaturityLevel.ALL, MaturityLevel.SEVEN_PLUS, MaturityLevel.THIRTEEN_PLUS, MaturityLevel.SIXTEEN_PLUS]:
        rules.set_maturity_level(uow, clock, CATALOGUE, stops, ACCOUNT, owner.profile_id, level, PARENT)
    seen, token = [], ""
    while True:
        page, token = audit.list_audit_events(uow, ACCOUNT, "", 2, token)
        seen.extend(page)
        if not token:
            break
    assert len(seen) == 7  # 3 profiles created, 4 maturity changes
    assert [e.event_id for e in seen] == sorted((e.event_id for e in seen), reverse=True)
    assert audit.list_audit_events(uow, "acc-2", "", 0, "")[0] == []
