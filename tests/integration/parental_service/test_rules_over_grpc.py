import asyncio

import grpc
import pytest
from remotesignout.parental.v1 import parental_pb2 as pb

from common.errors import PermissionDenied
from parental_service.entrypoints.servicer import watched_account
from tests.integration.parental_service.conftest import reason_of

ACCOUNT = "acc-1"
PARENT = pb.Actor(device_id="parent-phone", profile_id="owner")


@pytest.fixture
async def kid(stub):
    await stub.CreateProfile(pb.CreateProfileRequest(account_id=ACCOUNT, name="Ana"))
    response = await stub.CreateProfile(
        pb.CreateProfileRequest(account_id=ACCOUNT, name="Kid", kind=pb.PROFILE_KIND_KIDS)
    )
    return response.profile


async def decide(stub, profile, title_id, device="tv"):
    return await stub.DecidePlayback(
        pb.DecidePlaybackRequest(account_id=ACCOUNT, profile_id=profile.profile_id, title_id=title_id, device_id=device)
    )


async def test_the_catalogue_lists_at_least_50_titles_across_every_rating_page_by_page(stub):
    titles, token = [], ""
    while True:
        page = await stub.ListTitles(pb.ListTitlesRequest(page_size=20, page_token=token))
        titles.extend(page.titles)
        token = page.next_page_token
        if not token:
            break
    assert len(titles) >= 50 and len({t.title_id for t in titles}) == len(titles)
    assert {t.maturity_rating for t in titles} == {1, 2, 3, 4, 5}


async def test_a_kids_profile_is_denied_an_18_plus_title_and_allowed_an_all_title(stub, kid):
    denied = await decide(stub, kid, "t-blood-orchard")
    allowed = await decide(stub, kid, "t-puddle-jumpers")
    assert (denied.allowed, denied.reason) == (False, pb.DENY_REASON_MATURITY)
    assert "above the 7+ maturity level" in denied.message
    assert (allowed.allowed, allowed.reason, allowed.title.name) == (True, pb.DENY_REASON_UNSPECIFIED, "Puddle Jumpers")


async def test_blocking_a_title_being_watched_stops_it_and_tells_watchers(stub, kid):
    await decide(stub, kid, "t-puddle-jumpers", "living-room-tv")
    stream = stub.WatchPlaybackStops(pb.WatchPlaybackStopsRequest(account_id=ACCOUNT))
    events = stream.__aiter__()
    assert (await events.__anext__()).subscribed
    blocked = await stub.BlockTitle(
        pb.BlockTitleRequest(account_id=ACCOUNT, profile_id=kid.profile_id, title_id="t-puddle-jumpers", actor=PARENT)
    )
    pushed = (await asyncio.wait_for(events.__anext__(), timeout=5)).stop
    stream.cancel()
    assert [(s.device_id, s.reason) for s in blocked.stopped_playbacks] == [
        ("living-room-tv", pb.DENY_REASON_BLOCKED_TITLE)
    ]
    assert (pushed.device_id, pushed.title_id, pushed.reason) == (
        "living-room-tv",
        "t-puddle-jumpers",
        pb.DENY_REASON_BLOCKED_TITLE,
    )


async def test_the_gateways_watch_of_all_accounts_hears_every_accounts_stops(stub, kid):
    other = (await stub.CreateProfile(pb.CreateProfileRequest(account_id="acc-2", name="Bo"))).profile
    await decide(stub, kid, "t-puddle-jumpers", "living-room-tv")
    await stub.DecidePlayback(
        pb.DecidePlaybackRequest(
            account_id="acc-2", profile_id=other.profile_id, title_id="t-puddle-jumpers", device_id="bo-tv"
        )
    )
    stream = stub.WatchPlaybackStops(pb.WatchPlaybackStopsRequest(all_accounts=True))
    events = stream.__aiter__()
    assert (await events.__anext__()).subscribed
    for account, profile in ((ACCOUNT, kid), ("acc-2", other)):
        await stub.BlockTitle(
            pb.BlockTitleRequest(
                account_id=account, profile_id=profile.profile_id, title_id="t-puddle-jumpers", actor=PARENT
            )
        )
    pushed = [(await asyncio.wait_for(events.__anext__(), timeout=5)).stop for _ in range(2)]
    stream.cancel()
    assert [(s.account_id, s.device_id) for s in pushed] == [(ACCOUNT, "living-room-tv"), ("acc-2", "bo-tv")]


async def test_all_accounts_with_an_account_id_is_invalid(stub):
    stream = stub.WatchPlaybackStops(pb.WatchPlaybackStopsRequest(account_id=ACCOUNT, all_accounts=True))
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await stream.read()
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_no_one_but_the_gateway_may_watch_all_accounts(stub):
    stream = stub.as_process("device_service").WatchPlaybackStops(pb.WatchPlaybackStopsRequest(all_accounts=True))
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await stream.read()
    assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_all_accounts_is_refused_to_any_caller_but_the_gateway_even_past_the_permission_table():
    request = pb.WatchPlaybackStopsRequest(all_accounts=True)
    assert watched_account(request, "gateway") is None
    assert watched_account(pb.WatchPlaybackStopsRequest(account_id=ACCOUNT), "gateway") == ACCOUNT
    with pytest.raises(PermissionDenied):
        watched_account(request, "auth_service")


