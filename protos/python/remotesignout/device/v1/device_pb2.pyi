import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from remotesignout.auth.v1 import auth_pb2 as _auth_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DeviceStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DEVICE_STATUS_UNSPECIFIED: _ClassVar[DeviceStatus]
    DEVICE_STATUS_ACTIVE: _ClassVar[DeviceStatus]
    DEVICE_STATUS_SIGNED_OUT: _ClassVar[DeviceStatus]
    DEVICE_STATUS_REMOVED: _ClassVar[DeviceStatus]

class StreamingActivityKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STREAMING_ACTIVITY_KIND_UNSPECIFIED: _ClassVar[StreamingActivityKind]
    STREAMING_ACTIVITY_KIND_SIGN_IN: _ClassVar[StreamingActivityKind]
    STREAMING_ACTIVITY_KIND_PLAYBACK: _ClassVar[StreamingActivityKind]

class DownloadStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DOWNLOAD_STATUS_UNSPECIFIED: _ClassVar[DownloadStatus]
    DOWNLOAD_STATUS_ACTIVE: _ClassVar[DownloadStatus]
    DOWNLOAD_STATUS_CANCELLED: _ClassVar[DownloadStatus]
DEVICE_STATUS_UNSPECIFIED: DeviceStatus
DEVICE_STATUS_ACTIVE: DeviceStatus
DEVICE_STATUS_SIGNED_OUT: DeviceStatus
DEVICE_STATUS_REMOVED: DeviceStatus
STREAMING_ACTIVITY_KIND_UNSPECIFIED: StreamingActivityKind
STREAMING_ACTIVITY_KIND_SIGN_IN: StreamingActivityKind
STREAMING_ACTIVITY_KIND_PLAYBACK: StreamingActivityKind
DOWNLOAD_STATUS_UNSPECIFIED: DownloadStatus
DOWNLOAD_STATUS_ACTIVE: DownloadStatus
DOWNLOAD_STATUS_CANCELLED: DownloadStatus

