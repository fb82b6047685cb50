"""The gateway's client of auth_service. Every unary call has a deadline."""

from __future__ import annotations

from collections.abc import AsyncIterator

from grpc import aio
from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc

from gateway.adapters.convert import (
    DEVICE_TYPE_VALUES,
    REASON_VALUES,
    SCOPE_VALUES,
    moment,
    revocation_from_proto,
)
from gateway.adapters.streams import await_subscribed
from gateway.domain import model
from gateway.domain.oauth import Introspection
from gateway.domain.requests import Credentials, SignIn


def _pair(response: auth_pb2.SignInResponse | auth_pb2.RefreshTokenResponse) -> model.TokenPair:
    return model.TokenPair(
        access_token=response.access_token,
        refresh_token=response.refresh_token,
        expires_in=response.expires_in,
        session_id=response.session_id,
        device_id=response.device_id,
        account_id=response.account_id,
    )


class AuthClient:
    def __init__(self, channel: aio.Channel, timeout: float) -> None:
        self._stub = auth_pb2_grpc.AuthServiceStub(channel)
        self._timeout = timeout

    async def create_account(self, credentials: Credentials) -> model.Account:
        response = await self._stub.CreateAccount(
            auth_pb2.CreateAccountRequest(email=credentials.email, password=credentials.password),
            timeout=self._timeout,
        )
        return model.Account(response.account_id, response.email)

    async def sign_in(self, request: SignIn) -> model.TokenPair:
        device = request.device
        response = await self._stub.SignIn(
            auth_pb2.SignInRequest(
                email=request.credentials.email,
                password=request.credentials.password,
                device=auth_pb2.Device(
                    client_id=device.client_id,
                    name=device.name,
                    type=DEVICE_TYPE_VALUES[device.type],  # type: ignore[arg-type]
                    platform=device.platform,
                    app_version=device.app_version,
                ),
                ip_address=request.ip_address,
            ),
            timeout=self._timeout,
        )
        return _pair(response)

    async def refresh_token(self, refresh_token: str) -> model.TokenPair:
        response = await self._stub.RefreshToken(
            auth_pb2.RefreshTokenRequest(refresh_token=refresh_token), timeout=self._timeout
        )
        return _pair(response)

    async def validate_token(self, access_token: str) -> model.Caller:
        response = await self._stub.ValidateToken(
            auth_pb2.ValidateTokenRequest(access_token=access_token), timeout=self._timeout
        )
        return model.Caller(response.account_id, response.session_id, response.device_id,
                            response.profile_id, response.profile_kind)

    async def set_session_profile(self, caller: model.Caller, profile: model.Profile) -> tuple[str, int]:
        """Scope the caller's session to `profile`; returns the new access token and its lifetime."""
        response = await self._stub.SetSessionProfile(
            auth_pb2.SetSessionProfileRequest(account_id=caller.account_id, session_id=caller.session_id,
                                              profile_id=profile.profile_id, profile_kind=profile.kind),
            timeout=self._timeout,
        )
        return response.access_token, response.expires_in

    async def get_session(self, account_id: str, session_id: str) -> model.Session:
        response = await self._stub.GetSession(
            auth_pb2.GetSessionRequest(account_id=account_id, session_id=session_id), timeout=self._timeout
        )
        session = response.session
        return model.Session(
            session_id=session.session_id,
            account_id=session.account_id,
            device_id=session.device_id,
            created_at=moment(session, "created_at"),
            last_used_at=moment(session, "last_used_at"),
            expires_at=moment(session, "expires_at"),
            revoked=session.revoked,
        )

    async def revoke_sessions(self, account_id: str, scope: str, reason: str, *, session_id: str = "",
                              device_id: str = "") -> model.Revocation:
        response = await self._stub.RevokeSessions(
            auth_pb2.RevokeSessionsRequest(
                account_id=account_id,
                scope=SCOPE_VALUES[scope],  # type: ignore[arg-type]
                reason=REASON_VALUES[reason],  # type: ignore[arg-type]
                session_id=session_id,
                device_id=device_id,
            ),
            timeout=self._timeout,
        )
        return revocation_from_proto(response.revocation)

    async def change_password(self, caller: model.Caller, current_password: str, new_password: str,
                              sign_out_other_devices: bool) -> model.Revocation | None:
        response = await self._stub.ChangePassword(
            auth_pb2.ChangePasswordRequest(
                account_id=caller.account_id, session_id=caller.session_id, current_password=current_password,
                new_password=new_password, keep_other_devices_signed_in=not sign_out_other_devices,
            ),
            timeout=self._timeout,
        )
        return revocation_from_proto(response.revocation) if response.HasField("revocation") else None

    async def close_account(self, caller: model.Caller, password: str) -> model.Revocation:
        response = await self._stub.CloseAccount(
            auth_pb2.CloseAccountRequest(account_id=caller.account_id, password=password), timeout=self._timeout
        )
        return revocation_from_proto(response.revocation)

    async def verify_password(self, caller: model.Caller, password: str) -> None:
        await self._stub.VerifyPassword(
            auth_pb2.VerifyPasswordRequest(account_id=caller.account_id, password=password), timeout=self._timeout
        )

    async def introspect_token(self, token: str, token_type_hint: str) -> Introspection:
        response = await self._stub.IntrospectToken(
            auth_pb2.IntrospectTokenRequest(token=token, token_type_hint=token_type_hint), timeout=self._timeout
        )
        if not response.active:
            return Introspection(active=False)
        return Introspection(
            active=True, token_type=response.token_type, account_id=response.account_id,
            session_id=response.session_id, device_id=response.device_id,
            issued_at=moment(response, "issued_at"), expires_at=moment(response, "expires_at"),
        )

    async def revoke_token(self, token: str, token_type_hint: str) -> None:
        await self._stub.RevokeToken(
            auth_pb2.RevokeTokenRequest(token=token, token_type_hint=token_type_hint), timeout=self._timeout
        )

    async def list_signing_keys(self) -> list[dict[str, str]]:
        """The public keys that verify access tokens, as RFC 7517 JWKs, oldest first."""
        response = await self._stub.ListSigningKeys(auth_pb2.ListSigningKeysRequest(), timeout=self._timeout)
        return [{"kty": key.kty, "crv": key.crv, "x": key.x, "kid": key.kid, "alg": key.alg, "use": key.use}
                for key in response.keys]

    async def watch_session(self, access_token: str) -> SessionWatch:
        """Open the session's event stream and wait for its `subscribed` event.

        Raises the stream's AioRpcError (UNAUTHENTICATED for a bad token) before
        anything is subscribed; the first message has a deadline.
        """
        call = self._stub.WatchSession(auth_pb2.WatchSessionRequest(access_token=access_token))
        await await_subscribed(call, self._timeout,
                               "The session event stream closed before it started. Please try again.")
        return SessionWatch(call)


class SessionWatch:
    """An open WatchSession stream, after its `subscribed` event."""

    def __init__(self, call: aio.UnaryStreamCall) -> None:  # type: ignore[type-arg]
        self._call = call

    async def revocations(self) -> AsyncIterator[tuple[bool, model.Revocation]]:
        """(final, revocation) for each revocation the stream carries, until it ends.

        final is True for the session's own revocation, its last event; False for
        a revocation of other sessions of the account (the session lives on).
        """
        while True:
            message = await self._call.read()
            if message is aio.EOF:
                return
            kind = message.WhichOneof("event")
            if kind == "revocation":
                yield True, revocation_from_proto(message.revocation)
            elif kind == "account_revocation":
                yield False, revocation_from_proto(message.account_revocation)

    def cancel(self) -> None:
        self._call.cancel()
