"""The gateway's client of parental_service. Every call has a deadline."""

from __future__ import annotations

from grpc import aio
from remotesignout.parental.v1 import parental_pb2, parental_pb2_grpc

from gateway.adapters.convert import KIND_VALUES, MATURITY_VALUES, profile_from_proto, revocation_to_proto
from gateway.domain import model
from gateway.domain.requests import NewProfile


class ParentalClient:
    def __init__(self, channel: aio.Channel, timeout: float) -> None:
        self._stub = parental_pb2_grpc.ParentalServiceStub(channel)
        self._timeout = timeout

    async def list_profiles(self, caller: model.Caller) -> list[model.Profile]:
        response = await self._stub.ListProfiles(
            parental_pb2.ListProfilesRequest(account_id=caller.account_id), timeout=self._timeout
        )
        return [profile_from_proto(p) for p in response.profiles]

    async def create_profile(self, caller: model.Caller, profile: NewProfile) -> model.Profile:
        response = await self._stub.CreateProfile(
            parental_pb2.CreateProfileRequest(
                account_id=caller.account_id,
                name=profile.name,
                kind=KIND_VALUES[profile.kind],  # type: ignore[arg-type]
                maturity_level=MATURITY_VALUES.get(profile.maturity_level, 0),  # type: ignore[arg-type]
            ),
            timeout=self._timeout,
        )
        return profile_from_proto(response.profile)

    async def apply_revocation(self, revocation: model.Revocation) -> bool:
        response = await self._stub.ApplyRevocation(
            parental_pb2.ApplyRevocationRequest(revocation=revocation_to_proto(revocation)), timeout=self._timeout
        )
        return response.applied
