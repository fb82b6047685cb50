"""A device (a TV) signing in with a code (RFC 8628), as its approver on a signed-in phone or browser sees it: the
request behind a user code (which device, from where, when: section 5.4), its approval, its denial.

The device's side is /oauth2/device_authorization and /oauth2/token (gateway.oauth). Only a session outside a kids
profile may look a code up (403 kids_profile). auth_service throttles guesses per approving session, account and source
address (429 too_many_attempts) and signs the approved device in through sign-in's path (device_service refuses a
removed device: 403 device_banned).
"""

from __future__ import annotations

from remotesignout.auth.v1 import auth_pb2
from remotesignout.parental.v1 import parental_pb2

from common.errors import NotFound, PermissionDenied
from gateway import models
from gateway.api import SETTINGS, Answer, Call, Reply, Routes
from gateway.edge import client_address
from gateway.oauth import display_user_code
from gateway.render import word

routes = Routes(
    "device-authorizations",
    "Signing a device (a TV) in with a code (RFC 8628): what its approver sees, approval and denial.",
)

AUTHORIZATION = "/v1/device-authorizations/{user_code}"
# 400 invalid_user_code (not 8 letters of the alphabet), 404 unknown_user_code, 409 user_code_used (approved or
# denied already), 410 expired_user_code, 429 too_many_attempts.
CODE_ERRORS = (400, 404, 409, 410, 429)
NO_SUCH_PROFILE = "No such profile on your account."
PIN_ON_THE_DEVICE = "This profile has a PIN: approve without a profile, then enter the profile and its PIN on the TV."
DESCRIPTION = (
    "The code is the device's user_code, in any case, dashes and spaces ignored. Errors: 400 invalid_user_code (not "
    "8 letters of BCDFGHJKLMNPQRSTVWXZ), 404 unknown_user_code, 410 expired_user_code, 409 user_code_used (approved "
    "or denied already), 429 too_many_attempts (too many wrong codes from this session or address), 403 "
    "kids_profile."
)


def _code_request(call: Call) -> dict[str, str]:
    caller = call.caller
    return {
        "user_code": call.path("user_code"),
        "account_id": caller.account_id,
        "session_id": caller.session_id,
        "ip_address": client_address(call.request, call.backends.settings.trusted_proxies),
    }


@routes.get(
    AUTHORIZATION,
    "getDeviceAuthorization",
    "The device waiting to sign in with this code: its name and type, where it asked from (roughly) and when, and "
    "whether that differs from where you are. Check that it is yours before approving.",
    description=DESCRIPTION,
    response=models.DeviceAuthorization,
    security=SETTINGS,
    errors=CODE_ERRORS,
)
async def get_device_authorization(call: Call) -> Reply:
    found: auth_pb2.GetDeviceAuthorizationResponse = await call.backends.auth.GetDeviceAuthorization(
        auth_pb2.GetDeviceAuthorizationRequest(**_code_request(call)), timeout=call.timeout
    )
    authorization = found.authorization
    return Answer(authorization, user_code=display_user_code(authorization.user_code))


async def _profile_kind(call: Call, profile_id: str) -> str:
    """The kind of the account's profile `profile_id`: NotFound for another account's, PermissionDenied for one
    with a PIN (its PIN is entered on the device, never skipped by an approval)."""
    listed: parental_pb2.ListProfilesResponse = await call.backends.parental.ListProfiles(
        parental_pb2.ListProfilesRequest(account_id=call.caller.account_id), timeout=call.timeout
    )
    profile = next((p for p in listed.profiles if p.profile_id == profile_id), None)
    if profile is None:
        raise NotFound(NO_SUCH_PROFILE)
    if profile.has_pin:
        raise PermissionDenied(PIN_ON_THE_DEVICE, reason="pin_required")
    return word(parental_pb2.ProfileKind.DESCRIPTOR, profile.kind)


@routes.post(
    f"{AUTHORIZATION}/approve",
    "approveDeviceAuthorization",
    "Approve: the device signs in to your account, in the profile you name (optional), and appears on your device "
    "list; its next poll gets its tokens.",
    description=DESCRIPTION + " A device removed from the account is refused (403 device_banned) until it is "
    "allowed again; a profile with a PIN cannot be chosen here (403 pin_required).",
    response=models.DeviceApproved,
    security=SETTINGS,
    errors=(*CODE_ERRORS, 403),
    body_required=False,
)
async def approve_device_authorization(call: Call, body: models.Approval) -> Reply:
    profile_id = body.profile_id or ""
    profile_kind = await _profile_kind(call, profile_id) if profile_id else ""
    approved: auth_pb2.ApproveDeviceAuthorizationResponse = await call.backends.auth.ApproveDeviceAuthorization(
        auth_pb2.ApproveDeviceAuthorizationRequest(
            **_code_request(call), profile_id=profile_id, profile_kind=profile_kind
        ),
        timeout=call.timeout,
    )
    return Answer(approved, status="approved")


@routes.post(
    f"{AUTHORIZATION}/deny",
    "denyDeviceAuthorization",
    "Deny: the device is not signed in; its next poll is access_denied.",
    description=DESCRIPTION,
    response=models.DeviceDenied,
    security=SETTINGS,
    errors=CODE_ERRORS,
)
async def deny_device_authorization(call: Call) -> Reply:
    await call.backends.auth.DenyDeviceAuthorization(
        auth_pb2.DenyDeviceAuthorizationRequest(**_code_request(call)), timeout=call.timeout
    )
    return {"status": "denied"}
