"""Translation of device_service's activity and download messages."""

from __future__ import annotations

from remotesignout.device.v1 import device_pb2

from gateway.adapters.convert import (
    DEVICE_TYPE_WORDS,
    enum_words,
    location_from_proto,
    moment,
)
from gateway.domain import activity

ACTIVITY_KIND_WORDS = enum_words(device_pb2.StreamingActivityKind, "STREAMING_ACTIVITY_KIND_",
                             activity.STREAMING_ACTIVITY_KINDS)
DOWNLOAD_STATUS_WORDS = enum_words(device_pb2.DownloadStatus, "DOWNLOAD_STATUS_", activity.DOWNLOAD_STATUSES)


def streaming_activity_from_proto(message: device_pb2.StreamingActivity) -> activity.StreamingActivity:
    return activity.StreamingActivity(
        kind=ACTIVITY_KIND_WORDS.get(message.kind, "unspecified"),
        ip_address=message.ip_address,
        location=location_from_proto(message.location),
        occurred_at=moment(message, "occurred_at"),
    )


def viewing_activity_from_proto(message: device_pb2.ViewingActivity) -> activity.ViewingActivity:
    return activity.ViewingActivity(
        title=message.title,
        profile_name=message.profile_name,
        device_id=message.device_id,
        device_name=message.device_name,
        device_type=DEVICE_TYPE_WORDS.get(message.device_type, "unspecified"),
        watched_at=moment(message, "watched_at"),
        location=location_from_proto(message.location),
    )


def download_from_proto(message: device_pb2.Download) -> activity.Download:
    return activity.Download(
        download_id=message.download_id,
        device_id=message.device_id,
        profile_name=message.profile_name,
        title=message.title,
        status=DOWNLOAD_STATUS_WORDS.get(message.status, "unspecified"),
        downloaded_at=moment(message, "downloaded_at"),
        cancelled_at=moment(message, "cancelled_at"),
        cancel_reason=message.cancel_reason,
    )
