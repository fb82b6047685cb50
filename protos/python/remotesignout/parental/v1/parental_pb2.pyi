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

class DenyReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DENY_REASON_UNSPECIFIED: _ClassVar[DenyReason]
    DENY_REASON_MATURITY: _ClassVar[DenyReason]
    DENY_REASON_BLOCKED_TITLE: _ClassVar[DenyReason]
    DENY_REASON_OUTSIDE_SCHEDULE: _ClassVar[DenyReason]
    DENY_REASON_PIN_REQUIRED: _ClassVar[DenyReason]
    DENY_REASON_SIGNED_OUT: _ClassVar[DenyReason]
    DENY_REASON_PROFILE_DELETED: _ClassVar[DenyReason]

class Weekday(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WEEKDAY_UNSPECIFIED: _ClassVar[Weekday]
    WEEKDAY_MONDAY: _ClassVar[Weekday]
    WEEKDAY_TUESDAY: _ClassVar[Weekday]
    WEEKDAY_WEDNESDAY: _ClassVar[Weekday]
    WEEKDAY_THURSDAY: _ClassVar[Weekday]
    WEEKDAY_FRIDAY: _ClassVar[Weekday]
    WEEKDAY_SATURDAY: _ClassVar[Weekday]
    WEEKDAY_SUNDAY: _ClassVar[Weekday]

class ProfileKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROFILE_KIND_UNSPECIFIED: _ClassVar[ProfileKind]
    PROFILE_KIND_OWNER: _ClassVar[ProfileKind]
    PROFILE_KIND_STANDARD: _ClassVar[ProfileKind]
    PROFILE_KIND_KIDS: _ClassVar[ProfileKind]

class MaturityLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MATURITY_LEVEL_UNSPECIFIED: _ClassVar[MaturityLevel]
    MATURITY_LEVEL_ALL: _ClassVar[MaturityLevel]
    MATURITY_LEVEL_7_PLUS: _ClassVar[MaturityLevel]
    MATURITY_LEVEL_13_PLUS: _ClassVar[MaturityLevel]
    MATURITY_LEVEL_16_PLUS: _ClassVar[MaturityLevel]
    MATURITY_LEVEL_18_PLUS: _ClassVar[MaturityLevel]
DENY_REASON_UNSPECIFIED: DenyReason
DENY_REASON_MATURITY: DenyReason
DENY_REASON_BLOCKED_TITLE: DenyReason
DENY_REASON_OUTSIDE_SCHEDULE: DenyReason
DENY_REASON_PIN_REQUIRED: DenyReason
DENY_REASON_SIGNED_OUT: DenyReason
DENY_REASON_PROFILE_DELETED: DenyReason
WEEKDAY_UNSPECIFIED: Weekday
WEEKDAY_MONDAY: Weekday
WEEKDAY_TUESDAY: Weekday
WEEKDAY_WEDNESDAY: Weekday
WEEKDAY_THURSDAY: Weekday
WEEKDAY_FRIDAY: Weekday
WEEKDAY_SATURDAY: Weekday
WEEKDAY_SUNDAY: Weekday
PROFILE_KIND_UNSPECIFIED: ProfileKind
PROFILE_KIND_OWNER: ProfileKind
PROFILE_KIND_STANDARD: ProfileKind
PROFILE_KIND_KIDS: ProfileKind
MATURITY_LEVEL_UNSPECIFIED: MaturityLevel
MATURITY_LEVEL_ALL: MaturityLevel
MATURITY_LEVEL_7_PLUS: MaturityLevel
MATURITY_LEVEL_13_PLUS: MaturityLevel
MATURITY_LEVEL_16_PLUS: MaturityLevel
MATURITY_LEVEL_18_PLUS: MaturityLevel

class Profile(_message.Message):
    __slots__ = ("profile_id", "account_id", "name", "kind", "maturity_level", "has_pin", "locked_until")
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    MATURITY_LEVEL_FIELD_NUMBER: _ClassVar[int]
    HAS_PIN_FIELD_NUMBER: _ClassVar[int]
    LOCKED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    profile_id: str
    account_id: str
    name: str
    kind: ProfileKind
    maturity_level: MaturityLevel
    has_pin: bool
    locked_until: _timestamp_pb2.Timestamp
    def __init__(self, profile_id: _Optional[str] = ..., account_id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[ProfileKind, str]] = ..., maturity_level: _Optional[_Union[MaturityLevel, str]] = ..., has_pin: _Optional[bool] = ..., locked_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Actor(_message.Message):
    __slots__ = ("device_id", "profile_id")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    profile_id: str
    def __init__(self, device_id: _Optional[str] = ..., profile_id: _Optional[str] = ...) -> None: ...

class PlaybackStop(_message.Message):
    __slots__ = ("account_id", "device_id", "profile_id", "title_id", "reason", "message")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    device_id: str
    profile_id: str
    title_id: str
    reason: DenyReason
    message: str
    def __init__(self, account_id: _Optional[str] = ..., device_id: _Optional[str] = ..., profile_id: _Optional[str] = ..., title_id: _Optional[str] = ..., reason: _Optional[_Union[DenyReason, str]] = ..., message: _Optional[str] = ...) -> None: ...

class Title(_message.Message):
    __slots__ = ("title_id", "name", "maturity_rating")
    TITLE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    MATURITY_RATING_FIELD_NUMBER: _ClassVar[int]
    title_id: str
    name: str
    maturity_rating: MaturityLevel
    def __init__(self, title_id: _Optional[str] = ..., name: _Optional[str] = ..., maturity_rating: _Optional[_Union[MaturityLevel, str]] = ...) -> None: ...

class ViewingWindow(_message.Message):
    __slots__ = ("weekday", "start_minute", "end_minute")
    WEEKDAY_FIELD_NUMBER: _ClassVar[int]
    START_MINUTE_FIELD_NUMBER: _ClassVar[int]
    END_MINUTE_FIELD_NUMBER: _ClassVar[int]
    weekday: Weekday
    start_minute: int
    end_minute: int
    def __init__(self, weekday: _Optional[_Union[Weekday, str]] = ..., start_minute: _Optional[int] = ..., end_minute: _Optional[int] = ...) -> None: ...

class ViewingSchedule(_message.Message):
    __slots__ = ("time_zone", "windows")
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    WINDOWS_FIELD_NUMBER: _ClassVar[int]
    time_zone: str
    windows: _containers.RepeatedCompositeFieldContainer[ViewingWindow]
    def __init__(self, time_zone: _Optional[str] = ..., windows: _Optional[_Iterable[_Union[ViewingWindow, _Mapping]]] = ...) -> None: ...

class AuditEvent(_message.Message):
    __slots__ = ("event_id", "account_id", "profile_id", "occurred_at", "change", "old_value", "new_value", "actor")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    OLD_VALUE_FIELD_NUMBER: _ClassVar[int]
    NEW_VALUE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    account_id: str
    profile_id: str
    occurred_at: _timestamp_pb2.Timestamp
    change: str
    old_value: str
    new_value: str
    actor: Actor
    def __init__(self, event_id: _Optional[str] = ..., account_id: _Optional[str] = ..., profile_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., change: _Optional[str] = ..., old_value: _Optional[str] = ..., new_value: _Optional[str] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class CreateProfileRequest(_message.Message):
    __slots__ = ("account_id", "name", "kind", "maturity_level", "actor")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    MATURITY_LEVEL_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    name: str
    kind: ProfileKind
    maturity_level: MaturityLevel
    actor: Actor
    def __init__(self, account_id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[ProfileKind, str]] = ..., maturity_level: _Optional[_Union[MaturityLevel, str]] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class CreateProfileResponse(_message.Message):
    __slots__ = ("profile",)
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    profile: Profile
    def __init__(self, profile: _Optional[_Union[Profile, _Mapping]] = ...) -> None: ...

class ListProfilesRequest(_message.Message):
    __slots__ = ("account_id",)
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    def __init__(self, account_id: _Optional[str] = ...) -> None: ...

class ListProfilesResponse(_message.Message):
    __slots__ = ("profiles",)
    PROFILES_FIELD_NUMBER: _ClassVar[int]
    profiles: _containers.RepeatedCompositeFieldContainer[Profile]
    def __init__(self, profiles: _Optional[_Iterable[_Union[Profile, _Mapping]]] = ...) -> None: ...

class ApplyRevocationRequest(_message.Message):
    __slots__ = ("revocation",)
    REVOCATION_FIELD_NUMBER: _ClassVar[int]
    revocation: _auth_pb2.Revocation
    def __init__(self, revocation: _Optional[_Union[_auth_pb2.Revocation, _Mapping]] = ...) -> None: ...

class ApplyRevocationResponse(_message.Message):
    __slots__ = ("applied", "stopped_playback_count", "already_applied")
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    STOPPED_PLAYBACK_COUNT_FIELD_NUMBER: _ClassVar[int]
    ALREADY_APPLIED_FIELD_NUMBER: _ClassVar[int]
    applied: bool
    stopped_playback_count: int
    already_applied: bool
    def __init__(self, applied: _Optional[bool] = ..., stopped_playback_count: _Optional[int] = ..., already_applied: _Optional[bool] = ...) -> None: ...

class RenameProfileRequest(_message.Message):
    __slots__ = ("account_id", "profile_id", "name", "actor")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    profile_id: str
    name: str
    actor: Actor
    def __init__(self, account_id: _Optional[str] = ..., profile_id: _Optional[str] = ..., name: _Optional[str] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class RenameProfileResponse(_message.Message):
    __slots__ = ("profile",)
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    profile: Profile
    def __init__(self, profile: _Optional[_Union[Profile, _Mapping]] = ...) -> None: ...

class DeleteProfileRequest(_message.Message):
    __slots__ = ("account_id", "profile_id", "actor")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    profile_id: str
    actor: Actor
    def __init__(self, account_id: _Optional[str] = ..., profile_id: _Optional[str] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class DeleteProfileResponse(_message.Message):
    __slots__ = ("stopped_playbacks",)
    STOPPED_PLAYBACKS_FIELD_NUMBER: _ClassVar[int]
    stopped_playbacks: _containers.RepeatedCompositeFieldContainer[PlaybackStop]
    def __init__(self, stopped_playbacks: _Optional[_Iterable[_Union[PlaybackStop, _Mapping]]] = ...) -> None: ...

class SetProfilePinRequest(_message.Message):
    __slots__ = ("account_id", "profile_id", "pin", "actor")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    PIN_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    profile_id: str
    pin: str
    actor: Actor
    def __init__(self, account_id: _Optional[str] = ..., profile_id: _Optional[str] = ..., pin: _Optional[str] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class SetProfilePinResponse(_message.Message):
    __slots__ = ("profile", "stopped_playbacks")
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    STOPPED_PLAYBACKS_FIELD_NUMBER: _ClassVar[int]
    profile: Profile
    stopped_playbacks: _containers.RepeatedCompositeFieldContainer[PlaybackStop]
    def __init__(self, profile: _Optional[_Union[Profile, _Mapping]] = ..., stopped_playbacks: _Optional[_Iterable[_Union[PlaybackStop, _Mapping]]] = ...) -> None: ...

class RemoveProfilePinRequest(_message.Message):
    __slots__ = ("account_id", "profile_id", "actor")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    profile_id: str
    actor: Actor
    def __init__(self, account_id: _Optional[str] = ..., profile_id: _Optional[str] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class RemoveProfilePinResponse(_message.Message):
    __slots__ = ("profile",)
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    profile: Profile
    def __init__(self, profile: _Optional[_Union[Profile, _Mapping]] = ...) -> None: ...

class SelectProfileRequest(_message.Message):
    __slots__ = ("account_id", "profile_id", "pin", "device_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    PIN_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    profile_id: str
    pin: str
    device_id: str
    def __init__(self, account_id: _Optional[str] = ..., profile_id: _Optional[str] = ..., pin: _Optional[str] = ..., device_id: _Optional[str] = ...) -> None: ...

class SelectProfileResponse(_message.Message):
    __slots__ = ("profile",)
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    profile: Profile
    def __init__(self, profile: _Optional[_Union[Profile, _Mapping]] = ...) -> None: ...

class UnlockProfileRequest(_message.Message):
    __slots__ = ("account_id", "profile_id", "actor")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    profile_id: str
    actor: Actor
    def __init__(self, account_id: _Optional[str] = ..., profile_id: _Optional[str] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class UnlockProfileResponse(_message.Message):
    __slots__ = ("profile",)
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    profile: Profile
    def __init__(self, profile: _Optional[_Union[Profile, _Mapping]] = ...) -> None: ...

class SetMaturityLevelRequest(_message.Message):
    __slots__ = ("account_id", "profile_id", "maturity_level", "actor")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    MATURITY_LEVEL_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    profile_id: str
    maturity_level: MaturityLevel
    actor: Actor
    def __init__(self, account_id: _Optional[str] = ..., profile_id: _Optional[str] = ..., maturity_level: _Optional[_Union[MaturityLevel, str]] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class SetMaturityLevelResponse(_message.Message):
    __slots__ = ("profile", "stopped_playbacks")
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    STOPPED_PLAYBACKS_FIELD_NUMBER: _ClassVar[int]
    profile: Profile
    stopped_playbacks: _containers.RepeatedCompositeFieldContainer[PlaybackStop]
    def __init__(self, profile: _Optional[_Union[Profile, _Mapping]] = ..., stopped_playbacks: _Optional[_Iterable[_Union[PlaybackStop, _Mapping]]] = ...) -> None: ...

class BlockTitleRequest(_message.Message):
    __slots__ = ("account_id", "profile_id", "title_id", "actor")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    profile_id: str
    title_id: str
    actor: Actor
    def __init__(self, account_id: _Optional[str] = ..., profile_id: _Optional[str] = ..., title_id: _Optional[str] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class BlockTitleResponse(_message.Message):
    __slots__ = ("stopped_playbacks",)
    STOPPED_PLAYBACKS_FIELD_NUMBER: _ClassVar[int]
    stopped_playbacks: _containers.RepeatedCompositeFieldContainer[PlaybackStop]
    def __init__(self, stopped_playbacks: _Optional[_Iterable[_Union[PlaybackStop, _Mapping]]] = ...) -> None: ...

class UnblockTitleRequest(_message.Message):
    __slots__ = ("account_id", "profile_id", "title_id", "actor")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    profile_id: str
    title_id: str
    actor: Actor
    def __init__(self, account_id: _Optional[str] = ..., profile_id: _Optional[str] = ..., title_id: _Optional[str] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class UnblockTitleResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SetViewingScheduleRequest(_message.Message):
    __slots__ = ("account_id", "profile_id", "schedule", "actor")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    profile_id: str
    schedule: ViewingSchedule
    actor: Actor
    def __init__(self, account_id: _Optional[str] = ..., profile_id: _Optional[str] = ..., schedule: _Optional[_Union[ViewingSchedule, _Mapping]] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...

class SetViewingScheduleResponse(_message.Message):
    __slots__ = ("stopped_playbacks",)
    STOPPED_PLAYBACKS_FIELD_NUMBER: _ClassVar[int]
    stopped_playbacks: _containers.RepeatedCompositeFieldContainer[PlaybackStop]
    def __init__(self, stopped_playbacks: _Optional[_Iterable[_Union[PlaybackStop, _Mapping]]] = ...) -> None: ...

class GetProfileRulesRequest(_message.Message):
    __slots__ = ("account_id", "profile_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    profile_id: str
    def __init__(self, account_id: _Optional[str] = ..., profile_id: _Optional[str] = ...) -> None: ...

class GetProfileRulesResponse(_message.Message):
    __slots__ = ("profile", "blocked_title_ids", "schedule")
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_TITLE_IDS_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    profile: Profile
    blocked_title_ids: _containers.RepeatedScalarFieldContainer[str]
    schedule: ViewingSchedule
    def __init__(self, profile: _Optional[_Union[Profile, _Mapping]] = ..., blocked_title_ids: _Optional[_Iterable[str]] = ..., schedule: _Optional[_Union[ViewingSchedule, _Mapping]] = ...) -> None: ...

class ListTitlesRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTitlesResponse(_message.Message):
    __slots__ = ("titles", "next_page_token")
    TITLES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    titles: _containers.RepeatedCompositeFieldContainer[Title]
    next_page_token: str
    def __init__(self, titles: _Optional[_Iterable[_Union[Title, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DecidePlaybackRequest(_message.Message):
    __slots__ = ("account_id", "profile_id", "title_id", "device_id", "check_only")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    CHECK_ONLY_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    profile_id: str
    title_id: str
    device_id: str
    check_only: bool
    def __init__(self, account_id: _Optional[str] = ..., profile_id: _Optional[str] = ..., title_id: _Optional[str] = ..., device_id: _Optional[str] = ..., check_only: _Optional[bool] = ...) -> None: ...

class DecidePlaybackResponse(_message.Message):
    __slots__ = ("allowed", "reason", "message", "title")
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    allowed: bool
    reason: DenyReason
    message: str
    title: Title
    def __init__(self, allowed: _Optional[bool] = ..., reason: _Optional[_Union[DenyReason, str]] = ..., message: _Optional[str] = ..., title: _Optional[_Union[Title, _Mapping]] = ...) -> None: ...

class EndPlaybackRequest(_message.Message):
    __slots__ = ("account_id", "device_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    device_id: str
    def __init__(self, account_id: _Optional[str] = ..., device_id: _Optional[str] = ...) -> None: ...

class EndPlaybackResponse(_message.Message):
    __slots__ = ("ended",)
    ENDED_FIELD_NUMBER: _ClassVar[int]
    ended: bool
    def __init__(self, ended: _Optional[bool] = ...) -> None: ...

class ListAuditEventsRequest(_message.Message):
    __slots__ = ("account_id", "profile_id", "page_size", "page_token")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    profile_id: str
    page_size: int
    page_token: str
    def __init__(self, account_id: _Optional[str] = ..., profile_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListAuditEventsResponse(_message.Message):
    __slots__ = ("events", "next_page_token")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[AuditEvent]
    next_page_token: str
    def __init__(self, events: _Optional[_Iterable[_Union[AuditEvent, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class WatchPlaybackStopsRequest(_message.Message):
    __slots__ = ("account_id", "all_accounts")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    ALL_ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    all_accounts: bool
    def __init__(self, account_id: _Optional[str] = ..., all_accounts: _Optional[bool] = ...) -> None: ...

class WatchPlaybackStopsResponse(_message.Message):
    __slots__ = ("subscribed", "stop")
    SUBSCRIBED_FIELD_NUMBER: _ClassVar[int]
    STOP_FIELD_NUMBER: _ClassVar[int]
    subscribed: bool
    stop: PlaybackStop
    def __init__(self, subscribed: _Optional[bool] = ..., stop: _Optional[_Union[PlaybackStop, _Mapping]] = ...) -> None: ...