async def test_pin_errors_carry_their_status_codes_and_reasons(stub, kid):
    await stub.SetProfilePin(
        pb.SetProfilePinRequest(account_id=ACCOUNT, profile_id=kid.profile_id, pin="0427", actor=PARENT)
    )
    outcomes = []
    for pin in ["", "12a4", "1111", "2222", "3333", "4444", "5555", "0427"]:
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await stub.SelectProfile(
                pb.SelectProfileRequest(account_id=ACCOUNT, profile_id=kid.profile_id, pin=pin, device_id="tv")
            )
        outcomes.append((error.value.code(), reason_of(error.value)))
    assert outcomes == [
        (grpc.StatusCode.PERMISSION_DENIED, "pin_required"),
        (grpc.StatusCode.INVALID_ARGUMENT, "invalid_pin"),
        *[(grpc.StatusCode.UNAUTHENTICATED, "wrong_pin")] * 4,
        (grpc.StatusCode.RESOURCE_EXHAUSTED, "pin_locked"),
        (grpc.StatusCode.RESOURCE_EXHAUSTED, "pin_locked"),
    ]
    unlocked = await stub.UnlockProfile(
        pb.UnlockProfileRequest(account_id=ACCOUNT, profile_id=kid.profile_id, actor=PARENT)
    )
    assert not unlocked.profile.HasField("locked_until")
    entered = await stub.SelectProfile(
        pb.SelectProfileRequest(account_id=ACCOUNT, profile_id=kid.profile_id, pin="0427", device_id="tv")
    )
    assert entered.profile.has_pin
    assert (await decide(stub, kid, "t-puddle-jumpers")).allowed


async def test_a_malformed_pin_is_invalid_argument_with_the_rule_in_the_message(stub, kid):
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await stub.SetProfilePin(pb.SetProfilePinRequest(account_id=ACCOUNT, profile_id=kid.profile_id, pin="12345"))
    assert (error.value.code(), error.value.details()) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        "A PIN is exactly 4 digits, such as 0427.",
    )


async def test_a_schedule_round_trips_and_another_account_cannot_see_it(stub, kid):
    schedule = pb.ViewingSchedule(
        time_zone="Europe/Lisbon",
        windows=[pb.ViewingWindow(weekday=pb.WEEKDAY_SATURDAY, start_minute=540, end_minute=720)],
    )
    await stub.SetViewingSchedule(
        pb.SetViewingScheduleRequest(account_id=ACCOUNT, profile_id=kid.profile_id, schedule=schedule, actor=PARENT)
    )
    rules = await stub.GetProfileRules(pb.GetProfileRulesRequest(account_id=ACCOUNT, profile_id=kid.profile_id))
    assert rules.schedule == schedule
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await stub.GetProfileRules(pb.GetProfileRulesRequest(account_id="acc-2", profile_id=kid.profile_id))
    assert error.value.code() == grpc.StatusCode.NOT_FOUND


async def test_deleting_another_accounts_profile_is_not_found_and_the_owner_cannot_be_deleted(stub, kid):
    with pytest.raises(grpc.aio.AioRpcError) as other:
        await stub.DeleteProfile(pb.DeleteProfileRequest(account_id="acc-2", profile_id=kid.profile_id))
    owner = (await stub.ListProfiles(pb.ListProfilesRequest(account_id=ACCOUNT))).profiles[0]
    with pytest.raises(grpc.aio.AioRpcError) as own:
        await stub.DeleteProfile(pb.DeleteProfileRequest(account_id=ACCOUNT, profile_id=owner.profile_id))
    assert (other.value.code(), own.value.code()) == (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.FAILED_PRECONDITION)
    assert len((await stub.ListProfiles(pb.ListProfilesRequest(account_id=ACCOUNT))).profiles) == 2


async def test_audit_events_come_back_newest_first_in_pages(stub, kid):
    for level in [pb.MATURITY_LEVEL_ALL, pb.MATURITY_LEVEL_13_PLUS]:
        await stub.SetMaturityLevel(
            pb.SetMaturityLevelRequest(
                account_id=ACCOUNT, profile_id=kid.profile_id, maturity_level=level, actor=PARENT
            )
        )
    first = await stub.ListAuditEvents(
        pb.ListAuditEventsRequest(account_id=ACCOUNT, profile_id=kid.profile_id, page_size=2)
    )
    second = await stub.ListAuditEvents(
        pb.ListAuditEventsRequest(
            account_id=ACCOUNT, profile_id=kid.profile_id, page_size=2, page_token=first.next_page_token
        )
    )
    assert [(e.change, e.old_value, e.new_value) for e in first.events] == [
        ("maturity_level", "all", "13+"),
        ("maturity_level", "7+", "all"),
    ]
    assert first.events[0].actor == PARENT
    assert [e.change for e in second.events] == ["profile_created"] and second.next_page_token == ""
