"""In-memory fakes of auth_service, device_service and parental_service.

They implement the generated servicers on real grpc.aio servers, so the gateway
talks to them exactly as it talks to the real services. One `World` holds the
state of all three and a log of the calls that matter, in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import time
from dataclasses import dataclass, field

import jwt
from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp
from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc
from remotesignout.device.v1 import device_pb2, device_pb2_grpc
from remotesignout.parental.v1 import parental_pb2, parental_pb2_grpc

from auth_service.adapters.access_tokens import ALGORITHM, ISSUER, SigningKey
from common import errors, revocation_proto
from common.clock import now_us, to_timestamp

SESSION_DAYS = 30


@dataclass
class FakeSession:
    session_id: str
    account_id: str
    device_id: str
    access_token: str
    refresh_token: str
    signed_in_at_us: int = field(default_factory=now_us)
    revoked: bool = False
    profile_id: str = ""
    # auth_service's recent authentication: when the password was entered (signing in counts), under which profile
    password_confirmed_at_us: int | None = None
    password_confirmed_profile_id: str = ""


@dataclass
class World:
    accounts: dict[str, tuple[str, str]] = field(default_factory=dict)  # email -> (account_id, password)
    sessions: dict[str, FakeSession] = field(default_factory=dict)
    devices: dict[str, device_pb2.Device] = field(default_factory=dict)
    profiles: dict[str, list[parental_pb2.Profile]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    scoped_tokens: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # token -> session, profile, kind
    sign_in_requests: list[auth_pb2.SignInRequest] = field(default_factory=list)
    revoke_requests: list[auth_pb2.RevokeSessionsRequest] = field(default_factory=list)
    applied: dict[str, list[auth_pb2.Revocation]] = field(default_factory=lambda: {"device": [], "parental": []})
    failing: set[str] = field(default_factory=set)  # "device" / "parental": ApplyRevocation answers UNAVAILABLE
    hanging: set[str] = field(default_factory=set)  # ApplyRevocation never answers
    unconfirmed: set[str] = field(default_factory=set)  # ApplyRevocation answers applied=false
    removal_fails: bool = False  # RemoveDevice answers UNAVAILABLE
    banned: set[str] = field(default_factory=set)  # device ids removed
    list_requests: list[device_pb2.ListDevicesRequest] = field(default_factory=list)
    requests: dict[str, list[object]] = field(default_factory=dict)  # rpc name -> requests, in order
    playbacks: list[device_pb2.RecordPlaybackRequest] = field(default_factory=list)
    downloads: dict[str, device_pb2.Download] = field(default_factory=dict)
    titles: dict[str, parental_pb2.Title] = field(default_factory=dict)
    stops: asyncio.Queue[parental_pb2.PlaybackStop | None] = field(default_factory=asyncio.Queue)
    stops_watching: asyncio.Event = field(default_factory=asyncio.Event)
    clock_offset_us: int = 0  # auth's clock is now_us() + this: time passes without sleeping
    step_up_seconds: int = 600

    def now_us(self) -> int:
        return now_us() + self.clock_offset_us

    history: dict[str, list[device_pb2.StreamingActivity]] = field(default_factory=dict)  # after the sign-in entry
    token_ttl_seconds: float = 900.0  # ValidateToken's expires_at: this long from the call
    feed: list[auth_pb2.Revocation] = field(default_factory=list)  # auth_service's revocation feed, in order
    stop_watches: int = 0  # WatchPlaybackStops streams open now
    feed_reads: int = 0

    # Validation at the edge: the signing key the gateway fetches, the feed it follows, the leases it holds.
    signing_key: SigningKey = field(default_factory=SigningKey.generate)
    sync_streams: list[asyncio.Queue[auth_pb2.SyncRevocationsResponse | None]] = field(default_factory=list)
    acks: dict[str, int] = field(default_factory=dict)  # validator id -> applied sequence it reported
    acked: asyncio.Condition = field(default_factory=asyncio.Condition)
    sync_requests: list[auth_pb2.SyncRevocationsRequest] = field(default_factory=list)
    grant_leases: bool = True  # False: SyncRevocations reads reports but answers none (a stuck auth_service)
    lease_ttl_seconds: float = 2.0
    ack_wait_seconds: float = 2.0

    def mint(self, session: FakeSession, profile_id: str = "", profile_kind: str = "") -> str:
        """A real signed access token (the gateway verifies it): expiring token_ttl_seconds from now, rounded up."""
        now = time.time()
        claims: dict[str, object] = {
            "iss": ISSUER,
            "sub": session.account_id,
            "sid": session.session_id,
            "did": session.device_id,
            "sat": session.signed_in_at_us,
            "sxp": session.signed_in_at_us + SESSION_DAYS * 86_400_000_000,
            "iat": int(now),
            "exp": min(math.ceil(now + self.token_ttl_seconds), int(now) + 900),  # the gateway allows 900 s at most
            "jti": str(next(self.counter)),  # two tokens of one second differ
        }
        if profile_id:
            claims["pid"], claims["pkd"] = profile_id, profile_kind
        key = self.signing_key
        return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.key_id})

    def publish(self, revocation: auth_pb2.Revocation) -> None:
        self.feed.append(revocation)
        for stream in self.sync_streams:
            stream.put_nowait(auth_pb2.SyncRevocationsResponse(revocation=revocation))

    async def receipt(self, sequence: int) -> auth_pb2.RevocationReceipt:
        """Wait until every validator that reported has applied `sequence` (or ack_wait_seconds passed)."""
        started = time.monotonic()
        waiting = [v for v, applied in self.acks.items() if applied < sequence]
        async with self.acked:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self.acked.wait_for(lambda: all(self.acks.get(v, sequence) >= sequence for v in waiting)),
                    self.ack_wait_seconds,
                )
        expired = sum(1 for v in waiting if self.acks.get(v, sequence) < sequence)
        return auth_pb2.RevocationReceipt(
            sequence=sequence,
            validators_acknowledged=len(self.acks) - expired,
            validators_expired=expired,
            waited_ms=(time.monotonic() - started) * 1000,
        )

    def record(self, rpc: str, request: object) -> None:
        self.calls.append(rpc)
        self.requests.setdefault(rpc, []).append(request)

    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    sequence: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def session_for_token(self, access_token: str) -> FakeSession:
        scoped = self.scoped_tokens.get(access_token)
        if scoped is not None and not self.sessions[scoped[0]].revoked:
            return self.sessions[scoped[0]]
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
        if device_id in self.world.banned:
            raise errors.PermissionDenied("This device was removed from the account.", reason="device_banned")
        now = to_timestamp(now_us())
        self.world.devices[device_id] = device_pb2.Device(
            device_id=device_id,
            account_id=account_id,
            client_id=request.device.client_id,
            name=request.device.name,
            type=request.device.type,
            platform=request.device.platform,
            app_version=request.device.app_version,
            status=device_pb2.DEVICE_STATUS_ACTIVE,
            first_seen_at=now,
            last_seen_at=now,
            last_ip_address=request.ip_address,
            location=device_pb2.Location(description="local network"),
        )
        n = next(self.world.counter)
        session = FakeSession(f"ses-{n}", account_id, device_id, "", f"rt-{n}")
        session.access_token = self.world.mint(session)
        session.password_confirmed_at_us = self.world.now_us()  # signing in is entering the password
        self.world.sessions[session.session_id] = session
        return auth_pb2.SignInResponse(
            access_token=session.access_token,
            refresh_token=session.refresh_token,
            expires_in=900,
            session_id=session.session_id,
            device_id=device_id,
            account_id=account_id,
        )

    async def RefreshToken(self, request, context):
        for session in self.world.sessions.values():
            if session.refresh_token == request.refresh_token and not session.revoked:
                n = next(self.world.counter)
                session.access_token, session.refresh_token = self.world.mint(session), f"rt-{n}"
                return auth_pb2.RefreshTokenResponse(
                    access_token=session.access_token,
                    refresh_token=session.refresh_token,
                    expires_in=900,
                    session_id=session.session_id,
                    device_id=session.device_id,
                    account_id=session.account_id,
                )
        raise errors.Unauthenticated("This refresh token is not valid.", reason="invalid_refresh_token")

    async def ValidateToken(self, request, context):
        session = self.world.session_for_token(request.access_token)
        _, profile_id, profile_kind = self.world.scoped_tokens.get(request.access_token, ("", "", ""))
        return auth_pb2.ValidateTokenResponse(
            account_id=session.account_id,
            session_id=session.session_id,
            device_id=session.device_id,
            profile_id=profile_id,
            profile_kind=profile_kind,
            expires_at=to_timestamp(now_us() + int(self.world.token_ttl_seconds * 1_000_000)),
        )

    async def SetSessionProfile(self, request, context):
        self.world.record("auth.SetSessionProfile", request)
        session = self.world.sessions.get(request.session_id)
        if session is None or session.account_id != request.account_id:
            raise errors.NotFound("No such session.")
        token = self.world.mint(session, request.profile_id, request.profile_kind)
        self.world.scoped_tokens[token] = (session.session_id, request.profile_id, request.profile_kind)
        if session.profile_id != request.profile_id:  # selecting another profile ends the confirmation
            session.password_confirmed_at_us, session.password_confirmed_profile_id = None, ""
        session.profile_id = request.profile_id
        return auth_pb2.SetSessionProfileResponse(access_token=token, expires_in=900)

    async def GetSession(self, request, context):
        session = self.world.sessions.get(request.session_id)
        if session is None or session.account_id != request.account_id:
            raise errors.NotFound("No such session.")
        stamp = Timestamp(seconds=1_700_000_000)
        confirmed_at = session.password_confirmed_at_us
        confirmed = confirmed_at is not None and session.password_confirmed_profile_id == session.profile_id
        recent = confirmed and self.world.now_us() < confirmed_at + self.world.step_up_seconds * 1_000_000
        return auth_pb2.GetSessionResponse(
            session=auth_pb2.Session(
                session_id=session.session_id,
                account_id=session.account_id,
                device_id=session.device_id,
                created_at=to_timestamp(session.signed_in_at_us),
                last_used_at=stamp,
                revoked=session.revoked,
                profile_id=session.profile_id,
                password_confirmed_at=to_timestamp(confirmed_at) if confirmed else None,
                recently_authenticated=recent and not session.revoked,
            )
        )

    async def RevokeSessions(self, request, context):
        self.world.calls.append("auth.RevokeSessions")
        self.world.revoke_requests.append(request)
        revocation = self._revoke(request)
        receipt = await self.world.receipt(revocation.sequence)
        return auth_pb2.RevokeSessionsResponse(revocation=revocation, receipt=receipt)

    def _revoke(self, request: auth_pb2.RevokeSessionsRequest) -> auth_pb2.Revocation:
        revocation = auth_pb2.Revocation(
            sequence=next(self.world.sequence),
            account_id=request.account_id,
            scope=request.scope,
            reason=request.reason,
            session_id=request.session_id,
            device_id=request.device_id,
            revoked_at=to_timestamp(now_us()),
        )
        if request.scope in (auth_pb2.REVOCATION_SCOPE_SESSION, auth_pb2.REVOCATION_SCOPE_ALL_OTHERS):
            survivor = self.world.sessions.get(request.session_id)  # auth_service names the session's device too
            revocation.device_id = survivor.device_id if survivor is not None else revocation.device_id
        entry = revocation_proto.from_proto(revocation)  # the production rule of what it covers
        for session in self.world.sessions.values():
            if session.account_id != request.account_id or session.revoked:
                continue
            if entry.covers_session(session.account_id, session.session_id, session.device_id, session.signed_in_at_us):
                session.revoked = True
        self.world.publish(revocation)
        return revocation

    async def ListRevocations(self, request, context):
        self.world.feed_reads += 1  # polled all along: not in `calls`, whose order tests check
        self.world.requests.setdefault("auth.ListRevocations", []).append(request)
        after = [r for r in self.world.feed if r.sequence > request.after_sequence]
        return auth_pb2.ListRevocationsResponse(
            revocations=after[: request.page_size or 100],
            last_sequence=self.world.feed[-1].sequence if self.world.feed else 0,
        )

    def _check_password(self, account_id: str, password: str) -> None:
        if not any(a == (account_id, password) for a in self.world.accounts.values()):
            raise errors.Unauthenticated("That is not the account password.", reason="wrong_password")

    async def VerifyPassword(self, request, context):
        self.world.record("auth.VerifyPassword", request)
        self._check_password(request.account_id, request.password)
        return auth_pb2.VerifyPasswordResponse()

    async def ConfirmPassword(self, request, context):
        self.world.record("auth.ConfirmPassword", request)
        session = self.world.sessions.get(request.session_id)
        if session is None or session.account_id != request.account_id:
            raise errors.NotFound("No such session.")
        if session.profile_id != request.profile_id:
            raise errors.PermissionDenied("This device has selected another profile since.", reason="other_profile")
        self._check_password(request.account_id, request.password)
        session.password_confirmed_at_us = self.world.now_us()
        session.password_confirmed_profile_id = session.profile_id
        until = session.password_confirmed_at_us + self.world.step_up_seconds * 1_000_000
        return auth_pb2.ConfirmPasswordResponse(recently_authenticated_until=to_timestamp(until))

    async def ChangePassword(self, request, context):
        self.world.record("auth.ChangePassword", request)
        self._check_password(request.account_id, request.current_password)
        for email, (account_id, _) in list(self.world.accounts.items()):
            if account_id == request.account_id:
                self.world.accounts[email] = (account_id, request.new_password)
        if request.keep_other_devices_signed_in:
            return auth_pb2.ChangePasswordResponse()
        revocation = self._revoke(
            auth_pb2.RevokeSessionsRequest(
                account_id=request.account_id,
                scope=auth_pb2.REVOCATION_SCOPE_ALL_OTHERS,
                reason=auth_pb2.REVOCATION_REASON_PASSWORD_CHANGED,
                session_id=request.session_id,
            )
        )
        receipt = await self.world.receipt(revocation.sequence)
        return auth_pb2.ChangePasswordResponse(revocation=revocation, receipt=receipt)

    async def CloseAccount(self, request, context):
        self.world.record("auth.CloseAccount", request)
        self._check_password(request.account_id, request.password)
        revocation = self._revoke(
            auth_pb2.RevokeSessionsRequest(
                account_id=request.account_id,
                scope=auth_pb2.REVOCATION_SCOPE_ALL,
                reason=auth_pb2.REVOCATION_REASON_ACCOUNT_CLOSED,
            )
        )
        receipt = await self.world.receipt(revocation.sequence)
        return auth_pb2.CloseAccountResponse(revocation=revocation, receipt=receipt)

    def _live(self, token: str) -> tuple[str, FakeSession] | None:
        scoped = self.world.scoped_tokens.get(token)
        if scoped is not None and not self.world.sessions[scoped[0]].revoked:
            return "access_token", self.world.sessions[scoped[0]]
        for session in self.world.sessions.values():
            if not session.revoked and token in (session.access_token, session.refresh_token):
                return ("access_token" if token == session.access_token else "refresh_token"), session
        return None

    def _email(self, account_id: str) -> str:
        return next(email for email, (known, _) in self.world.accounts.items() if known == account_id)

    def _profile_kind(self, session: FakeSession) -> str:
        kinds = [kind for ses, _, kind in self.world.scoped_tokens.values() if ses == session.session_id]
        return kinds[-1] if kinds else ""

    async def IntrospectToken(self, request, context):
        self.world.record("auth.IntrospectToken", request)
        found = self._live(request.token)
        if found is None:
            return auth_pb2.IntrospectTokenResponse(active=False)
        kind, session = found
        return auth_pb2.IntrospectTokenResponse(
            active=True,
            token_type=kind,
            account_id=session.account_id,
            session_id=session.session_id,
            device_id=session.device_id,
            issued_at=Timestamp(seconds=1_700_000_000),
            expires_at=Timestamp(seconds=1_700_000_900),
            email=self._email(session.account_id),
            profile_kind=self._profile_kind(session),
        )

    async def RevokeToken(self, request, context):
        self.world.record("auth.RevokeToken", request)
        found = self._live(request.token)
        if found is not None:
            session = found[1]
            revocation = self._revoke(
                auth_pb2.RevokeSessionsRequest(
                    account_id=session.account_id,
                    scope=auth_pb2.REVOCATION_SCOPE_SESSION,
                    reason=auth_pb2.REVOCATION_REASON_SIGN_OUT,
                    session_id=session.session_id,
                )
            )
            return auth_pb2.RevokeTokenResponse(receipt=await self.world.receipt(revocation.sequence))
        return auth_pb2.RevokeTokenResponse()

    async def ListSigningKeys(self, request, context):
        self.world.requests.setdefault("auth.ListSigningKeys", []).append(
            request
        )  # not in `calls`: the gateway polls it
        jwk = self.world.signing_key.public_jwk()
        return auth_pb2.ListSigningKeysResponse(
            keys=[auth_pb2.PublicSigningKey(kid=jwk["kid"], kty=jwk["kty"], crv=jwk["crv"], x=jwk["x"])]
        )

    async def SyncRevocations(self, request_iterator, context):
        """The feed after the first report, then each new entry; a LeaseGrant for every report."""
        world = self.world
        outgoing: asyncio.Queue[auth_pb2.SyncRevocationsResponse | None] = asyncio.Queue()

        async def read() -> None:
            first = True
            async for request in request_iterator:
                world.sync_requests.append(request)
                if first:
                    for revocation in world.feed:
                        if revocation.sequence > request.applied_sequence:
                            outgoing.put_nowait(auth_pb2.SyncRevocationsResponse(revocation=revocation))
                    world.sync_streams.append(outgoing)
                    first = False
                async with world.acked:
                    if request.leaving:
                        world.acks.pop(request.validator_id, None)
                    else:
                        world.acks[request.validator_id] = request.applied_sequence
                    world.acked.notify_all()
                if world.grant_leases and not request.leaving:
                    head = world.feed[-1].sequence if world.feed else 0
                    ttl = Duration()
                    ttl.FromNanoseconds(int(world.lease_ttl_seconds * 1e9))
                    grant = auth_pb2.LeaseGrant(applied_sequence=request.applied_sequence, head_sequence=head, ttl=ttl)
                    outgoing.put_nowait(auth_pb2.SyncRevocationsResponse(lease=grant))
            outgoing.put_nowait(None)

        reader = asyncio.create_task(read())
        try:
            while (response := await outgoing.get()) is not None:
                yield response
        finally:
            reader.cancel()
            if outgoing in world.sync_streams:
                world.sync_streams.remove(outgoing)


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
        self.world.list_requests.append(request)
        mine = sorted(
            (d for d in self.world.devices.values() if d.account_id == request.account_id), key=lambda d: d.device_id
        )
        if not request.page_token.isdigit() and request.page_token:  # as device_service, which checks its tokens
            raise errors.InvalidArgument("The page token is not valid.", reason="invalid_page_token")
        start = int(request.page_token or 0)
        size = request.page_size or 50
        page = mine[start : start + size]
        next_token = str(start + size) if start + size < len(mine) else ""
        return device_pb2.ListDevicesResponse(
            devices=[self._shown(d, request.current_device_id) for d in page], next_page_token=next_token
        )

    async def ApplyRevocation(self, request, context):
        return await _apply(self.world, "device", request.revocation, device_pb2.ApplyRevocationResponse)

    def _owned(self, account_id: str, device_id: str) -> device_pb2.Device:
        device = self.world.devices.get(device_id)
        if device is None or device.account_id != account_id:
            raise errors.NotFound("No device with this id on your account.")
        return device

    async def RemoveDevice(self, request, context):
        self.world.record("device.RemoveDevice", request)
        if self.world.removal_fails:
            raise errors.Unavailable("device_service is down for the test.")
        device = self._owned(request.account_id, request.device_id)
        device.status = device_pb2.DEVICE_STATUS_REMOVED
        self.world.banned.add(device.device_id)
        for download in self.world.downloads.values():
            if download.device_id == device.device_id:
                download.status, download.cancel_reason = device_pb2.DOWNLOAD_STATUS_CANCELLED, "device_removed"
        return device_pb2.RemoveDeviceResponse(device=device)

    async def AllowDevice(self, request, context):
        self.world.record("device.AllowDevice", request)
        device = self._owned(request.account_id, request.device_id)
        if device.status == device_pb2.DEVICE_STATUS_REMOVED:
            device.status = device_pb2.DEVICE_STATUS_SIGNED_OUT
            self.world.banned.discard(device.device_id)
        return device_pb2.AllowDeviceResponse(device=device)

    async def ListStreamingActivity(self, request, context):
        self.world.record("device.ListStreamingActivity", request)
        device = self._owned(request.account_id, request.device_id)
        activity = device_pb2.StreamingActivity(
            activity_id="act-1",
            device_id=device.device_id,
            kind=device_pb2.STREAMING_ACTIVITY_KIND_SIGN_IN,
            ip_address=device.last_ip_address,
            location=device.location,
            occurred_at=device.first_seen_at,
        )
        if not request.page_token:  # the first page is the sign-in entry alone; "next<n>" reads on from entry n
            return device_pb2.ListStreamingActivityResponse(activities=[activity], next_page_token="next")
        entries = [activity, *self.world.history.get(device.device_id, [])]
        start = int(request.page_token.removeprefix("next") or 1)
        end = start + (request.page_size or 50)
        return device_pb2.ListStreamingActivityResponse(
            activities=entries[start:end], next_page_token=f"next{end}" if end < len(entries) else ""
        )

    async def RecordPlayback(self, request, context):
        self.world.record("device.RecordPlayback", request)
        device = self._owned(request.account_id, request.device_id)
        device.last_profile_name, device.last_title = request.profile_name, request.title
        return device_pb2.RecordPlaybackResponse(device=device)

    async def ListViewingActivity(self, request, context):
        self.world.record("device.ListViewingActivity", request)
        watched = [
            device_pb2.ViewingActivity(
                activity_id=f"view-{i}",
                profile_name=r.profile_name,
                title=r.title,
                device_id=r.device_id,
                device_name=self.world.devices[r.device_id].name,
                device_type=self.world.devices[r.device_id].type,
                watched_at=Timestamp(seconds=1_700_000_000),
                location=device_pb2.Location(description="local network"),
            )
            for i, r in enumerate(self.world.requests.get("device.RecordPlayback", []))
            if r.account_id == request.account_id and r.profile_name == request.profile_name
        ]
        return device_pb2.ListViewingActivityResponse(activities=watched[::-1])

    async def RecordDownload(self, request, context):
        self.world.record("device.RecordDownload", request)
        self._owned(request.account_id, request.device_id)
        download = device_pb2.Download(
            download_id=f"dl-{next(self.world.counter)}",
            account_id=request.account_id,
            device_id=request.device_id,
            profile_name=request.profile_name,
            title=request.title,
            status=device_pb2.DOWNLOAD_STATUS_ACTIVE,
            downloaded_at=Timestamp(seconds=1_700_000_000),
        )
        self.world.downloads[download.download_id] = download
        return device_pb2.RecordDownloadResponse(download=download)

    async def ListDownloads(self, request, context):
        self.world.record("device.ListDownloads", request)
        return device_pb2.ListDownloadsResponse(
            downloads=[
                d
                for d in self.world.downloads.values()
                if d.account_id == request.account_id and d.device_id == request.device_id
            ]
        )

    async def CheckDownloadLicense(self, request, context):
        self.world.record("device.CheckDownloadLicense", request)
        download = self.world.downloads.get(request.download_id)
        if download is None or download.account_id != request.account_id:
            raise errors.NotFound("No download with this id on your account.")
        valid = download.status == device_pb2.DOWNLOAD_STATUS_ACTIVE
        return device_pb2.CheckDownloadLicenseResponse(valid=valid, reason=download.cancel_reason, download=download)


class FakeParental(parental_pb2_grpc.ParentalServiceServicer):
    def __init__(self, world: World) -> None:
        self.world = world

    async def CreateProfile(self, request, context):
        profiles = self.world.profiles.setdefault(request.account_id, [])
        if any(p.name == request.name for p in profiles):
            raise errors.AlreadyExists("A profile with this name exists.", reason="profile_name_taken")
        profile = parental_pb2.Profile(
            profile_id=f"pro-{next(self.world.counter)}",
            account_id=request.account_id,
            name=request.name,
            kind=request.kind,
            maturity_level=request.maturity_level or parental_pb2.MATURITY_LEVEL_18_PLUS,
        )
        profiles.append(profile)
        return parental_pb2.CreateProfileResponse(profile=profile)

    async def ListProfiles(self, request, context):
        return parental_pb2.ListProfilesResponse(profiles=self.world.profiles.get(request.account_id, []))

    async def ApplyRevocation(self, request, context):
        return await _apply(self.world, "parental", request.revocation, parental_pb2.ApplyRevocationResponse)

    def _profile(self, account_id: str, profile_id: str) -> parental_pb2.Profile:
        for profile in self.world.profiles.get(account_id, []):
            if profile.profile_id == profile_id:
                return profile
        raise errors.NotFound("No profile with this id on your account.")

    def _stop(self, account_id: str, profile_id: str, title_id: str) -> list[parental_pb2.PlaybackStop]:
        stop = parental_pb2.PlaybackStop(
            account_id=account_id,
            device_id="dev-playing",
            profile_id=profile_id,
            title_id=title_id,
            reason=parental_pb2.DENY_REASON_BLOCKED_TITLE,
            message="This title is blocked on this profile.",
        )
        return [stop]

    async def SelectProfile(self, request, context):
        self.world.record("parental.SelectProfile", request)
        profile = self._profile(request.account_id, request.profile_id)
        if profile.has_pin and not request.pin:
            raise errors.PermissionDenied("This profile is locked: enter its PIN.", reason="pin_required")
        if profile.has_pin and request.pin != "1234":
            raise errors.Unauthenticated("That PIN is not right.", reason="wrong_pin")
        return parental_pb2.SelectProfileResponse(profile=profile)

    async def RenameProfile(self, request, context):
        self.world.record("parental.RenameProfile", request)
        profile = self._profile(request.account_id, request.profile_id)
        profile.name = request.name
        return parental_pb2.RenameProfileResponse(profile=profile)

    async def DeleteProfile(self, request, context):
        self.world.record("parental.DeleteProfile", request)
        profile = self._profile(request.account_id, request.profile_id)
        self.world.profiles[request.account_id].remove(profile)
        return parental_pb2.DeleteProfileResponse()

    async def SetMaturityLevel(self, request, context):
        self.world.record("parental.SetMaturityLevel", request)
        profile = self._profile(request.account_id, request.profile_id)
        profile.maturity_level = request.maturity_level
        return parental_pb2.SetMaturityLevelResponse(profile=profile)

    async def SetProfilePin(self, request, context):
        self.world.record("parental.SetProfilePin", request)
        profile = self._profile(request.account_id, request.profile_id)
        profile.has_pin = True
        return parental_pb2.SetProfilePinResponse(profile=profile)

    async def RemoveProfilePin(self, request, context):
        self.world.record("parental.RemoveProfilePin", request)
        profile = self._profile(request.account_id, request.profile_id)
        profile.has_pin = False
        return parental_pb2.RemoveProfilePinResponse(profile=profile)

    async def UnlockProfile(self, request, context):
        self.world.record("parental.UnlockProfile", request)
        return parental_pb2.UnlockProfileResponse(profile=self._profile(request.account_id, request.profile_id))

    async def BlockTitle(self, request, context):
        self.world.record("parental.BlockTitle", request)
        self._profile(request.account_id, request.profile_id)
        return parental_pb2.BlockTitleResponse(
            stopped_playbacks=self._stop(request.account_id, request.profile_id, request.title_id)
        )

    async def UnblockTitle(self, request, context):
        self.world.record("parental.UnblockTitle", request)
        self._profile(request.account_id, request.profile_id)
        return parental_pb2.UnblockTitleResponse()

    async def SetViewingSchedule(self, request, context):
        self.world.record("parental.SetViewingSchedule", request)
        self._profile(request.account_id, request.profile_id)
        return parental_pb2.SetViewingScheduleResponse()

    async def GetProfileRules(self, request, context):
        self.world.record("parental.GetProfileRules", request)
        profile = self._profile(request.account_id, request.profile_id)
        return parental_pb2.GetProfileRulesResponse(profile=profile, blocked_title_ids=["tt-blocked"])

    async def ListTitles(self, request, context):
        self.world.record("parental.ListTitles", request)
        return parental_pb2.ListTitlesResponse(titles=sorted(self.world.titles.values(), key=lambda t: t.name))

    async def ListAuditEvents(self, request, context):
        self.world.record("parental.ListAuditEvents", request)
        event = parental_pb2.AuditEvent(
            event_id="ev-1",
            account_id=request.account_id,
            profile_id="pro-x",
            change="pin",
            old_value="none",
            new_value="set",
            actor=parental_pb2.Actor(device_id="dev-x"),
            occurred_at=Timestamp(seconds=1_700_000_000),
        )
        return parental_pb2.ListAuditEventsResponse(events=[event])

    async def DecidePlayback(self, request, context):
        self.world.record("parental.DecidePlayback", request)
        profile = self._profile(request.account_id, request.profile_id)
        title = self.world.titles.get(request.title_id)
        if title is None:
            raise errors.NotFound("No such title.")
        if title.maturity_rating > profile.maturity_level:
            return parental_pb2.DecidePlaybackResponse(
                allowed=False,
                reason=parental_pb2.DENY_REASON_MATURITY,
                title=title,
                message="This title is rated above this profile's maturity level.",
            )
        return parental_pb2.DecidePlaybackResponse(allowed=True, title=title)

    async def EndPlayback(self, request, context):
        self.world.record("parental.EndPlayback", request)
        return parental_pb2.EndPlaybackResponse(ended=True)

    async def WatchPlaybackStops(self, request, context):
        self.world.requests.setdefault("parental.WatchPlaybackStops", []).append(
            request
        )  # opened at start: not in `calls`
        self.world.stop_watches += 1
        try:
            yield parental_pb2.WatchPlaybackStopsResponse(subscribed=True)
            self.world.stops_watching.set()
            while True:
                stop = await self.world.stops.get()
                if stop is None:  # a test breaks the stream
                    return
                if request.all_accounts or stop.account_id == request.account_id:
                    yield parental_pb2.WatchPlaybackStopsResponse(stop=stop)
        finally:
            self.world.stop_watches -= 1


async def _apply(
    world: World,
    service: str,
    revocation: auth_pb2.Revocation,  # type: ignore[no-untyped-def]
    response_type,
):
    world.calls.append(f"{service}.ApplyRevocation")
    if service in world.hanging:
        await asyncio.Event().wait()
    if service in world.failing:
        raise errors.Unavailable(f"{service} is down for the test.")
    if service in world.unconfirmed:
        return response_type(applied=False)
    world.applied[service].append(revocation)
    if service == "device":  # the production rule of which devices it signs out
        entry = revocation_proto.from_proto(revocation)
        for device in world.devices.values():
            if device.status == device_pb2.DEVICE_STATUS_ACTIVE and entry.covers_device(
                device.account_id, device.device_id
            ):
                device.status = device_pb2.DEVICE_STATUS_SIGNED_OUT
    return response_type(applied=True)
