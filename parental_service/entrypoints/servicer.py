"""The ParentalService servicer: the proto's methods, each translating a request into a handler call
(database work off the event loop, common.unit_of_work.in_thread) and its result into a response."""

from __future__ import annotations

from collections.abc import AsyncIterator

from google.protobuf.message import Message
from grpc import aio
from remotesignout.parental.v1 import parental_pb2 as pb
from remotesignout.parental.v1 import parental_pb2_grpc

from common.errors import InvalidArgument, PermissionDenied
from common.permissions import caller
from common.unit_of_work import in_thread
from parental_service.bootstrap import Dependencies
from parental_service.entrypoints import convert
from parental_service.entrypoints.convert import actor_from_pb, profile_to_pb, stops_to_pb
from parental_service.service_layer import audit, pins, playback, profiles, revocations, rules

Context = aio.ServicerContext[Message, Message]


def watched_account(request: pb.WatchPlaybackStopsRequest, process: str) -> str | None:
    """The account a WatchPlaybackStops stream follows, None for every account: all_accounts is the gateway's
    one push subscription per process, refused to any other caller."""
    if not request.all_accounts:
        return request.account_id
    if process != "gateway":
        raise PermissionDenied("Only the gateway may watch every account's playback stops.")
    if request.account_id:
        raise InvalidArgument("Name an account_id or ask for all_accounts, not both.")
    return None


