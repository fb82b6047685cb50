"""Which process may call which AuthService RPC (default deny; common.permissions)."""

from __future__ import annotations

from remotesignout.auth.v1 import auth_pb2

from common.permissions import table

SERVICE_NAME = auth_pb2.DESCRIPTOR.services_by_name["AuthService"].full_name
GATEWAY = ("gateway",)

PERMISSIONS = table(
    SERVICE_NAME,
    {
        "CreateAccount": GATEWAY,
        "SignIn": GATEWAY,
        "RefreshToken": GATEWAY,
        "ValidateToken": GATEWAY,
        "GetSession": GATEWAY,
        "RevokeSessions": GATEWAY,
        # The feed carries session ids: only the processes that apply it may read it (the gateway builds its
        # replica of the revocation index from it, and its push path catches up from it).
        "ListRevocations": ("device_service", "parental_service", "gateway"),
        "ChangePassword": GATEWAY,
        "CloseAccount": GATEWAY,
        "VerifyPassword": GATEWAY,
        "ConfirmPassword": GATEWAY,
        "IntrospectToken": GATEWAY,
        "RevokeToken": GATEWAY,
        "SetSessionProfile": GATEWAY,
        "WatchSession": GATEWAY,
        # Public keys only: the gateway serves them at /.well-known/jwks.json.
        "ListSigningKeys": GATEWAY,
        # The gateway is a validator: it follows the feed and holds a lease here (embedded mode).
        "SyncRevocations": GATEWAY,
        # Signing a device in with a code (RFC 8628): the gateway's /oauth2/device_authorization, /oauth2/token
        # and /v1/device-authorizations/... routes.
        "StartDeviceAuthorization": GATEWAY,
        "PollDeviceAuthorization": GATEWAY,
        "GetDeviceAuthorization": GATEWAY,
        "ApproveDeviceAuthorization": GATEWAY,
        "DenyDeviceAuthorization": GATEWAY,
    },
)
