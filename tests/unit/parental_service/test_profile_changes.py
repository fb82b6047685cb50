import pytest

from common.errors import AlreadyExists, FailedPrecondition, NotFound
from parental_service.domain.decisions import DenyReason
from parental_service.domain.profiles import MaturityLevel
from tests.unit.parental_service.conftest import ACCOUNT, PARENT


async def names(app, account=ACCOUNT):
    return [p.name for p in await app.list_profiles(account)]


async def test_renaming_a_profile_keeps_names_unique_regardless_of_case(app, family):
    owner, teen, _ = family
    assert (await app.rename_profile(ACCOUNT, teen.profile_id, "Teenager", PARENT)).name == "Teenager"
    with pytest.raises(AlreadyExists):
        await app.rename_profile(ACCOUNT, teen.profile_id, "ana", PARENT)
    assert (await app.rename_profile(ACCOUNT, owner.profile_id, "ANA", PARENT)).name == "ANA"
    assert await names(app) == ["ANA", "Teenager", "Kid"]


async def test_the_owner_profile_cannot_be_deleted(app, family):
    owner, _, _ = family
    with pytest.raises(FailedPrecondition):
        await app.delete_profile(ACCOUNT, owner.profile_id, PARENT)
    assert await names(app) == ["Ana", "Teen", "Kid"]


async def test_deleting_a_profile_stops_its_playback_and_frees_a_place(app, family):
    _, teen, _ = family
    await app.decide_playback(ACCOUNT, teen.profile_id, "t-13", "tv")
    change = await app.delete_profile(ACCOUNT, teen.profile_id, PARENT)
    assert [(s.playback.device_id, s.reason) for s in change.stops] == [("tv", DenyReason.PROFILE_DELETED)]
    assert await names(app) == ["Ana", "Kid"]
    with pytest.raises(NotFound):
        await app.decide_playback(ACCOUNT, teen.profile_id, "t-13", "tv")


async def test_another_accounts_profile_is_not_found_and_nothing_changes(app, family):
    _, teen, _ = family
    with pytest.raises(NotFound) as renamed:
        await app.rename_profile("acc-2", teen.profile_id, "Hacked", PARENT)
    with pytest.raises(NotFound) as deleted:
        await app.delete_profile("acc-2", teen.profile_id, PARENT)
    with pytest.raises(NotFound) as unknown:
        await app.delete_profile(ACCOUNT, "no-such-profile", PARENT)
    assert renamed.value.message == deleted.value.message == unknown.value.message
    assert await names(app) == ["Ana", "Teen", "Kid"]


async def test_every_change_is_audited_newest_first_with_its_actor(app, family):
    _, teen, _ = family
    await app.set_maturity_level(ACCOUNT, teen.profile_id, MaturityLevel.SIXTEEN_PLUS, PARENT)
    await app.block_title(ACCOUNT, teen.profile_id, "t-16", PARENT)
    await app.set_profile_pin(ACCOUNT, teen.profile_id, "0427", PARENT)
    events, _ = await app.list_audit_events(ACCOUNT, teen.profile_id, 0, "")
    assert [(e.change, e.old_value, e.new_value) for e in events] == [
        ("pin", "none", "set"),
        ("title_blocked", "allowed", "blocked: Night Shift Precinct (t-16)"),
        ("maturity_level", "13+", "16+"),
        ("profile_created", "none", "Teen (standard, 13+)"),
    ]
    assert {e.actor for e in events[:3]} == {PARENT}
    assert all("0427" not in e.new_value + e.old_value for e in events)


async def test_audit_events_are_paginated_without_gaps_or_repeats(app, family):
    owner, _, _ = family
    for level in [MaturityLevel.ALL, MaturityLevel.SEVEN_PLUS, MaturityLevel.THIRTEEN_PLUS, MaturityLevel.SIXTEEN_PLUS]:
        await app.set_maturity_level(ACCOUNT, owner.profile_id, level, PARENT)
    seen, token = [], ""
    while True:
        page, token = await app.list_audit_events(ACCOUNT, "", 2, token)
        seen.extend(page)
        if not token:
            break
    assert len(seen) == 7  # 3 profiles created, 4 maturity changes
    assert [e.event_id for e in seen] == sorted((e.event_id for e in seen), reverse=True)
    assert (await app.list_audit_events("acc-2", "", 0, ""))[0] == []
