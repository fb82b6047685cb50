from remotesignout.auth.v1 import auth_pb2 as _auth_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

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
    __slots__ = ("profile_id", "account_id", "name", "kind", "maturity_level")
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    MATURITY_LEVEL_FIELD_NUMBER: _ClassVar[int]
    profile_id: str
    account_id: str
    name: str
    kind: ProfileKind
    maturity_level: MaturityLevel
    def __init__(self, profile_id: _Optional[str] = ..., account_id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[ProfileKind, str]] = ..., maturity_level: _Optional[_Union[MaturityLevel, str]] = ...) -> None: ...

class CreateProfileRequest(_message.Message):
    __slots__ = ("account_id", "name", "kind", "maturity_level")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    MATURITY_LEVEL_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    name: str
    kind: ProfileKind
    maturity_level: MaturityLevel
    def __init__(self, account_id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[ProfileKind, str]] = ..., maturity_level: _Optional[_Union[MaturityLevel, str]] = ...) -> None: ...

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
    __slots__ = ("applied", "stopped_playback_count")
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    STOPPED_PLAYBACK_COUNT_FIELD_NUMBER: _ClassVar[int]
    applied: bool
    stopped_playback_count: int
    def __init__(self, applied: _Optional[bool] = ..., stopped_playback_count: _Optional[int] = ...) -> None: ...
