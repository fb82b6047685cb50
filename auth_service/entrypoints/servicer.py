"""AuthService over gRPC: proto in, service layer call, proto out."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from grpc import aio
from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc

from auth_service.domain.model import DeviceInfo, Reason, Revocation, Scope, Session
from auth_service.service_layer.sessions import TokenPair
from common.clock import to_timestamp
from common.errors import InvalidArgument

if TYPE_CHECKING:
    from auth_service.bootstrap import App

PREFIX_TYPE = "DEVICE_TYPE_"


class AuthServicer(auth_pb2_grpc.AuthServiceServicer):
    def __init__(self, app: App) -> None:
        self.accounts = app.accounts
        self.sessions = app.sessions
        self.validator = app.validator
        self.revoker = app.revoker
        self.events = app.events
        self.tokens = app.tokens
        self.codec = app.validator.codec

    async def CreateAccount(self, request, context):  # type: ignore[no-untyped-def]
        account = await self.accounts.create(request.email, request.password)
        return auth_pb2.CreateAccountResponse(account_id=account.account_id, email=account.email)

    async def SignIn(self, request, context):  # type: ignore[no-untyped-def]
        device = request.device
        type_name = auth_pb2.DeviceType.Name(device.type) if device.type in auth_pb2.DeviceType.values() else ""
        info = DeviceInfo(
            client_id=device.client_id, name=device.name,
            type=type_name.removeprefix(PREFIX_TYPE).lower() if device.type else "",
            platform=device.platform, app_version=device.app_version,
        )
        pair = await self.sessions.sign_in(request.email, request.password, info, request.ip_address)
        return auth_pb2.SignInResponse(**_pair_fields(pair))

    async def RefreshToken(self, request, context):  # type: ignore[no-untyped-def]
        return auth_pb2.RefreshTokenResponse(**_pair_fields(await self.sessions.refresh(request.refresh_token)))

    async def ValidateToken(self, request, context):  # type: ignore[no-untyped-def]
        claims = self.validator.validate(request.access_token)
        response = auth_pb2.ValidateTokenResponse(
            account_id=claims.account_id, session_id=claims.session_id, device_id=claims.device_id,
            profile_id=claims.profile_id, profile_kind=claims.profile_kind,
        )
        response.expires_at.seconds = claims.expires_at
        return response

    async def GetSession(self, request, context):  # type: ignore[no-untyped-def]
        session, revoked = self.sessions.get_session(request.account_id, request.session_id)
        return auth_pb2.GetSessionResponse(session=session_to_proto(session, revoked))

    async def RevokeSessions(self, request, context):  # type: ignore[no-untyped-def]
        revocation = await self.revoker.revoke(
            request.account_id, _scope(request.scope), _reason(request.reason), request.session_id, request.device_id
        )
        return auth_pb2.RevokeSessionsResponse(revocation=revocation_to_proto(revocation))

    async def ListRevocations(self, request, context):  # type: ignore[no-untyped-def]
        page, last = await self.revoker.feed(request.after_sequence, request.page_size)
        return auth_pb2.ListRevocationsResponse(
            revocations=[revocation_to_proto(r) for r in page], last_sequence=last
        )

    async def ChangePassword(self, request, context):  # type: ignore[no-untyped-def]
        revocation = await self.accounts.change_password(
            request.account_id, request.session_id, request.current_password, request.new_password,
            sign_out_others=not request.keep_other_devices_signed_in,
        )
        if revocation is None:
            return auth_pb2.ChangePasswordResponse()
        return auth_pb2.ChangePasswordResponse(revocation=revocation_to_proto(revocation))

    async def CloseAccount(self, request, context):  # type: ignore[no-untyped-def]
        revocation = await self.accounts.close(request.account_id, request.password)
        return auth_pb2.CloseAccountResponse(revocation=revocation_to_proto(revocation))

    async def VerifyPassword(self, request, context):  # type: ignore[no-untyped-def]
        await self.accounts.verify_password(request.account_id, request.password)
        return auth_pb2.VerifyPasswordResponse()

    async def IntrospectToken(self, request, context):  # type: ignore[no-untyped-def]
        active = self.tokens.introspect(request.token, request.token_type_hint)
        if active is None:
            return auth_pb2.IntrospectTokenResponse(active=False)
        return auth_pb2.IntrospectTokenResponse(
            active=True, token_type=active.token_type, account_id=active.account_id, session_id=active.session_id,
            device_id=active.device_id, issued_at=to_timestamp(active.issued_at_us),
            expires_at=to_timestamp(active.expires_at_us),
        )

    async def RevokeToken(self, request, context):  # type: ignore[no-untyped-def]
        await self.tokens.revoke(request.token, request.token_type_hint)
        return auth_pb2.RevokeTokenResponse()

    async def SetSessionProfile(self, request, context):  # type: ignore[no-untyped-def]
        pair = self.sessions.set_profile(request.account_id, request.session_id, request.profile_id,
                                         request.profile_kind)
        return auth_pb2.SetSessionProfileResponse(access_token=pair.access_token, expires_in=pair.expires_in)

    async def ListSigningKeys(self, request, context):  # type: ignore[no-untyped-def]
        return auth_pb2.ListSigningKeysResponse(
            keys=[auth_pb2.PublicSigningKey(**jwk) for jwk in self.codec.public_jwks()]
        )

    async def WatchSession(  # type: ignore[override]
        self, request: auth_pb2.WatchSessionRequest, context: aio.ServicerContext
    ) -> AsyncIterator[auth_pb2.WatchSessionResponse]:
        claims = self.validator.validate(request.access_token)
        queue = self.events.subscribe(claims)
        try:
            yield auth_pb2.WatchSessionResponse(subscribed=True)
            while True:
                event = await queue.get()
                message = revocation_to_proto(event.revocation)
                if event.final:
                    yield auth_pb2.WatchSessionResponse(revocation=message)
                    return
                yield auth_pb2.WatchSessionResponse(account_revocation=message)
        except asyncio.CancelledError:
            raise
        finally:
            self.events.unsubscribe(claims, queue)


def _pair_fields(pair: TokenPair) -> dict[str, object]:
    return {
        "access_token": pair.access_token, "refresh_token": pair.refresh_token, "expires_in": pair.expires_in,
        "session_id": pair.session.session_id, "device_id": pair.session.device_id,
        "account_id": pair.session.account_id,
    }


def _scope(value: int) -> Scope:
    name = auth_pb2.RevocationScope.Name(value) if value in auth_pb2.RevocationScope.values() else ""
    if not value or not name:
        raise InvalidArgument("scope must be SESSION, DEVICE, ALL or ALL_OTHERS.")
    return Scope(name.removeprefix("REVOCATION_SCOPE_").lower())


def _reason(value: int) -> Reason:
    name = auth_pb2.RevocationReason.Name(value) if value in auth_pb2.RevocationReason.values() else ""
    if not value or not name:
        raise InvalidArgument("reason is required, such as SIGN_OUT or SIGN_OUT_ALL.")
    return Reason(name.removeprefix("REVOCATION_REASON_").lower())


def revocation_to_proto(revocation: Revocation) -> auth_pb2.Revocation:
    return auth_pb2.Revocation(
        sequence=revocation.sequence, account_id=revocation.account_id,
        scope=auth_pb2.RevocationScope.Value("REVOCATION_SCOPE_" + revocation.scope.name),
        reason=auth_pb2.RevocationReason.Value("REVOCATION_REASON_" + revocation.reason.name),
        session_id=revocation.session_id, device_id=revocation.device_id,
        revoked_at=to_timestamp(revocation.revoked_at_us),
    )


def session_to_proto(session: Session, revoked: bool) -> auth_pb2.Session:
    return auth_pb2.Session(
        session_id=session.session_id, account_id=session.account_id, device_id=session.device_id,
        created_at=to_timestamp(session.created_at_us), last_used_at=to_timestamp(session.last_used_at_us),
        expires_at=to_timestamp(session.expires_at_us), revoked=revoked,
    )
