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
DEVICE_STATUS_UNSPECIFIED: DeviceStatus
DEVICE_STATUS_ACTIVE: DeviceStatus
DEVICE_STATUS_SIGNED_OUT: DeviceStatus
DEVICE_STATUS_REMOVED: DeviceStatus

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
    __slots__ = ("device_id", "account_id", "client_id", "name", "type", "platform", "app_version", "status", "first_seen_at", "last_seen_at", "last_ip_address", "location", "last_profile_name", "last_title", "last_watched_at", "current")
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
    def __init__(self, device_id: _Optional[str] = ..., account_id: _Optional[str] = ..., client_id: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[_Union[_auth_pb2.DeviceType, str]] = ..., platform: _Optional[str] = ..., app_version: _Optional[str] = ..., status: _Optional[_Union[DeviceStatus, str]] = ..., first_seen_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_seen_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_ip_address: _Optional[str] = ..., location: _Optional[_Union[Location, _Mapping]] = ..., last_profile_name: _Optional[str] = ..., last_title: _Optional[str] = ..., last_watched_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., current: _Optional[bool] = ...) -> None: ...

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
    __slots__ = ("account_id", "current_device_id", "page_size", "page_token")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CURRENT_DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    current_device_id: str
    page_size: int
    page_token: str
    def __init__(self, account_id: _Optional[str] = ..., current_device_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

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
    __slots__ = ("applied", "signed_out_device_ids")
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    SIGNED_OUT_DEVICE_IDS_FIELD_NUMBER: _ClassVar[int]
    applied: bool
    signed_out_device_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, applied: _Optional[bool] = ..., signed_out_device_ids: _Optional[_Iterable[str]] = ...) -> None: ...
