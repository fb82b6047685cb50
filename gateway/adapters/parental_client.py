"""The gateway's client of parental_service. Every unary call has a deadline."""

from __future__ import annotations

from collections.abc import AsyncIterator

from grpc import aio
from remotesignout.parental.v1 import parental_pb2, parental_pb2_grpc

from gateway.adapters.convert import (
    KIND_VALUES,
    MATURITY_VALUES,
    profile_from_proto,
    revocation_to_proto,
)
from gateway.adapters.convert_parental import (
    actor_to_proto,
    audit_event_from_proto,
    decision_from_proto,
    rules_from_proto,
    schedule_to_proto,
    stop_from_proto,
    stops_from_proto,
    title_from_proto,
)
from gateway.adapters.streams import await_subscribed
from gateway.domain import model, parental
from gateway.domain.parental import Actor, ProfileChange
from gateway.domain.requests import NewProfile, PageRequest


class ParentalClient:
    def __init__(self, channel: aio.Channel, timeout: float) -> None:
        self._stub = parental_pb2_grpc.ParentalServiceStub(channel)
        self._timeout = timeout

    async def list_profiles(self, caller: model.Caller) -> list[model.Profile]:
        response = await self._stub.ListProfiles(
            parental_pb2.ListProfilesRequest(account_id=caller.account_id), timeout=self._timeout
        )
        return [profile_from_proto(p) for p in response.profiles]

    async def create_profile(self, caller: model.Caller, profile: NewProfile, actor: Actor | None = None
                             ) -> model.Profile:
        response = await self._stub.CreateProfile(
            parental_pb2.CreateProfileRequest(
                account_id=caller.account_id,
                name=profile.name,
                kind=KIND_VALUES[profile.kind],  # type: ignore[arg-type]
                maturity_level=MATURITY_VALUES.get(profile.maturity_level, 0),  # type: ignore[arg-type]
                actor=actor_to_proto(actor or Actor(caller.device_id)),
            ),
            timeout=self._timeout,
        )
        return profile_from_proto(response.profile)

    async def apply_revocation(self, revocation: model.Revocation) -> bool:
        response = await self._stub.ApplyRevocation(
            parental_pb2.ApplyRevocationRequest(revocation=revocation_to_proto(revocation)), timeout=self._timeout
        )
        return response.applied

    async def select_profile(self, caller: model.Caller, profile_id: str, pin: str) -> model.Profile:
        response = await self._stub.SelectProfile(
            parental_pb2.SelectProfileRequest(
                account_id=caller.account_id, profile_id=profile_id, pin=pin, device_id=caller.device_id
            ),
            timeout=self._timeout,
        )
        return profile_from_proto(response.profile)

    async def rename_profile(self, caller: model.Caller, profile_id: str, name: str, actor: Actor) -> model.Profile:
        response = await self._stub.RenameProfile(
            parental_pb2.RenameProfileRequest(
                account_id=caller.account_id, profile_id=profile_id, name=name, actor=actor_to_proto(actor)
            ),
            timeout=self._timeout,
        )
        return profile_from_proto(response.profile)

    async def delete_profile(self, caller: model.Caller, profile_id: str, actor: Actor) -> ProfileChange:
        response = await self._stub.DeleteProfile(
            parental_pb2.DeleteProfileRequest(
                account_id=caller.account_id, profile_id=profile_id, actor=actor_to_proto(actor)
            ),
            timeout=self._timeout,
        )
        return ProfileChange(None, stops_from_proto(response.stopped_playbacks))

    async def set_maturity_level(self, caller: model.Caller, profile_id: str, level: str,
                                 actor: Actor) -> ProfileChange:
        response = await self._stub.SetMaturityLevel(
            parental_pb2.SetMaturityLevelRequest(
                account_id=caller.account_id, profile_id=profile_id,
                maturity_level=MATURITY_VALUES[level],  # type: ignore[arg-type]
                actor=actor_to_proto(actor),
            ),
            timeout=self._timeout,
        )
        return ProfileChange(profile_from_proto(response.profile), stops_from_proto(response.stopped_playbacks))

    async def set_profile_pin(self, caller: model.Caller, profile_id: str, pin: str, actor: Actor) -> ProfileChange:
        response = await self._stub.SetProfilePin(
            parental_pb2.SetProfilePinRequest(
                account_id=caller.account_id, profile_id=profile_id, pin=pin, actor=actor_to_proto(actor)
            ),
            timeout=self._timeout,
        )
        return ProfileChange(profile_from_proto(response.profile), stops_from_proto(response.stopped_playbacks))

    async def remove_profile_pin(self, caller: model.Caller, profile_id: str, actor: Actor) -> ProfileChange:
        response = await self._stub.RemoveProfilePin(
            parental_pb2.RemoveProfilePinRequest(
                account_id=caller.account_id, profile_id=profile_id, actor=actor_to_proto(actor)
            ),
            timeout=self._timeout,
        )
        return ProfileChange(profile_from_proto(response.profile))

    async def unlock_profile(self, caller: model.Caller, profile_id: str, actor: Actor) -> ProfileChange:
        response = await self._stub.UnlockProfile(
            parental_pb2.UnlockProfileRequest(
                account_id=caller.account_id, profile_id=profile_id, actor=actor_to_proto(actor)
            ),
            timeout=self._timeout,
        )
        return ProfileChange(profile_from_proto(response.profile))

    async def block_title(self, caller: model.Caller, profile_id: str, title_id: str, actor: Actor) -> ProfileChange:
        response = await self._stub.BlockTitle(
            parental_pb2.BlockTitleRequest(
                account_id=caller.account_id, profile_id=profile_id, title_id=title_id, actor=actor_to_proto(actor)
            ),
            timeout=self._timeout,
        )
        return ProfileChange(None, stops_from_proto(response.stopped_playbacks))

    async def unblock_title(self, caller: model.Caller, profile_id: str, title_id: str,
                            actor: Actor) -> ProfileChange:
        await self._stub.UnblockTitle(
            parental_pb2.UnblockTitleRequest(
                account_id=caller.account_id, profile_id=profile_id, title_id=title_id, actor=actor_to_proto(actor)
            ),
            timeout=self._timeout,
        )
        return ProfileChange()

    async def set_viewing_schedule(self, caller: model.Caller, profile_id: str, schedule: parental.ViewingSchedule,
                                   actor: Actor) -> ProfileChange:
        response = await self._stub.SetViewingSchedule(
            parental_pb2.SetViewingScheduleRequest(
                account_id=caller.account_id, profile_id=profile_id, schedule=schedule_to_proto(schedule),
                actor=actor_to_proto(actor),
            ),
            timeout=self._timeout,
        )
        return ProfileChange(None, stops_from_proto(response.stopped_playbacks))

    async def get_profile_rules(self, caller: model.Caller, profile_id: str) -> parental.ProfileRules:
        response = await self._stub.GetProfileRules(
            parental_pb2.GetProfileRulesRequest(account_id=caller.account_id, profile_id=profile_id),
            timeout=self._timeout,
        )
        return rules_from_proto(response)

    async def list_titles(self, page: PageRequest) -> parental.TitlePage:
        response = await self._stub.ListTitles(
            parental_pb2.ListTitlesRequest(page_size=page.page_size, page_token=page.page_token),
            timeout=self._timeout,
        )
        return parental.TitlePage([title_from_proto(t) for t in response.titles], response.next_page_token)

    async def list_audit_events(self, caller: model.Caller, profile_id: str, page: PageRequest) -> parental.AuditPage:
        response = await self._stub.ListAuditEvents(
            parental_pb2.ListAuditEventsRequest(
                account_id=caller.account_id, profile_id=profile_id, page_size=page.page_size,
                page_token=page.page_token,
            ),
            timeout=self._timeout,
        )
        return parental.AuditPage([audit_event_from_proto(e) for e in response.events], response.next_page_token)

    async def decide_playback(self, caller: model.Caller, profile_id: str, title_id: str,
                              check_only: bool = False) -> parental.PlaybackDecision:
        response = await self._stub.DecidePlayback(
            parental_pb2.DecidePlaybackRequest(
                account_id=caller.account_id, profile_id=profile_id, title_id=title_id, device_id=caller.device_id,
                check_only=check_only,
            ),
            timeout=self._timeout,
        )
        return decision_from_proto(response)

    async def end_playback(self, caller: model.Caller) -> bool:
        response = await self._stub.EndPlayback(
            parental_pb2.EndPlaybackRequest(account_id=caller.account_id, device_id=caller.device_id),
            timeout=self._timeout,
        )
        return response.ended

    async def watch_playback_stops(self, account_id: str) -> PlaybackStopWatch:
        """Open the account's stop stream and wait for its `subscribed` event (with a deadline)."""
        call = self._stub.WatchPlaybackStops(parental_pb2.WatchPlaybackStopsRequest(account_id=account_id))
        await await_subscribed(call, self._timeout, "The playback stop stream closed before it started.")
        return PlaybackStopWatch(call)


class PlaybackStopWatch:
    """An open WatchPlaybackStops stream, after its `subscribed` event."""

    def __init__(self, call: aio.UnaryStreamCall) -> None:  # type: ignore[type-arg]
        self._call = call

    async def stops(self) -> AsyncIterator[parental.PlaybackStop]:
        while True:
            message = await self._call.read()
            if message is aio.EOF:
                return
            if message.WhichOneof("event") == "stop":
                yield stop_from_proto(message.stop)

    def cancel(self) -> None:
        self._call.cancel()
