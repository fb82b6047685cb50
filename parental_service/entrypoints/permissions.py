"""Which process may call which ParentalService RPC (default deny; common.permissions)."""

from __future__ import annotations

from remotesignout.parental.v1 import parental_pb2

from common.permissions import table

SERVICE_NAME = parental_pb2.DESCRIPTOR.services_by_name["ParentalService"].full_name
GATEWAY = ("gateway",)

PERMISSIONS = table(
    SERVICE_NAME,
    {
        "CreateProfile": GATEWAY,
        "ListProfiles": GATEWAY,
        # The gateway's fan-out; the entry applied is always the one in auth_service's feed.
        "ApplyRevocation": ("gateway", "auth_service"),
        "RenameProfile": GATEWAY,
        "DeleteProfile": GATEWAY,
        "SetProfilePin": GATEWAY,
        "RemoveProfilePin": GATEWAY,
        "SelectProfile": GATEWAY,
        "UnlockProfile": GATEWAY,
        "SetMaturityLevel": GATEWAY,
        "BlockTitle": GATEWAY,
        "UnblockTitle": GATEWAY,
        "SetViewingSchedule": GATEWAY,
        "GetProfileRules": GATEWAY,
        "ListTitles": GATEWAY,
        "DecidePlayback": GATEWAY,
        "EndPlayback": GATEWAY,
        "ListAuditEvents": GATEWAY,
        "WatchPlaybackStops": GATEWAY,
    },
)
