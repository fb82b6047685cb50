"""Which process may call which DeviceService RPC (default deny; common.permissions)."""

from __future__ import annotations

from remotesignout.device.v1 import device_pb2

from common.permissions import table

SERVICE_NAME = device_pb2.DESCRIPTOR.services_by_name["DeviceService"].full_name
GATEWAY = ("gateway",)

PERMISSIONS = table(
    SERVICE_NAME,
    {
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
    },
)