class ParentalServicer(parental_pb2_grpc.ParentalServiceServicer):
    def __init__(self, deps: Dependencies) -> None:
        self.deps = deps

    async def CreateProfile(self, request: pb.CreateProfileRequest, context: Context) -> pb.CreateProfileResponse:
        profile = await in_thread(
            profiles.create_profile,
            self.deps.uow(),
            self.deps.clock,
            request.account_id,
            request.name,
            convert.kind_from_pb(request.kind),
            convert.maturity_from_pb(request.maturity_level),
            actor_from_pb(request.actor),
        )
        return pb.CreateProfileResponse(profile=profile_to_pb(profile))

    async def ListProfiles(self, request: pb.ListProfilesRequest, context: Context) -> pb.ListProfilesResponse:
        found = await in_thread(profiles.list_profiles, self.deps.uow(), request.account_id)
        return pb.ListProfilesResponse(profiles=[profile_to_pb(p) for p in found])

    async def ApplyRevocation(self, request: pb.ApplyRevocationRequest, context: Context) -> pb.ApplyRevocationResponse:
        result = await revocations.deliver_revocation(
            self.deps.uow(),
            self.deps.clock,
            self.deps.stops,
            self.deps.feed,
            convert.revocation(request.revocation),
            caller(),
        )
        return pb.ApplyRevocationResponse(
            applied=result.applied, stopped_playback_count=len(result.stops), already_applied=result.already_applied
        )

    async def RenameProfile(self, request: pb.RenameProfileRequest, context: Context) -> pb.RenameProfileResponse:
        profile = await in_thread(
            profiles.rename_profile,
            self.deps.uow(),
            self.deps.clock,
            request.account_id,
            request.profile_id,
            request.name,
            actor_from_pb(request.actor),
        )
        return pb.RenameProfileResponse(profile=profile_to_pb(profile))

    async def DeleteProfile(self, request: pb.DeleteProfileRequest, context: Context) -> pb.DeleteProfileResponse:
        change = await in_thread(
            profiles.delete_profile,
            self.deps.uow(),
            self.deps.clock,
            self.deps.stops,
            request.account_id,
            request.profile_id,
            actor_from_pb(request.actor),
        )
        return pb.DeleteProfileResponse(stopped_playbacks=stops_to_pb(change.stops))

    async def SetProfilePin(self, request: pb.SetProfilePinRequest, context: Context) -> pb.SetProfilePinResponse:
        change = await pins.set_profile_pin(
            self.deps.uow(),
            self.deps.clock,
            self.deps.catalogue,
            self.deps.stops,
            self.deps.hasher,
            request.account_id,
            request.profile_id,
            request.pin,
            actor_from_pb(request.actor),
        )
        return pb.SetProfilePinResponse(
            profile=profile_to_pb(change.profile), stopped_playbacks=stops_to_pb(change.stops)
        )

    async def RemoveProfilePin(
        self, request: pb.RemoveProfilePinRequest, context: Context
    ) -> pb.RemoveProfilePinResponse:
        change = await in_thread(
            pins.remove_pin,
            self.deps.uow(),
            self.deps.clock,
            request.account_id,
            request.profile_id,
            actor_from_pb(request.actor),
        )
        return pb.RemoveProfilePinResponse(profile=profile_to_pb(change.profile))

    async def SelectProfile(self, request: pb.SelectProfileRequest, context: Context) -> pb.SelectProfileResponse:
        profile = await pins.select_profile(
            self.deps.uow(),
            self.deps.clock,
            self.deps.hasher,
            request.account_id,
            request.profile_id,
            request.pin,
            request.device_id,
        )
        return pb.SelectProfileResponse(profile=profile_to_pb(profile))

    async def UnlockProfile(self, request: pb.UnlockProfileRequest, context: Context) -> pb.UnlockProfileResponse:
        change = await in_thread(
            pins.unlock_profile,
            self.deps.uow(),
            self.deps.clock,
            request.account_id,
            request.profile_id,
            actor_from_pb(request.actor),
        )
        return pb.UnlockProfileResponse(profile=profile_to_pb(change.profile))

    async def SetMaturityLevel(
        self, request: pb.SetMaturityLevelRequest, context: Context
    ) -> pb.SetMaturityLevelResponse:
        change = await in_thread(
            rules.set_maturity_level,
            self.deps.uow(),
            self.deps.clock,
            self.deps.catalogue,
            self.deps.stops,
            request.account_id,
            request.profile_id,
            convert.required_maturity_from_pb(request.maturity_level),
            actor_from_pb(request.actor),
        )
        return pb.SetMaturityLevelResponse(
            profile=profile_to_pb(change.profile), stopped_playbacks=stops_to_pb(change.stops)
        )

    async def BlockTitle(self, request: pb.BlockTitleRequest, context: Context) -> pb.BlockTitleResponse:
        change = await in_thread(
            rules.block_title,
            self.deps.uow(),
            self.deps.clock,
            self.deps.catalogue,
            self.deps.stops,
            request.account_id,
            request.profile_id,
            request.title_id,
            actor_from_pb(request.actor),
        )
        return pb.BlockTitleResponse(stopped_playbacks=stops_to_pb(change.stops))

    async def UnblockTitle(self, request: pb.UnblockTitleRequest, context: Context) -> pb.UnblockTitleResponse:
        await in_thread(
            rules.unblock_title,
            self.deps.uow(),
            self.deps.clock,
            self.deps.catalogue,
            request.account_id,
            request.profile_id,
            request.title_id,
            actor_from_pb(request.actor),
        )
        return pb.UnblockTitleResponse()

    async def SetViewingSchedule(
        self, request: pb.SetViewingScheduleRequest, context: Context
    ) -> pb.SetViewingScheduleResponse:
        change = await in_thread(
            rules.set_viewing_schedule,
            self.deps.uow(),
            self.deps.clock,
            self.deps.catalogue,
            self.deps.stops,
            request.account_id,
            request.profile_id,
            request.schedule.time_zone,
            convert.windows_from_pb(request.schedule),
            actor_from_pb(request.actor),
        )
        return pb.SetViewingScheduleResponse(stopped_playbacks=stops_to_pb(change.stops))

    async def GetProfileRules(self, request: pb.GetProfileRulesRequest, context: Context) -> pb.GetProfileRulesResponse:
        found = await in_thread(rules.get_profile_rules, self.deps.uow(), request.account_id, request.profile_id)
        return pb.GetProfileRulesResponse(
            profile=profile_to_pb(found.profile),
            blocked_title_ids=sorted(found.blocked_title_ids),
            schedule=convert.schedule_to_pb(found.schedule) if found.schedule else None,
        )

    async def ListTitles(self, request: pb.ListTitlesRequest, context: Context) -> pb.ListTitlesResponse:
        titles, next_token = self.deps.catalogue.page(request.page_size, request.page_token)
        return pb.ListTitlesResponse(titles=[convert.title_to_pb(t) for t in titles], next_page_token=next_token)

    async def DecidePlayback(self, request: pb.DecidePlaybackRequest, context: Context) -> pb.DecidePlaybackResponse:
        decision, title = await in_thread(
            playback.decide_playback,
            self.deps.uow(),
            self.deps.clock,
            self.deps.catalogue,
            request.account_id,
            request.profile_id,
            request.title_id,
            request.device_id,
            request.check_only,
        )
        return pb.DecidePlaybackResponse(
            allowed=decision.allowed,
            reason=convert.reason_to_pb(decision.reason),
            message=decision.message,
            title=convert.title_to_pb(title),
        )

    async def EndPlayback(self, request: pb.EndPlaybackRequest, context: Context) -> pb.EndPlaybackResponse:
        ended = await in_thread(playback.end_playback, self.deps.uow(), request.account_id, request.device_id)
        return pb.EndPlaybackResponse(ended=ended)

    async def ListAuditEvents(self, request: pb.ListAuditEventsRequest, context: Context) -> pb.ListAuditEventsResponse:
        events, next_token = await in_thread(
            audit.list_audit_events,
            self.deps.uow(),
            request.account_id,
            request.profile_id,
            request.page_size,
            request.page_token,
        )
        return pb.ListAuditEventsResponse(
            events=[convert.audit_event_to_pb(e) for e in events], next_page_token=next_token
        )

    async def WatchPlaybackStops(
        self, request: pb.WatchPlaybackStopsRequest, context: Context
    ) -> AsyncIterator[pb.WatchPlaybackStopsResponse]:
        account_id = watched_account(request, caller())
        with self.deps.stops.subscribe(account_id) as queue:
            yield pb.WatchPlaybackStopsResponse(subscribed=True)
            while True:
                stop = await queue.get()
                yield pb.WatchPlaybackStopsResponse(stop=stops_to_pb([stop])[0])
