"""What devices did: streaming and viewing activity, downloads and their licenses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gateway.domain.model import Location

STREAMING_ACTIVITY_KINDS = ("sign_in", "playback")
DOWNLOAD_STATUSES = ("active", "cancelled")


@dataclass(frozen=True)
class StreamingActivity:
    """One sign-in or playback of a device, with where it came from."""

    kind: str
    ip_address: str
    location: Location
    occurred_at: datetime | None


@dataclass(frozen=True)
class StreamingActivityPage:
    activities: list[StreamingActivity]
    next_page_token: str


@dataclass(frozen=True)
class ViewingActivity:
    """One title a profile watched."""

    title: str
    profile_name: str
    device_id: str
    device_name: str
    device_type: str
    watched_at: datetime | None
    location: Location


@dataclass(frozen=True)
class ViewingActivityPage:
    activities: list[ViewingActivity]
    next_page_token: str


@dataclass(frozen=True)
class Download:
    download_id: str
    device_id: str
    profile_name: str
    title: str
    status: str
    downloaded_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str


@dataclass(frozen=True)
class DownloadPage:
    downloads: list[Download]
    next_page_token: str


@dataclass(frozen=True)
class DownloadLicense:
    """Whether a download may still be played, and why not."""

    valid: bool
    reason: str
    download: Download
