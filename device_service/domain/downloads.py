"""Downloads: titles kept on a device, playable only while the device is signed in."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass

from device_service.domain.model import Device, DeviceStatus

DEVICE_SIGNED_OUT = "device_signed_out"
DEVICE_REMOVED = "device_removed"


class DownloadStatus(enum.IntEnum):
    """Values match remotesignout.device.v1.DownloadStatus."""

    UNSPECIFIED = 0
    ACTIVE = 1
    CANCELLED = 2


@dataclass
class Download:
    download_id: str
    account_id: str
    device_id: str
    profile_name: str
    title: str
    status: DownloadStatus
    downloaded_at: int
    cancelled_at: int | None = None
    cancel_reason: str = ""

    @classmethod
    def to_device(cls, device: Device, profile_name: str, title: str, now: int) -> Download:
        device.require_active()
        return cls(
            str(uuid.uuid4()), device.account_id, device.device_id, profile_name, title, DownloadStatus.ACTIVE, now
        )

    def cancel(self, reason: str, now: int) -> bool:
        """Withdraw the license; True if it was active."""
        if self.status is not DownloadStatus.ACTIVE:
            return False
        self.status = DownloadStatus.CANCELLED
        self.cancelled_at = now
        self.cancel_reason = reason
        return True


@dataclass(frozen=True)
class LicenseCheck:
    valid: bool
    reason: str


def check_license(download: Download, device: Device | None) -> LicenseCheck:
    """Valid while the download is active and its device signed in."""
    if download.status is DownloadStatus.CANCELLED:
        return LicenseCheck(False, download.cancel_reason or DEVICE_SIGNED_OUT)
    if device is None or device.status is DeviceStatus.REMOVED:
        return LicenseCheck(False, DEVICE_REMOVED)
    if device.status is not DeviceStatus.ACTIVE:
        return LicenseCheck(False, DEVICE_SIGNED_OUT)
    return LicenseCheck(True, "")
