"""Which process may call which DeviceService RPC (default deny; common.permissions)."""

from __future__ import annotations

from common.permissions import table
from device_service.entrypoints.servicer import SERVICE_NAME

GATEWAY = ("gateway",)

PERMISSIONS = table(SERVICE_NAME, {
    # Devices are registered only by sign-in, which auth_service runs.
    "RegisterDevice": ("auth_service",),
    "GetDevice": GATEWAY,
    "ListDevices": GATEWAY,
    # The gateway's fan-out; the entry applied is always the one in auth_service's feed.
    "ApplyRevocation": ("gateway", "auth_service"),
    "RecordPlayback": GATEWAY,
    "ListViewingActivity": GATEWAY,
    "ListStreamingActivity": GATEWAY,
    "RemoveDevice": GATEWAY,
    "AllowDevice": GATEWAY,
    "RecordDownload": GATEWAY,
    "ListDownloads": GATEWAY,
    "CheckDownloadLicense": GATEWAY,
})
