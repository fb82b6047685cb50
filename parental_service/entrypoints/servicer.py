"""ParentalService over gRPC: proto in, use case, proto out."""

from __future__ import annotations

from collections.abc import AsyncIterator

from grpc import aio
from remotesignout.parental.v1 import parental_pb2 as pb
from remotesignout.parental.v1 import parental_pb2_grpc

from common.permissions import caller
from common.revocation_delivery import FeedEntries
from parental_service.domain.revocations import Revocation
from parental_service.entrypoints import convert
from parental_service.entrypoints.convert import actor_from_pb, profile_to_pb, stops_to_pb
from parental_service.service_layer.app import ParentalApp

Context = aio.ServicerContext


class ParentalServicer(parental_pb2_grpc.ParentalServiceServicer):
    """`feed` looks entries up in auth_service's feed, to check ApplyRevocation calls
    from any caller other than auth_service."""

    def __init__(self, app: ParentalApp, feed: FeedEntries[Revocation]) -> None:
        self.app = app
        self.feed = feed

    async def CreateProfile(self, request: pb.CreateProfileRequest, context: Context) -> pb.CreateProfileResponse:
        profile = await self.app.create_profile(
            request.account_id,
            request.name,
            convert.kind_from_pb(request.kind),
            convert.maturity_from_pb(request.maturity_level),
            actor_from_pb(request.actor),
        )
        return pb.CreateProfileResponse(profile=profile_to_pb(profile))

    async def ListProfiles(self, request: pb.ListProfilesRequest, context: Context) -> pb.ListProfilesResponse:
        profiles = await self.app.list_profiles(request.account_id)
        return pb.ListProfilesResponse(profiles=[profile_to_pb(p) for p in profiles])

    async def ApplyRevocation(self, request: pb.ApplyRevocationRequest, context: Context) -> pb.ApplyRevocationResponse:
        result = await self.app.deliver_revocation(
            self.feed, convert.revocation_from_pb(request.revocation), caller()
        )
        return pb.ApplyRevocationResponse(
            applied=result.applied, stopped_playback_count=len(result.stops), already_applied=result.already_applied
        )

    async def RenameProfile(self, request: pb.RenameProfileRequest, context: Context) -> pb.RenameProfileResponse:
        profile = await self.app.rename_profile(
            request.account_id, request.profile_id, request.name, actor_from_pb(request.actor)
        )
        return pb.RenameProfileResponse(profile=profile_to_pb(profile))

    async def DeleteProfile(self, request: pb.DeleteProfileRequest, context: Context) -> pb.DeleteProfileResponse:
        change = await self.app.delete_profile(request.account_id, request.profile_id, actor_from_pb(request.actor))
        return pb.DeleteProfileResponse(stopped_playbacks=stops_to_pb(change.stops))

    async def SetProfilePin(self, request: pb.SetProfilePinRequest, context: Context) -> pb.SetProfilePinResponse:
        change = await self.app.set_profile_pin(
            request.account_id, request.profile_id, request.pin, actor_from_pb(request.actor)
        )
        return pb.SetProfilePinResponse(profile=profile_to_pb(change.profile), stopped_playbacks=stops_to_pb(change.stops))

    async def RemoveProfilePin(
        self, request: pb.RemoveProfilePinRequest, context: Context
    ) -> pb.RemoveProfilePinResponse:
        change = await self.app.remove_profile_pin(request.account_id, request.profile_id, actor_from_pb(request.actor))
        return pb.RemoveProfilePinResponse(profile=profile_to_pb(change.profile))

    async def SelectProfile(self, request: pb.SelectProfileRequest, context: Context) -> pb.SelectProfileResponse:
        profile = await self.app.select_profile(request.account_id, request.profile_id, request.pin, request.device_id)
        return pb.SelectProfileResponse(profile=profile_to_pb(profile))

    async def UnlockProfile(self, request: pb.UnlockProfileRequest, context: Context) -> pb.UnlockProfileResponse:
        change = await self.app.unlock_profile(request.account_id, request.profile_id, actor_from_pb(request.actor))
        return pb.UnlockProfileResponse(profile=profile_to_pb(change.profile))

    async def SetMaturityLevel(
        self, request: pb.SetMaturityLevelRequest, context: Context
    ) -> pb.SetMaturityLevelResponse:
        change = await self.app.set_maturity_level(
            request.account_id,
            request.profile_id,
            convert.required_maturity_from_pb(request.maturity_level),
            actor_from_pb(request.actor),
        )
        return pb.SetMaturityLevelResponse(
            profile=profile_to_pb(change.profile), stopped_playbacks=stops_to_pb(change.stops)
        )

    async def BlockTitle(self, request: pb.BlockTitleRequest, context: Context) -> pb.BlockTitleResponse:
        change = await self.app.block_title(
            request.account_id, request.profile_id, request.title_id, actor_from_pb(request.actor)
        )
        return pb.BlockTitleResponse(stopped_playbacks=stops_to_pb(change.stops))

    async def UnblockTitle(self, request: pb.UnblockTitleRequest, context: Context) -> pb.UnblockTitleResponse:
        await self.app.unblock_title(request.account_id, request.profile_id, request.title_id, actor_from_pb(request.actor))
        return pb.UnblockTitleResponse()

    async def SetViewingSchedule(
        self, request: pb.SetViewingScheduleRequest, context: Context
    ) -> pb.SetViewingScheduleResponse:
        change = await self.app.set_viewing_schedule(
            request.account_id,
            request.profile_id,
            request.schedule.time_zone,
            convert.windows_from_pb(request.schedule),
            actor_from_pb(request.actor),
        )
        return pb.SetViewingScheduleResponse(stopped_playbacks=stops_to_pb(change.stops))

    async def GetProfileRules(self, request: pb.GetProfileRulesRequest, context: Context) -> pb.GetProfileRulesResponse:
        rules = await self.app.get_profile_rules(request.account_id, request.profile_id)
        return pb.GetProfileRulesResponse(
            profile=profile_to_pb(rules.profile),
            blocked_title_ids=sorted(rules.blocked_title_ids),
            schedule=convert.schedule_to_pb(rules.schedule) if rules.schedule else None,
        )

    async def ListTitles(self, request: pb.ListTitlesRequest, context: Context) -> pb.ListTitlesResponse:
        titles, next_token = self.app.catalogue.page(request.page_size, request.page_token)
        return pb.ListTitlesResponse(titles=[convert.title_to_pb(t) for t in titles], next_page_token=next_token)

    async def DecidePlayback(self, request: pb.DecidePlaybackRequest, context: Context) -> pb.DecidePlaybackResponse:
        decision, title = await self.app.decide_playback(
            request.account_id, request.profile_id, request.title_id, request.device_id, request.check_only
        )
        return pb.DecidePlaybackResponse(
            allowed=decision.allowed,
            reason=convert.reason_to_pb(decision.reason),
            message=decision.message,
            title=convert.title_to_pb(title),
        )

    async def EndPlayback(self, request: pb.EndPlaybackRequest, context: Context) -> pb.EndPlaybackResponse:
        return pb.EndPlaybackResponse(ended=await self.app.end_playback(request.account_id, request.device_id))

    async def ListAuditEvents(self, request: pb.ListAuditEventsRequest, context: Context) -> pb.ListAuditEventsResponse:
        events, next_token = await self.app.list_audit_events(
            request.account_id, request.profile_id, request.page_size, request.page_token
        )
        return pb.ListAuditEventsResponse(
            events=[convert.audit_event_to_pb(e) for e in events], next_page_token=next_token
        )

    async def WatchPlaybackStops(
        self, request: pb.WatchPlaybackStopsRequest, context: Context
    ) -> AsyncIterator[pb.WatchPlaybackStopsResponse]:
        with self.app.stops.subscribe(request.account_id) as queue:
            yield pb.WatchPlaybackStopsResponse(subscribed=True)
            while True:
                stop = await queue.get()
                yield pb.WatchPlaybackStopsResponse(stop=stops_to_pb([stop])[0])