class Location(_message.Message):
    __slots__ = ("country", "region", "city", "description")
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    country: str
    region: str
    city: str
    description: str
    def __init__(self, country: _Optional[str] = ..., region: _Optional[str] = ..., city: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class Device(_message.Message):
    __slots__ = ("device_id", "account_id", "client_id", "name", "type", "platform", "app_version", "status", "first_seen_at", "last_seen_at", "last_ip_address", "location", "last_profile_name", "last_title", "last_watched_at", "current", "unusual_location")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    APP_VERSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FIRST_SEEN_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_SEEN_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    LAST_PROFILE_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_TITLE_FIELD_NUMBER: _ClassVar[int]
    LAST_WATCHED_AT_FIELD_NUMBER: _ClassVar[int]
    CURRENT_FIELD_NUMBER: _ClassVar[int]
    UNUSUAL_LOCATION_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    account_id: str
    client_id: str
    name: str
    type: _auth_pb2.DeviceType
    platform: str
    app_version: str
    status: DeviceStatus
    first_seen_at: _timestamp_pb2.Timestamp
    last_seen_at: _timestamp_pb2.Timestamp
    last_ip_address: str
    location: Location
    last_profile_name: str
    last_title: str
    last_watched_at: _timestamp_pb2.Timestamp
    current: bool
    unusual_location: bool
    def __init__(self, device_id: _Optional[str] = ..., account_id: _Optional[str] = ..., client_id: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[_Union[_auth_pb2.DeviceType, str]] = ..., platform: _Optional[str] = ..., app_version: _Optional[str] = ..., status: _Optional[_Union[DeviceStatus, str]] = ..., first_seen_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_seen_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_ip_address: _Optional[str] = ..., location: _Optional[_Union[Location, _Mapping]] = ..., last_profile_name: _Optional[str] = ..., last_title: _Optional[str] = ..., last_watched_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., current: _Optional[bool] = ..., unusual_location: _Optional[bool] = ...) -> None: ...

class RegisterDeviceRequest(_message.Message):
    __slots__ = ("account_id", "client_id", "name", "type", "platform", "app_version", "ip_address")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    APP_VERSION_FIELD_NUMBER: _ClassVar[int]
    IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    client_id: str
    name: str
    type: _auth_pb2.DeviceType
    platform: str
    app_version: str
    ip_address: str
    def __init__(self, account_id: _Optional[str] = ..., client_id: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[_Union[_auth_pb2.DeviceType, str]] = ..., platform: _Optional[str] = ..., app_version: _Optional[str] = ..., ip_address: _Optional[str] = ...) -> None: ...

class RegisterDeviceResponse(_message.Message):
    __slots__ = ("device",)
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    device: Device
    def __init__(self, device: _Optional[_Union[Device, _Mapping]] = ...) -> None: ...

class GetDeviceRequest(_message.Message):
    __slots__ = ("account_id", "device_id", "current_device_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    CURRENT_DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    device_id: str
    current_device_id: str
    def __init__(self, account_id: _Optional[str] = ..., device_id: _Optional[str] = ..., current_device_id: _Optional[str] = ...) -> None: ...

class GetDeviceResponse(_message.Message):
    __slots__ = ("device",)
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    device: Device
    def __init__(self, device: _Optional[_Union[Device, _Mapping]] = ...) -> None: ...

class ListDevicesRequest(_message.Message):
    __slots__ = ("account_id", "current_device_id", "page_size", "page_token", "include_inactive")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CURRENT_DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_INACTIVE_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    current_device_id: str
    page_size: int
    page_token: str
    include_inactive: bool
    def __init__(self, account_id: _Optional[str] = ..., current_device_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., include_inactive: _Optional[bool] = ...) -> None: ...

class ListDevicesResponse(_message.Message):
    __slots__ = ("devices", "next_page_token")
    DEVICES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    devices: _containers.RepeatedCompositeFieldContainer[Device]
    next_page_token: str
    def __init__(self, devices: _Optional[_Iterable[_Union[Device, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ApplyRevocationRequest(_message.Message):
    __slots__ = ("revocation",)
    REVOCATION_FIELD_NUMBER: _ClassVar[int]
    revocation: _auth_pb2.Revocation
    def __init__(self, revocation: _Optional[_Union[_auth_pb2.Revocation, _Mapping]] = ...) -> None: ...

class ApplyRevocationResponse(_message.Message):
    __slots__ = ("applied", "signed_out_device_ids", "already_applied")
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    SIGNED_OUT_DEVICE_IDS_FIELD_NUMBER: _ClassVar[int]
    ALREADY_APPLIED_FIELD_NUMBER: _ClassVar[int]
    applied: bool
    signed_out_device_ids: _containers.RepeatedScalarFieldContainer[str]
    already_applied: bool
    def __init__(self, applied: _Optional[bool] = ..., signed_out_device_ids: _Optional[_Iterable[str]] = ..., already_applied: _Optional[bool] = ...) -> None: ...

class RecordPlaybackRequest(_message.Message):
    __slots__ = ("account_id", "device_id", "profile_name", "title", "ip_address")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_NAME_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    device_id: str
    profile_name: str
    title: str
    ip_address: str
    def __init__(self, account_id: _Optional[str] = ..., device_id: _Optional[str] = ..., profile_name: _Optional[str] = ..., title: _Optional[str] = ..., ip_address: _Optional[str] = ...) -> None: ...

class RecordPlaybackResponse(_message.Message):
    __slots__ = ("device",)
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    device: Device
    def __init__(self, device: _Optional[_Union[Device, _Mapping]] = ...) -> None: ...

class ViewingActivity(_message.Message):
    __slots__ = ("activity_id", "profile_name", "title", "device_id", "device_name", "device_type", "watched_at", "location")
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_NAME_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    DEVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    WATCHED_AT_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    profile_name: str
    title: str
    device_id: str
    device_name: str
    device_type: _auth_pb2.DeviceType
    watched_at: _timestamp_pb2.Timestamp
    location: Location
    def __init__(self, activity_id: _Optional[str] = ..., profile_name: _Optional[str] = ..., title: _Optional[str] = ..., device_id: _Optional[str] = ..., device_name: _Optional[str] = ..., device_type: _Optional[_Union[_auth_pb2.DeviceType, str]] = ..., watched_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., location: _Optional[_Union[Location, _Mapping]] = ...) -> None: ...

class ListViewingActivityRequest(_message.Message):
    __slots__ = ("account_id", "profile_name", "page_size", "page_token")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_NAME_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    profile_name: str
    page_size: int
    page_token: str
    def __init__(self, account_id: _Optional[str] = ..., profile_name: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListViewingActivityResponse(_message.Message):
    __slots__ = ("activities", "next_page_token")
    ACTIVITIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    activities: _containers.RepeatedCompositeFieldContainer[ViewingActivity]
    next_page_token: str
    def __init__(self, activities: _Optional[_Iterable[_Union[ViewingActivity, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class StreamingActivity(_message.Message):
    __slots__ = ("activity_id", "device_id", "kind", "ip_address", "location", "occurred_at")
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    activity_id: str
    device_id: str
    kind: StreamingActivityKind
    ip_address: str
    location: Location
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, activity_id: _Optional[str] = ..., device_id: _Optional[str] = ..., kind: _Optional[_Union[StreamingActivityKind, str]] = ..., ip_address: _Optional[str] = ..., location: _Optional[_Union[Location, _Mapping]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListStreamingActivityRequest(_message.Message):
    __slots__ = ("account_id", "device_id", "page_size", "page_token")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    device_id: str
    page_size: int
    page_token: str
    def __init__(self, account_id: _Optional[str] = ..., device_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListStreamingActivityResponse(_message.Message):
    __slots__ = ("activities", "next_page_token")
    ACTIVITIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    activities: _containers.RepeatedCompositeFieldContainer[StreamingActivity]
    next_page_token: str
    def __init__(self, activities: _Optional[_Iterable[_Union[StreamingActivity, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RemoveDeviceRequest(_message.Message):
    __slots__ = ("account_id", "device_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    device_id: str
    def __init__(self, account_id: _Optional[str] = ..., device_id: _Optional[str] = ...) -> None: ...

class RemoveDeviceResponse(_message.Message):
    __slots__ = ("device",)
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    device: Device
    def __init__(self, device: _Optional[_Union[Device, _Mapping]] = ...) -> None: ...

class AllowDeviceRequest(_message.Message):
    __slots__ = ("account_id", "device_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    device_id: str
    def __init__(self, account_id: _Optional[str] = ..., device_id: _Optional[str] = ...) -> None: ...

class AllowDeviceResponse(_message.Message):
    __slots__ = ("device",)
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    device: Device
    def __init__(self, device: _Optional[_Union[Device, _Mapping]] = ...) -> None: ...

class Download(_message.Message):
    __slots__ = ("download_id", "account_id", "device_id", "profile_name", "title", "status", "downloaded_at", "cancelled_at", "cancel_reason")
    DOWNLOAD_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_NAME_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DOWNLOADED_AT_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_AT_FIELD_NUMBER: _ClassVar[int]
    CANCEL_REASON_FIELD_NUMBER: _ClassVar[int]
    download_id: str
    account_id: str
    device_id: str
    profile_name: str
    title: str
    status: DownloadStatus
    downloaded_at: _timestamp_pb2.Timestamp
    cancelled_at: _timestamp_pb2.Timestamp
    cancel_reason: str
    def __init__(self, download_id: _Optional[str] = ..., account_id: _Optional[str] = ..., device_id: _Optional[str] = ..., profile_name: _Optional[str] = ..., title: _Optional[str] = ..., status: _Optional[_Union[DownloadStatus, str]] = ..., downloaded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cancelled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cancel_reason: _Optional[str] = ...) -> None: ...

class RecordDownloadRequest(_message.Message):
    __slots__ = ("account_id", "device_id", "profile_name", "title")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_NAME_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    device_id: str
    profile_name: str
    title: str
    def __init__(self, account_id: _Optional[str] = ..., device_id: _Optional[str] = ..., profile_name: _Optional[str] = ..., title: _Optional[str] = ...) -> None: ...

class RecordDownloadResponse(_message.Message):
    __slots__ = ("download",)
    DOWNLOAD_FIELD_NUMBER: _ClassVar[int]
    download: Download
    def __init__(self, download: _Optional[_Union[Download, _Mapping]] = ...) -> None: ...

class ListDownloadsRequest(_message.Message):
    __slots__ = ("account_id", "device_id", "page_size", "page_token")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    device_id: str
    page_size: int
    page_token: str
    def __init__(self, account_id: _Optional[str] = ..., device_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDownloadsResponse(_message.Message):
    __slots__ = ("downloads", "next_page_token")
    DOWNLOADS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    downloads: _containers.RepeatedCompositeFieldContainer[Download]
    next_page_token: str
    def __init__(self, downloads: _Optional[_Iterable[_Union[Download, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CheckDownloadLicenseRequest(_message.Message):
    __slots__ = ("account_id", "download_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    DOWNLOAD_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    download_id: str
    def __init__(self, account_id: _Optional[str] = ..., download_id: _Optional[str] = ...) -> None: ...

class CheckDownloadLicenseResponse(_message.Message):
    __slots__ = ("valid", "reason", "download")
    VALID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DOWNLOAD_FIELD_NUMBER: _ClassVar[int]
    valid: bool
    reason: str
    download: Download
    def __init__(self, valid: _Optional[bool] = ..., reason: _Optional[str] = ..., download: _Optional[_Union[Download, _Mapping]] = ...) -> None: ...
