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
        # The feed carries session ids: only the services that apply it may read it.
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
        "SyncRevocations": GATEWAY,
    },
)
