"""Protobuf messages <-> device_service's domain objects, and nothing else.

Revocations convert with common.revocation_proto, the one conversion every process uses.
"""

from __future__ import annotations

from google.protobuf.timestamp_pb2 import Timestamp
from remotesignout.auth.v1 import auth_pb2
from remotesignout.device.v1 import device_pb2

from common.clock import to_timestamp
from common.revocation import Revocation
from common.revocation_proto import from_proto
from device_service.domain import validation
from device_service.domain.activity import StreamingActivity, StreamingKind, ViewingActivity
from device_service.domain.downloads import Download, DownloadStatus
from device_service.domain.model import Device, DeviceDetails, DeviceStatus, DeviceType, Location

DEVICE_TYPES: dict[DeviceType, auth_pb2.DeviceType] = {
    DeviceType.UNSPECIFIED: auth_pb2.DEVICE_TYPE_UNSPECIFIED,
    DeviceType.TV: auth_pb2.DEVICE_TYPE_TV,
    DeviceType.PHONE: auth_pb2.DEVICE_TYPE_PHONE,
    DeviceType.TABLET: auth_pb2.DEVICE_TYPE_TABLET,
    DeviceType.COMPUTER: auth_pb2.DEVICE_TYPE_COMPUTER,
    DeviceType.BROWSER: auth_pb2.DEVICE_TYPE_BROWSER,
    DeviceType.CONSOLE: auth_pb2.DEVICE_TYPE_CONSOLE,
    DeviceType.STREAMING_PLAYER: auth_pb2.DEVICE_TYPE_STREAMING_PLAYER,
}
STATUSES: dict[DeviceStatus, device_pb2.DeviceStatus] = {
    DeviceStatus.UNSPECIFIED: device_pb2.DEVICE_STATUS_UNSPECIFIED,
    DeviceStatus.ACTIVE: device_pb2.DEVICE_STATUS_ACTIVE,
    DeviceStatus.SIGNED_OUT: device_pb2.DEVICE_STATUS_SIGNED_OUT,
    DeviceStatus.REMOVED: device_pb2.DEVICE_STATUS_REMOVED,
}
STREAMING_KINDS: dict[StreamingKind, device_pb2.StreamingActivityKind] = {
    StreamingKind.UNSPECIFIED: device_pb2.STREAMING_ACTIVITY_KIND_UNSPECIFIED,
    StreamingKind.SIGN_IN: device_pb2.STREAMING_ACTIVITY_KIND_SIGN_IN,
    StreamingKind.PLAYBACK: device_pb2.STREAMING_ACTIVITY_KIND_PLAYBACK,
}
DOWNLOAD_STATUSES: dict[DownloadStatus, device_pb2.DownloadStatus] = {
    DownloadStatus.UNSPECIFIED: device_pb2.DOWNLOAD_STATUS_UNSPECIFIED,
    DownloadStatus.ACTIVE: device_pb2.DOWNLOAD_STATUS_ACTIVE,
    DownloadStatus.CANCELLED: device_pb2.DOWNLOAD_STATUS_CANCELLED,
}


def device_details(request: device_pb2.RegisterDeviceRequest) -> DeviceDetails:
    """What a signing-in device says about itself; InvalidArgument with the rule when malformed."""
    return validation.device_details(
        request.client_id, request.name, request.type, request.platform, request.app_version
    )


def revocation(message: auth_pb2.Revocation) -> Revocation:
    """The delivered entry; InvalidArgument when its scope or reason is unknown."""
    return from_proto(message)


def location_message(location: Location) -> device_pb2.Location:
    return device_pb2.Location(
        country=location.country, region=location.region, city=location.city, description=location.description
    )


def _stamp(micros: int | None) -> Timestamp | None:
    return to_timestamp(micros) if micros is not None else None


def device_message(device: Device, current_device_id: str = "", unusual_location: bool = False) -> device_pb2.Device:
    return device_pb2.Device(
        device_id=device.device_id,
        account_id=device.account_id,
        client_id=device.client_id,
        name=device.name,
        type=DEVICE_TYPES[device.type],
        platform=device.platform,
        app_version=device.app_version,
        status=STATUSES[device.status],
        first_seen_at=to_timestamp(device.first_seen_at),
        last_seen_at=to_timestamp(device.last_seen_at),
        last_ip_address=device.last_ip_address,
        location=location_message(device.location),
        last_profile_name=device.last_profile_name,
        last_title=device.last_title,
        last_watched_at=_stamp(device.last_watched_at),
        current=bool(current_device_id) and device.device_id == current_device_id,
        unusual_location=unusual_location,
    )


def viewing_message(entry: ViewingActivity) -> device_pb2.ViewingActivity:
    return device_pb2.ViewingActivity(
        activity_id=entry.activity_id,
        profile_name=entry.profile_name,
        title=entry.title,
        device_id=entry.device_id,
        device_name=entry.device_name,
        device_type=DEVICE_TYPES[entry.device_type],
        watched_at=to_timestamp(entry.watched_at),
        location=location_message(entry.location),
    )


def streaming_message(entry: StreamingActivity) -> device_pb2.StreamingActivity:
    return device_pb2.StreamingActivity(
        activity_id=entry.activity_id,
        device_id=entry.device_id,
        kind=STREAMING_KINDS[entry.kind],
        ip_address=entry.ip_address,
        location=location_message(entry.location),
        occurred_at=to_timestamp(entry.occurred_at),
    )


def download_message(download: Download) -> device_pb2.Download:
    return device_pb2.Download(
        download_id=download.download_id,
        account_id=download.account_id,
        device_id=download.device_id,
        profile_name=download.profile_name,
        title=download.title,
        status=DOWNLOAD_STATUSES[download.status],
        downloaded_at=to_timestamp(download.downloaded_at),
        cancelled_at=_stamp(download.cancelled_at),
        cancel_reason=download.cancel_reason,
    )
