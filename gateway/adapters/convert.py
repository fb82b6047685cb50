"""Translation between protobuf messages and the gateway's domain model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from remotesignout.auth.v1 import auth_pb2
from remotesignout.device.v1 import device_pb2
from remotesignout.parental.v1 import parental_pb2

from gateway.domain import model


def enum_words(enum: object, prefix: str, words: tuple[str, ...]) -> dict[int, str]:
    return {enum.Value(prefix + word.upper()): word for word in words}  # type: ignore[attr-defined]


DEVICE_TYPE_WORDS = enum_words(auth_pb2.DeviceType, "DEVICE_TYPE_", model.DEVICE_TYPES)
DEVICE_TYPE_VALUES = {word: value for value, word in DEVICE_TYPE_WORDS.items()}
SCOPE_WORDS = enum_words(auth_pb2.RevocationScope, "REVOCATION_SCOPE_", model.REVOCATION_SCOPES)
SCOPE_VALUES = {word: value for value, word in SCOPE_WORDS.items()}
REASON_WORDS = enum_words(auth_pb2.RevocationReason, "REVOCATION_REASON_", model.REVOCATION_REASONS)
REASON_VALUES = {word: value for value, word in REASON_WORDS.items()}
STATUS_WORDS = enum_words(device_pb2.DeviceStatus, "DEVICE_STATUS_", model.DEVICE_STATUSES)
KIND_WORDS = enum_words(parental_pb2.ProfileKind, "PROFILE_KIND_", model.PROFILE_KINDS)
KIND_VALUES = {word: value for value, word in KIND_WORDS.items()}
MATURITY_WORDS = {
    parental_pb2.MATURITY_LEVEL_ALL: "all",
    parental_pb2.MATURITY_LEVEL_7_PLUS: "7+",
    parental_pb2.MATURITY_LEVEL_13_PLUS: "13+",
    parental_pb2.MATURITY_LEVEL_16_PLUS: "16+",
    parental_pb2.MATURITY_LEVEL_18_PLUS: "18+",
}
MATURITY_VALUES = {word: value for value, word in MATURITY_WORDS.items()}


def moment(message: Message, name: str) -> datetime | None:
    """The timestamp field `name` of `message` as an aware datetime, None when unset."""
    if not message.HasField(name):
        return None
    stamp: Timestamp = getattr(message, name)
    return datetime.fromtimestamp(0, UTC) + timedelta(microseconds=stamp.ToMicroseconds())


def timestamp(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(value.astimezone(UTC))
    return stamp


def revocation_from_proto(message: auth_pb2.Revocation) -> model.Revocation:
    return model.Revocation(
        sequence=message.sequence,
        account_id=message.account_id,
        scope=SCOPE_WORDS.get(message.scope, "unspecified"),
        reason=REASON_WORDS.get(message.reason, "unspecified"),
        session_id=message.session_id,
        device_id=message.device_id,
        revoked_at=moment(message, "revoked_at"),
    )


def revocation_to_proto(revocation: model.Revocation) -> auth_pb2.Revocation:
    return auth_pb2.Revocation(
        sequence=revocation.sequence,
        account_id=revocation.account_id,
        scope=SCOPE_VALUES.get(revocation.scope, 0),  # type: ignore[arg-type]
        reason=REASON_VALUES.get(revocation.reason, 0),  # type: ignore[arg-type]
        session_id=revocation.session_id,
        device_id=revocation.device_id,
        revoked_at=timestamp(revocation.revoked_at),
    )


def device_from_proto(message: device_pb2.Device) -> model.Device:
    return model.Device(
        device_id=message.device_id,
        name=message.name,
        type=DEVICE_TYPE_WORDS.get(message.type, "unspecified"),
        platform=message.platform,
        app_version=message.app_version,
        status=STATUS_WORDS.get(message.status, "unspecified"),
        first_seen_at=moment(message, "first_seen_at"),
        last_seen_at=moment(message, "last_seen_at"),
        last_ip_address=message.last_ip_address,
        location=location_from_proto(message.location),
        last_profile_name=message.last_profile_name,
        last_title=message.last_title,
        last_watched_at=moment(message, "last_watched_at"),
        current=message.current,
    )


def profile_from_proto(message: parental_pb2.Profile) -> model.Profile:
    return model.Profile(
        profile_id=message.profile_id,
        name=message.name,
        kind=KIND_WORDS.get(message.kind, "unspecified"),
        maturity_level=MATURITY_WORDS.get(message.maturity_level, "unspecified"),
        has_pin=message.has_pin,
        locked_until=moment(message, "locked_until"),
    )


def location_from_proto(message: device_pb2.Location) -> model.Location:
    return model.Location(message.country, message.region, message.city, message.description)
