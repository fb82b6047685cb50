"""Accounts, signing in, the caller's session, and the account settings that sign devices out."""

from __future__ import annotations

from google.protobuf.timestamp_pb2 import Timestamp
from remotesignout.auth.v1 import auth_pb2

from common import revocation_proto
from common.clock import to_timestamp
from gateway import flows, models
from gateway.api import NONE, SETTINGS, Call, Reply, Routes
from gateway.edge import client_address
from gateway.render import enum_name

routes = Routes("accounts", "Accounts, signing in, tokens, the caller's session, the password.")


@routes.post(
    "/v1/accounts",
    "createAccount",
    "Create an account.",
    response=models.Account,
    status=201,
    security=NONE,
    errors=(409,),
)
async def create_account(call: Call, body: models.NewAccount) -> Reply:
    created: auth_pb2.CreateAccountResponse = await call.backends.auth.CreateAccount(
        auth_pb2.CreateAccountRequest(email=body.email, password=body.password), timeout=call.timeout
    )
    return created


def sign_in_request(body: models.SignIn, ip_address: str) -> auth_pb2.SignInRequest:
    device = body.device
    return auth_pb2.SignInRequest(
        email=body.email,
        password=body.password,
        ip_address=ip_address,
        device=auth_pb2.Device(
            client_id=device.client_id,
            name=device.name,
            type=enum_name(auth_pb2.DeviceType.DESCRIPTOR, device.type),
            platform=device.platform,
            app_version=device.app_version,
        ),
    )


@routes.post(
    "/v1/sign-in",
    "signIn",
    "Sign a device in: a new session and its tokens.",
    response=models.TokenPair,
    security=NONE,
    errors=(401, 403, 429),
)
async def sign_in(call: Call, body: models.SignIn) -> Reply:
    pair: auth_pb2.SignInResponse = await call.backends.auth.SignIn(
        sign_in_request(body, client_address(call.request, call.backends.settings.trusted_proxies)),
        timeout=call.timeout,
    )
    return pair


@routes.post(
    "/v1/token/refresh",
    "refreshToken",
    "A new token pair; the refresh token is spent (reuse ends the session).",
    response=models.TokenPair,
    security=NONE,
    errors=(401,),
)
async def refresh_token(call: Call, body: models.Refresh) -> Reply:
    pair: auth_pb2.RefreshTokenResponse = await call.backends.auth.RefreshToken(
        auth_pb2.RefreshTokenRequest(refresh_token=body.refresh_token), timeout=call.timeout
    )
    return pair


@routes.get(
    "/v1/session",
    "getSession",
    "The caller's session; 401 once it is revoked.",
    description="Answered by the gateway from the access token and its own revocation replica, with no call to "
    "a service: `created_at` is when the session signed in, `expires_at` when it ends at the latest, "
    "`last_used_at` when this access token was issued (the last sign-in or token refresh), `profile_id` the "
    "profile it entered.",
    response=models.Session,
)
async def get_session(call: Call) -> Reply:
    claims = call.claims
    if claims is None:
        raise RuntimeError("getSession has a bearer caller")
    return auth_pb2.Session(
        session_id=claims.session_id,
        account_id=claims.account_id,
        device_id=claims.device_id,
        created_at=to_timestamp(claims.session_created_at_us),
        last_used_at=Timestamp(seconds=claims.issued_at),
        expires_at=to_timestamp(claims.session_expires_at_us) if claims.session_expires_at_us else None,
        revoked=False,  # a revoked session's token is refused (401) before this
        profile_id=claims.profile_id,
    )


@routes.post(
    "/v1/session/confirm-password",
    "confirmPassword",
    "Enter the account password on this session: account-level changes are allowed for STEP_UP_SECONDS, "
    "while the same profile stays selected.",
    description="Signing in counts as entering it; selecting another profile ends it. Account-level changes "
    "answer 403 `reauthentication_required` without it. A wrong password is 401 `wrong_password` (the session "
    "stays valid) and counts towards the account's sign-in throttling (429).",
    response=models.PasswordConfirmed,
    security=SETTINGS,
    errors=(429,),
)
async def confirm_password(call: Call, body: models.PasswordCheck) -> Reply:
    caller = call.caller
    confirmed: auth_pb2.ConfirmPasswordResponse = await call.backends.auth.ConfirmPassword(
        auth_pb2.ConfirmPasswordRequest(
            account_id=caller.account_id,
            session_id=caller.session_id,
            profile_id=caller.profile_id,
            password=body.password,
        ),
        timeout=call.timeout,
    )
    return confirmed


@routes.post("/v1/sign-out", "signOut", "Sign this device's session out.", response=models.SignOutResult)
async def sign_out(call: Call) -> Reply:
    return await flows.sign_out_session(call.backends, call.caller, call.arrived_at)


@routes.post(
    "/v1/password",
    "changePassword",
    "Change the password; by default every other device is signed out.",
    response=models.PasswordChangeResult,
    security=SETTINGS,
    errors=(429,),
)
async def change_password(call: Call, body: models.PasswordChange) -> Reply:
    caller = call.caller
    reply: auth_pb2.ChangePasswordResponse = await call.backends.auth.ChangePassword(
        auth_pb2.ChangePasswordRequest(
            account_id=caller.account_id,
            session_id=caller.session_id,
            current_password=body.current_password,
            new_password=body.new_password,
            keep_other_devices_signed_in=not body.sign_out_other_devices,
        ),
        timeout=call.backends.revocation_timeout,
    )
    if not reply.HasField("revocation"):
        return {"revocation": None, "propagation": {}, "receipt": None}
    revocation = revocation_proto.from_proto(reply.revocation)
    return await flows.propagate(call.backends, revocation, call.arrived_at, reply.receipt)


@routes.post(
    "/v1/account/close",
    "closeAccount",
    "Close the account and sign every device out.",
    response=models.SignOutResult,
    security=SETTINGS,
    errors=(429,),
)
async def close_account(call: Call, body: models.PasswordCheck) -> Reply:
    reply: auth_pb2.CloseAccountResponse = await call.backends.auth.CloseAccount(
        auth_pb2.CloseAccountRequest(account_id=call.caller.account_id, password=body.password),
        timeout=call.backends.revocation_timeout,
    )
    revocation = revocation_proto.from_proto(reply.revocation)
    return await flows.propagate(call.backends, revocation, call.arrived_at, reply.receipt)
