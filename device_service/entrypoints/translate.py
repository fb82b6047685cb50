"""Domain objects <-> protobuf messages, and nothing else."""

from __future__ import annotations

from google.protobuf.timestamp_pb2 import Timestamp
from remotesignout.auth.v1 import auth_pb2
from remotesignout.device.v1 import device_pb2

from common.clock import to_timestamp
from device_service.domain.activity import StreamingActivity, ViewingActivity
from device_service.domain.downloads import Download
from device_service.domain.model import Device, Location
from device_service.domain.revocation import Revocation, RevocationScope


def location_message(location: Location) -> device_pb2.Location:
    return device_pb2.Location(
        country=location.country, region=location.region, city=location.city, description=location.description
    )


def device_message(device: Device, current_device_id: str = "") -> device_pb2.Device:
    return device_pb2.Device(
        device_id=device.device_id,
        account_id=device.account_id,
        client_id=device.client_id,
        name=device.name,
        type=int(device.type),  # type: ignore[arg-type]
        platform=device.platform,
        app_version=device.app_version,
        status=int(device.status),  # type: ignore[arg-type]
        first_seen_at=to_timestamp(device.first_seen_at),
        last_seen_at=to_timestamp(device.last_seen_at),
        last_ip_address=device.last_ip_address,
        location=location_message(device.location),
        last_profile_name=device.last_profile_name,
        last_title=device.last_title,
        last_watched_at=_stamp(device.last_watched_at),
        current=bool(current_device_id) and device.device_id == current_device_id,
    )


def revocation_from(message: auth_pb2.Revocation) -> Revocation:
    scope = int(message.scope)
    return Revocation(
        sequence=message.sequence,
        account_id=message.account_id,
        scope=RevocationScope(scope) if scope in RevocationScope._value2member_map_ else RevocationScope.UNSPECIFIED,
        device_id=message.device_id,
        revoked_at=message.revoked_at.ToMicroseconds() if message.HasField("revoked_at") else None,
    )


def _stamp(micros: int | None) -> Timestamp | None:
    return to_timestamp(micros) if micros is not None else None


def viewing_message(entry: ViewingActivity) -> device_pb2.ViewingActivity:
    return device_pb2.ViewingActivity(
        activity_id=entry.activity_id, profile_name=entry.profile_name, title=entry.title,
        device_id=entry.device_id, device_name=entry.device_name,
        device_type=int(entry.device_type),  # type: ignore[arg-type]
        watched_at=to_timestamp(entry.watched_at), location=location_message(entry.location),
    )


def streaming_message(entry: StreamingActivity) -> device_pb2.StreamingActivity:
    return device_pb2.StreamingActivity(
        activity_id=entry.activity_id, device_id=entry.device_id,
        kind=int(entry.kind),  # type: ignore[arg-type]
        ip_address=entry.ip_address, location=location_message(entry.location),
        occurred_at=to_timestamp(entry.occurred_at),
    )


def download_message(download: Download) -> device_pb2.Download:
    return device_pb2.Download(
        download_id=download.download_id, account_id=download.account_id, device_id=download.device_id,
        profile_name=download.profile_name, title=download.title,
        status=int(download.status),  # type: ignore[arg-type]
        downloaded_at=to_timestamp(download.downloaded_at), cancelled_at=_stamp(download.cancelled_at),
        cancel_reason=download.cancel_reason,
    )
