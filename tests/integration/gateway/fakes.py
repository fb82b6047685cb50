"""In-memory fakes of auth_service, device_service and parental_service.

They implement the generated servicers on real grpc.aio servers, so the gateway
talks to them exactly as it talks to the real services. One `World` holds the
state of all three and a log of the calls that matter, in order.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field

from google.protobuf.timestamp_pb2 import Timestamp
from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc
from remotesignout.device.v1 import device_pb2, device_pb2_grpc
from remotesignout.parental.v1 import parental_pb2, parental_pb2_grpc

from common import errors
from common.clock import now_us, to_timestamp


@dataclass
class FakeSession:
    session_id: str
    account_id: str
    device_id: str
    access_token: str
    refresh_token: str
    revoked: bool = False
    revocation: asyncio.Queue[auth_pb2.Revocation] = field(default_factory=asyncio.Queue)


@dataclass
class World:
    accounts: dict[str, tuple[str, str]] = field(default_factory=dict)  # email -> (account_id, password)
    sessions: dict[str, FakeSession] = field(default_factory=dict)
    devices: dict[str, device_pb2.Device] = field(default_factory=dict)
    profiles: dict[str, list[parental_pb2.Profile]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    sign_in_requests: list[auth_pb2.SignInRequest] = field(default_factory=list)
    revoke_requests: list[auth_pb2.RevokeSessionsRequest] = field(default_factory=list)
    applied: dict[str, list[auth_pb2.Revocation]] = field(default_factory=lambda: {"device": [], "parental": []})
    failing: set[str] = field(default_factory=set)  # "device" / "parental": ApplyRevocation answers UNAVAILABLE
    hanging: set[str] = field(default_factory=set)  # ApplyRevocation never answers
    watch_cancelled: asyncio.Event = field(default_factory=asyncio.Event)
    watching: asyncio.Event = field(default_factory=asyncio.Event)
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    sequence: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def session_for_token(self, access_token: str) -> FakeSession:
        for session in self.sessions.values():
            if session.access_token == access_token and not session.revoked:
                return session
        raise errors.Unauthenticated("Your session has ended. Sign in again.", reason="session_revoked")


class FakeAuth(auth_pb2_grpc.AuthServiceServicer):
    def __init__(self, world: World) -> None:
        self.world = world

    async def CreateAccount(self, request, context):
        if request.email in self.world.accounts:
            raise errors.AlreadyExists("An account with this email exists.", reason="email_taken")
        account_id = f"acc-{next(self.world.counter)}"
        self.world.accounts[request.email] = (account_id, request.password)
        return auth_pb2.CreateAccountResponse(account_id=account_id, email=request.email.lower())

    async def SignIn(self, request, context):
        self.world.sign_in_requests.append(request)
        account = self.world.accounts.get(request.email)
        if account is None or account[1] != request.password:
            raise errors.Unauthenticated("Wrong email or password.", reason="invalid_credentials")
        account_id = account[0]
        device_id = f"dev-{account_id}-{request.device.client_id}"
        now = to_timestamp(now_us())
        self.world.devices[device_id] = device_pb2.Device(
            device_id=device_id, account_id=account_id, client_id=request.device.client_id,
            name=request.device.name, type=request.device.type, platform=request.device.platform,
            app_version=request.device.app_version, status=device_pb2.DEVICE_STATUS_ACTIVE,
            first_seen_at=now, last_seen_at=now, last_ip_address=request.ip_address,
            location=device_pb2.Location(description="local network"),
        )
        n = next(self.world.counter)
        session = FakeSession(f"ses-{n}", account_id, device_id, f"at-{n}", f"rt-{n}")
        self.world.sessions[session.session_id] = session
        return auth_pb2.SignInResponse(
            access_token=session.access_token, refresh_token=session.refresh_token, expires_in=900,
            session_id=session.session_id, device_id=device_id, account_id=account_id,
        )

    async def RefreshToken(self, request, context):
        for session in self.world.sessions.values():
            if session.refresh_token == request.refresh_token and not session.revoked:
                n = next(self.world.counter)
                session.access_token, session.refresh_token = f"at-{n}", f"rt-{n}"
                return auth_pb2.RefreshTokenResponse(
                    access_token=session.access_token, refresh_token=session.refresh_token, expires_in=900,
                    session_id=session.session_id, device_id=session.device_id, account_id=session.account_id,
                )
        raise errors.Unauthenticated("This refresh token is not valid.", reason="invalid_refresh_token")

    async def ValidateToken(self, request, context):
        session = self.world.session_for_token(request.access_token)
        return auth_pb2.ValidateTokenResponse(
            account_id=session.account_id, session_id=session.session_id, device_id=session.device_id
        )

    async def GetSession(self, request, context):
        session = self.world.sessions.get(request.session_id)
        if session is None or session.account_id != request.account_id:
            raise errors.NotFound("No such session.")
        stamp = Timestamp(seconds=1_700_000_000)
        return auth_pb2.GetSessionResponse(session=auth_pb2.Session(
            session_id=session.session_id, account_id=session.account_id, device_id=session.device_id,
            created_at=stamp, last_used_at=stamp, revoked=session.revoked,
        ))

    async def RevokeSessions(self, request, context):
        self.world.calls.append("auth.RevokeSessions")
        self.world.revoke_requests.append(request)
        revocation = auth_pb2.Revocation(
            sequence=next(self.world.sequence), account_id=request.account_id, scope=request.scope,
            reason=request.reason, session_id=request.session_id, device_id=request.device_id,
            revoked_at=to_timestamp(now_us()),
        )
        for session in self.world.sessions.values():
            if session.account_id != request.account_id or session.revoked:
                continue
            scope = request.scope
            if (
                scope == auth_pb2.REVOCATION_SCOPE_ALL
                or (scope == auth_pb2.REVOCATION_SCOPE_DEVICE and session.device_id == request.device_id)
                or (scope == auth_pb2.REVOCATION_SCOPE_SESSION and session.session_id == request.session_id)
                or (scope == auth_pb2.REVOCATION_SCOPE_ALL_OTHERS and session.session_id != request.session_id)
            ):
                session.revoked = True
                session.revocation.put_nowait(revocation)
        return auth_pb2.RevokeSessionsResponse(revocation=revocation)

    async def WatchSession(self, request, context):
        session = self.world.session_for_token(request.access_token)
        try:
            yield auth_pb2.WatchSessionResponse(subscribed=True)
            self.world.watching.set()
            revocation = await session.revocation.get()
            yield auth_pb2.WatchSessionResponse(revocation=revocation)
        except asyncio.CancelledError:
            self.world.watch_cancelled.set()
            raise


class FakeDevice(device_pb2_grpc.DeviceServiceServicer):
    def __init__(self, world: World) -> None:
        self.world = world

    def _shown(self, device: device_pb2.Device, current_device_id: str) -> device_pb2.Device:
        shown = device_pb2.Device()
        shown.CopyFrom(device)
        shown.current = device.device_id == current_device_id
        return shown

    async def GetDevice(self, request, context):
        self.world.calls.append("device.GetDevice")
        device = self.world.devices.get(request.device_id)
        if device is None or device.account_id != request.account_id:
            raise errors.NotFound("No device with this id on your account.")
        return device_pb2.GetDeviceResponse(device=self._shown(device, request.current_device_id))

    async def ListDevices(self, request, context):
        mine = sorted((d for d in self.world.devices.values() if d.account_id == request.account_id),
                      key=lambda d: d.device_id)
        start = int(request.page_token or 0)
        size = request.page_size or 50
        page = mine[start:start + size]
        next_token = str(start + size) if start + size < len(mine) else ""
        return device_pb2.ListDevicesResponse(
            devices=[self._shown(d, request.current_device_id) for d in page], next_page_token=next_token
        )

    async def ApplyRevocation(self, request, context):
        return await _apply(self.world, "device", request.revocation, device_pb2.ApplyRevocationResponse)


class FakeParental(parental_pb2_grpc.ParentalServiceServicer):
    def __init__(self, world: World) -> None:
        self.world = world

    async def CreateProfile(self, request, context):
        profiles = self.world.profiles.setdefault(request.account_id, [])
        if any(p.name == request.name for p in profiles):
            raise errors.AlreadyExists("A profile with this name exists.", reason="profile_name_taken")
        profile = parental_pb2.Profile(
            profile_id=f"pro-{next(self.world.counter)}", account_id=request.account_id, name=request.name,
            kind=request.kind, maturity_level=request.maturity_level or parental_pb2.MATURITY_LEVEL_18_PLUS,
        )
        profiles.append(profile)
        return parental_pb2.CreateProfileResponse(profile=profile)

    async def ListProfiles(self, request, context):
        return parental_pb2.ListProfilesResponse(profiles=self.world.profiles.get(request.account_id, []))

    async def ApplyRevocation(self, request, context):
        return await _apply(self.world, "parental", request.revocation, parental_pb2.ApplyRevocationResponse)


async def _apply(world: World, service: str, revocation: auth_pb2.Revocation,  # type: ignore[no-untyped-def]
                 response_type):
    world.calls.append(f"{service}.ApplyRevocation")
    if service in world.hanging:
        await asyncio.Event().wait()
    if service in world.failing:
        raise errors.Unavailable(f"{service} is down for the test.")
    world.applied[service].append(revocation)
    return response_type(applied=True)
