"""AuthService over gRPC: proto in, handler call, proto out (entrypoints.convert converts)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from grpc import aio
from remotesignout.auth.v1 import auth_pb2 as pb
from remotesignout.auth.v1 import auth_pb2_grpc

from auth_service.entrypoints import convert
from auth_service.entrypoints.sync_revocations import sync_revocations
from auth_service.service_layer import accounts, device_authorizations, introspection, revocations, sessions
from auth_service.service_layer.dependencies import Dependencies
from auth_service.service_layer.validation import validate
from common.clock import to_timestamp

Context = aio.ServicerContext[Any, Any]


class AuthServicer(auth_pb2_grpc.AuthServiceServicer):
    def __init__(self, deps: Dependencies) -> None:
        self.deps = deps

    async def CreateAccount(self, request: pb.CreateAccountRequest, context: Context) -> pb.CreateAccountResponse:
        d = self.deps
        account = await accounts.create_account(d.uow(), d.rules, d.clock, request.email, request.password)
        return pb.CreateAccountResponse(account_id=account.account_id, email=account.email)

    async def SignIn(self, request: pb.SignInRequest, context: Context) -> pb.SignInResponse:
        d = self.deps
        pair = await sessions.sign_in(
            d.uow(),
            d.codec,
            d.devices,
            d.rules,
            d.throttle,
            d.clock,
            request.email,
            request.password,
            convert.device_info(request.device),
            request.ip_address,
        )
        return convert.sign_in_response(pair)

    async def RefreshToken(self, request: pb.RefreshTokenRequest, context: Context) -> pb.RefreshTokenResponse:
        d = self.deps
        pair = await sessions.refresh(d.uow(), d.codec, d.index, d.events, d.rules, d.clock, request.refresh_token)
        return convert.refresh_token_response(pair)

    def _check_current(self) -> None:
        """A replica in cluster mode is a validator: it refuses tokens while it cannot vouch for its index.
        Embedded, there is no Validator: this process's index is the source."""
        if self.deps.validator is not None:
            self.deps.validator.check_current()

    async def ValidateToken(self, request: pb.ValidateTokenRequest, context: Context) -> pb.ValidateTokenResponse:
        self._check_current()
        return convert.validate_token_response(validate(self.deps.codec, self.deps.index, request.access_token))

    async def GetSession(self, request: pb.GetSessionRequest, context: Context) -> pb.GetSessionResponse:
        d = self.deps
        session, revoked = await sessions.get_session(d.uow(), d.index, request.account_id, request.session_id)
        recent_until = None if revoked else d.rules.lifetimes.recently_authenticated_until(session, d.clock())
        return pb.GetSessionResponse(session=convert.session(session, revoked, recent_until))

    async def RevokeSessions(self, request: pb.RevokeSessionsRequest, context: Context) -> pb.RevokeSessionsResponse:
        d = self.deps
        revoked = await revocations.revoke(
            d.uow(),
            d.index,
            d.events,
            d.clock,
            request.account_id,
            convert.scope(request.scope),
            convert.reason(request.reason),
            request.session_id,
            request.device_id,
        )
        return pb.RevokeSessionsResponse(
            revocation=convert.revocation(revoked.revocation), receipt=convert.receipt(revoked.receipt)
        )

    async def ListRevocations(self, request: pb.ListRevocationsRequest, context: Context) -> pb.ListRevocationsResponse:
        page, last = await revocations.read_feed(self.deps.uow(), request.after_sequence, request.page_size)
        return pb.ListRevocationsResponse(revocations=[convert.revocation(r) for r in page], last_sequence=last)

    async def ChangePassword(self, request: pb.ChangePasswordRequest, context: Context) -> pb.ChangePasswordResponse:
        d = self.deps
        revoked = await accounts.change_password(
            d.uow(),
            d.index,
            d.events,
            d.rules,
            d.throttle,
            d.clock,
            request.account_id,
            request.session_id,
            request.current_password,
            request.new_password,
            sign_out_others=not request.keep_other_devices_signed_in,
        )
        if revoked is None:
            return pb.ChangePasswordResponse()
        return pb.ChangePasswordResponse(
            revocation=convert.revocation(revoked.revocation), receipt=convert.receipt(revoked.receipt)
        )

    async def CloseAccount(self, request: pb.CloseAccountRequest, context: Context) -> pb.CloseAccountResponse:
        d = self.deps
        revoked = await accounts.close_account(
            d.uow(), d.index, d.events, d.throttle, d.clock, request.account_id, request.password
        )
        return pb.CloseAccountResponse(
            revocation=convert.revocation(revoked.revocation), receipt=convert.receipt(revoked.receipt)
        )

    async def VerifyPassword(self, request: pb.VerifyPasswordRequest, context: Context) -> pb.VerifyPasswordResponse:
        await accounts.verify_password(
            self.deps.uow(), self.deps.throttle, self.deps.clock, request.account_id, request.password
        )
        return pb.VerifyPasswordResponse()

    async def ConfirmPassword(self, request: pb.ConfirmPasswordRequest, context: Context) -> pb.ConfirmPasswordResponse:
        d = self.deps
        until = await sessions.confirm_password(
            d.uow(),
            d.index,
            d.rules,
            d.throttle,
            d.clock,
            request.account_id,
            request.session_id,
            request.profile_id,
            request.password,
        )
        return pb.ConfirmPasswordResponse(recently_authenticated_until=to_timestamp(until))

    async def IntrospectToken(self, request: pb.IntrospectTokenRequest, context: Context) -> pb.IntrospectTokenResponse:
        d = self.deps
        self._check_current()
        active = await introspection.introspect(
            d.uow(), d.codec, d.index, d.rules, d.clock, request.token, request.token_type_hint
        )
        return convert.introspect_token_response(active)

    async def RevokeToken(self, request: pb.RevokeTokenRequest, context: Context) -> pb.RevokeTokenResponse:
        d = self.deps
        receipt = await introspection.revoke_token(
            d.uow(), d.codec, d.index, d.events, d.rules, d.clock, request.token, request.token_type_hint
        )
        return pb.RevokeTokenResponse(receipt=None if receipt is None else convert.receipt(receipt))

    async def SetSessionProfile(
        self, request: pb.SetSessionProfileRequest, context: Context
    ) -> pb.SetSessionProfileResponse:
        d = self.deps
        pair = await sessions.set_profile(
            d.uow(),
            d.codec,
            d.index,
            d.rules,
            d.clock,
            request.account_id,
            request.session_id,
            request.profile_id,
            request.profile_kind,
        )
        return pb.SetSessionProfileResponse(access_token=pair.access_token, expires_in=pair.expires_in)

    async def ListSigningKeys(self, request: pb.ListSigningKeysRequest, context: Context) -> pb.ListSigningKeysResponse:
        return pb.ListSigningKeysResponse(
            keys=[convert.public_signing_key(jwk) for jwk in self.deps.codec.public_jwks()]
        )

    async def WatchSession(
        self, request: pb.WatchSessionRequest, context: Context
    ) -> AsyncIterator[pb.WatchSessionResponse]:
        self._check_current()
        claims = validate(self.deps.codec, self.deps.index, request.access_token)
        with self.deps.events.subscribe(claims) as subscription:
            yield pb.WatchSessionResponse(subscribed=True)
            async for event in subscription:
                yield convert.watch_event(event)

    async def StartDeviceAuthorization(
        self, request: pb.StartDeviceAuthorizationRequest, context: Context
    ) -> pb.StartDeviceAuthorizationResponse:
        d = self.deps
        started = await device_authorizations.start(
            d.uow(),
            d.rules,
            d.throttle,
            d.clock,
            request.client_id,
            convert.device_info(request.device),
            request.ip_address,
        )
        return convert.device_authorization_started(started)

    async def PollDeviceAuthorization(
        self, request: pb.PollDeviceAuthorizationRequest, context: Context
    ) -> pb.PollDeviceAuthorizationResponse:
        d = self.deps
        pair = await device_authorizations.poll(
            d.uow(), d.codec, d.index, d.events, d.rules, d.clock, request.device_code, request.client_id
        )
        return convert.device_token_response(pair)

    async def GetDeviceAuthorization(
        self, request: pb.GetDeviceAuthorizationRequest, context: Context
    ) -> pb.GetDeviceAuthorizationResponse:
        d = self.deps
        seen = await device_authorizations.see(
            d.uow(),
            d.rules,
            d.throttle,
            d.locator,
            d.clock,
            request.account_id,
            request.session_id,
            request.ip_address,
            request.user_code,
        )
        return pb.GetDeviceAuthorizationResponse(authorization=convert.device_authorization(seen))

    async def ApproveDeviceAuthorization(
        self, request: pb.ApproveDeviceAuthorizationRequest, context: Context
    ) -> pb.ApproveDeviceAuthorizationResponse:
        d = self.deps
        device_id, device = await device_authorizations.approve(
            d.uow(),
            d.devices,
            d.rules,
            d.throttle,
            d.clock,
            request.account_id,
            request.session_id,
            request.ip_address,
            request.user_code,
            request.profile_id,
            request.profile_kind,
        )
        return pb.ApproveDeviceAuthorizationResponse(device_id=device_id, device=convert.device(device))

    async def DenyDeviceAuthorization(
        self, request: pb.DenyDeviceAuthorizationRequest, context: Context
    ) -> pb.DenyDeviceAuthorizationResponse:
        d = self.deps
        await device_authorizations.deny(
            d.uow(),
            d.rules,
            d.throttle,
            d.clock,
            request.account_id,
            request.session_id,
            request.ip_address,
            request.user_code,
        )
        return pb.DenyDeviceAuthorizationResponse()

    async def SyncRevocations(
        self, request_iterator: AsyncIterator[pb.SyncRevocationsRequest], context: Context
    ) -> AsyncIterator[pb.SyncRevocationsResponse]:
        async for response in sync_revocations(self.deps, request_iterator):
            yield response
