import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DeviceType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DEVICE_TYPE_UNSPECIFIED: _ClassVar[DeviceType]
    DEVICE_TYPE_TV: _ClassVar[DeviceType]
    DEVICE_TYPE_PHONE: _ClassVar[DeviceType]
    DEVICE_TYPE_TABLET: _ClassVar[DeviceType]
    DEVICE_TYPE_COMPUTER: _ClassVar[DeviceType]
    DEVICE_TYPE_BROWSER: _ClassVar[DeviceType]
    DEVICE_TYPE_CONSOLE: _ClassVar[DeviceType]
    DEVICE_TYPE_STREAMING_PLAYER: _ClassVar[DeviceType]

class RevocationScope(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REVOCATION_SCOPE_UNSPECIFIED: _ClassVar[RevocationScope]
    REVOCATION_SCOPE_SESSION: _ClassVar[RevocationScope]
    REVOCATION_SCOPE_DEVICE: _ClassVar[RevocationScope]
    REVOCATION_SCOPE_ALL: _ClassVar[RevocationScope]
    REVOCATION_SCOPE_ALL_OTHERS: _ClassVar[RevocationScope]

class RevocationReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REVOCATION_REASON_UNSPECIFIED: _ClassVar[RevocationReason]
    REVOCATION_REASON_SIGN_OUT: _ClassVar[RevocationReason]
    REVOCATION_REASON_REMOTE_SIGN_OUT: _ClassVar[RevocationReason]
    REVOCATION_REASON_SIGN_OUT_ALL: _ClassVar[RevocationReason]
    REVOCATION_REASON_PASSWORD_CHANGED: _ClassVar[RevocationReason]
    REVOCATION_REASON_DEVICE_REMOVED: _ClassVar[RevocationReason]
    REVOCATION_REASON_TOKEN_REUSE: _ClassVar[RevocationReason]
    REVOCATION_REASON_ACCOUNT_CLOSED: _ClassVar[RevocationReason]

class DeviceAuthorizationStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DEVICE_AUTHORIZATION_STATUS_UNSPECIFIED: _ClassVar[DeviceAuthorizationStatus]
    DEVICE_AUTHORIZATION_STATUS_PENDING: _ClassVar[DeviceAuthorizationStatus]
    DEVICE_AUTHORIZATION_STATUS_APPROVED: _ClassVar[DeviceAuthorizationStatus]
    DEVICE_AUTHORIZATION_STATUS_DENIED: _ClassVar[DeviceAuthorizationStatus]
DEVICE_TYPE_UNSPECIFIED: DeviceType
DEVICE_TYPE_TV: DeviceType
DEVICE_TYPE_PHONE: DeviceType
DEVICE_TYPE_TABLET: DeviceType
DEVICE_TYPE_COMPUTER: DeviceType
DEVICE_TYPE_BROWSER: DeviceType
DEVICE_TYPE_CONSOLE: DeviceType
DEVICE_TYPE_STREAMING_PLAYER: DeviceType
REVOCATION_SCOPE_UNSPECIFIED: RevocationScope
REVOCATION_SCOPE_SESSION: RevocationScope
REVOCATION_SCOPE_DEVICE: RevocationScope
REVOCATION_SCOPE_ALL: RevocationScope
REVOCATION_SCOPE_ALL_OTHERS: RevocationScope
REVOCATION_REASON_UNSPECIFIED: RevocationReason
REVOCATION_REASON_SIGN_OUT: RevocationReason
REVOCATION_REASON_REMOTE_SIGN_OUT: RevocationReason
REVOCATION_REASON_SIGN_OUT_ALL: RevocationReason
REVOCATION_REASON_PASSWORD_CHANGED: RevocationReason
REVOCATION_REASON_DEVICE_REMOVED: RevocationReason
REVOCATION_REASON_TOKEN_REUSE: RevocationReason
REVOCATION_REASON_ACCOUNT_CLOSED: RevocationReason
DEVICE_AUTHORIZATION_STATUS_UNSPECIFIED: DeviceAuthorizationStatus
DEVICE_AUTHORIZATION_STATUS_PENDING: DeviceAuthorizationStatus
DEVICE_AUTHORIZATION_STATUS_APPROVED: DeviceAuthorizationStatus
DEVICE_AUTHORIZATION_STATUS_DENIED: DeviceAuthorizationStatus

class Device(_message.Message):
    __slots__ = ("client_id", "name", "type", "platform", "app_version")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    APP_VERSION_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    name: str
    type: DeviceType
    platform: str
    app_version: str
    def __init__(self, client_id: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[_Union[DeviceType, str]] = ..., platform: _Optional[str] = ..., app_version: _Optional[str] = ...) -> None: ...

class Session(_message.Message):
    __slots__ = ("session_id", "account_id", "device_id", "created_at", "last_used_at", "expires_at", "revoked", "profile_id", "password_confirmed_at", "recently_authenticated")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_USED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_CONFIRMED_AT_FIELD_NUMBER: _ClassVar[int]
    RECENTLY_AUTHENTICATED_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    account_id: str
    device_id: str
    created_at: _timestamp_pb2.Timestamp
    last_used_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    revoked: bool
    profile_id: str
    password_confirmed_at: _timestamp_pb2.Timestamp
    recently_authenticated: bool
    def __init__(self, session_id: _Optional[str] = ..., account_id: _Optional[str] = ..., device_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_used_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revoked: _Optional[bool] = ..., profile_id: _Optional[str] = ..., password_confirmed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., recently_authenticated: _Optional[bool] = ...) -> None: ...

class Revocation(_message.Message):
    __slots__ = ("sequence", "account_id", "scope", "reason", "session_id", "device_id", "revoked_at")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    account_id: str
    scope: RevocationScope
    reason: RevocationReason
    session_id: str
    device_id: str
    revoked_at: _timestamp_pb2.Timestamp
    def __init__(self, sequence: _Optional[int] = ..., account_id: _Optional[str] = ..., scope: _Optional[_Union[RevocationScope, str]] = ..., reason: _Optional[_Union[RevocationReason, str]] = ..., session_id: _Optional[str] = ..., device_id: _Optional[str] = ..., revoked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateAccountRequest(_message.Message):
    __slots__ = ("email", "password")
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    email: str
    password: str
    def __init__(self, email: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...

class CreateAccountResponse(_message.Message):
    __slots__ = ("account_id", "email")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    email: str
    def __init__(self, account_id: _Optional[str] = ..., email: _Optional[str] = ...) -> None: ...

class SignInRequest(_message.Message):
    __slots__ = ("email", "password", "device", "ip_address")
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    email: str
    password: str
    device: Device
    ip_address: str
    def __init__(self, email: _Optional[str] = ..., password: _Optional[str] = ..., device: _Optional[_Union[Device, _Mapping]] = ..., ip_address: _Optional[str] = ...) -> None: ...

class SignInResponse(_message.Message):
    __slots__ = ("access_token", "refresh_token", "expires_in", "session_id", "device_id", "account_id")
    ACCESS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REFRESH_TOKEN_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    access_token: str
    refresh_token: str
    expires_in: int
    session_id: str
    device_id: str
    account_id: str
    def __init__(self, access_token: _Optional[str] = ..., refresh_token: _Optional[str] = ..., expires_in: _Optional[int] = ..., session_id: _Optional[str] = ..., device_id: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class RefreshTokenRequest(_message.Message):
    __slots__ = ("refresh_token",)
    REFRESH_TOKEN_FIELD_NUMBER: _ClassVar[int]
    refresh_token: str
    def __init__(self, refresh_token: _Optional[str] = ...) -> None: ...

class RefreshTokenResponse(_message.Message):
    __slots__ = ("access_token", "refresh_token", "expires_in", "session_id", "device_id", "account_id")
    ACCESS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REFRESH_TOKEN_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    access_token: str
    refresh_token: str
    expires_in: int
    session_id: str
    device_id: str
    account_id: str
    def __init__(self, access_token: _Optional[str] = ..., refresh_token: _Optional[str] = ..., expires_in: _Optional[int] = ..., session_id: _Optional[str] = ..., device_id: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class ValidateTokenRequest(_message.Message):
    __slots__ = ("access_token",)
    ACCESS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    access_token: str
    def __init__(self, access_token: _Optional[str] = ...) -> None: ...

class ValidateTokenResponse(_message.Message):
    __slots__ = ("account_id", "session_id", "device_id", "expires_at", "profile_id", "profile_kind")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_KIND_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    session_id: str
    device_id: str
    expires_at: _timestamp_pb2.Timestamp
    profile_id: str
    profile_kind: str
    def __init__(self, account_id: _Optional[str] = ..., session_id: _Optional[str] = ..., device_id: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., profile_id: _Optional[str] = ..., profile_kind: _Optional[str] = ...) -> None: ...

class GetSessionRequest(_message.Message):
    __slots__ = ("account_id", "session_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    session_id: str
    def __init__(self, account_id: _Optional[str] = ..., session_id: _Optional[str] = ...) -> None: ...

class GetSessionResponse(_message.Message):
    __slots__ = ("session",)
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: Session
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ...) -> None: ...

class RevokeSessionsRequest(_message.Message):
    __slots__ = ("account_id", "scope", "reason", "session_id", "device_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    scope: RevocationScope
    reason: RevocationReason
    session_id: str
    device_id: str
    def __init__(self, account_id: _Optional[str] = ..., scope: _Optional[_Union[RevocationScope, str]] = ..., reason: _Optional[_Union[RevocationReason, str]] = ..., session_id: _Optional[str] = ..., device_id: _Optional[str] = ...) -> None: ...

class RevokeSessionsResponse(_message.Message):
    __slots__ = ("revocation", "receipt")
    REVOCATION_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    revocation: Revocation
    receipt: RevocationReceipt
    def __init__(self, revocation: _Optional[_Union[Revocation, _Mapping]] = ..., receipt: _Optional[_Union[RevocationReceipt, _Mapping]] = ...) -> None: ...

class ListRevocationsRequest(_message.Message):
    __slots__ = ("after_sequence", "page_size")
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    after_sequence: int
    page_size: int
    def __init__(self, after_sequence: _Optional[int] = ..., page_size: _Optional[int] = ...) -> None: ...

class ListRevocationsResponse(_message.Message):
    __slots__ = ("revocations", "last_sequence")
    REVOCATIONS_FIELD_NUMBER: _ClassVar[int]
    LAST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    revocations: _containers.RepeatedCompositeFieldContainer[Revocation]
    last_sequence: int
    def __init__(self, revocations: _Optional[_Iterable[_Union[Revocation, _Mapping]]] = ..., last_sequence: _Optional[int] = ...) -> None: ...

class WatchSessionRequest(_message.Message):
    __slots__ = ("access_token",)
    ACCESS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    access_token: str
    def __init__(self, access_token: _Optional[str] = ...) -> None: ...

class WatchSessionResponse(_message.Message):
    __slots__ = ("subscribed", "revocation", "account_revocation")
    SUBSCRIBED_FIELD_NUMBER: _ClassVar[int]
    REVOCATION_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_REVOCATION_FIELD_NUMBER: _ClassVar[int]
    subscribed: bool
    revocation: Revocation
    account_revocation: Revocation
    def __init__(self, subscribed: _Optional[bool] = ..., revocation: _Optional[_Union[Revocation, _Mapping]] = ..., account_revocation: _Optional[_Union[Revocation, _Mapping]] = ...) -> None: ...

class ChangePasswordRequest(_message.Message):
    __slots__ = ("account_id", "session_id", "current_password", "new_password", "keep_other_devices_signed_in")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    CURRENT_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    NEW_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    KEEP_OTHER_DEVICES_SIGNED_IN_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    session_id: str
    current_password: str
    new_password: str
    keep_other_devices_signed_in: bool
    def __init__(self, account_id: _Optional[str] = ..., session_id: _Optional[str] = ..., current_password: _Optional[str] = ..., new_password: _Optional[str] = ..., keep_other_devices_signed_in: _Optional[bool] = ...) -> None: ...

class ChangePasswordResponse(_message.Message):
    __slots__ = ("revocation", "receipt")
    REVOCATION_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    revocation: Revocation
    receipt: RevocationReceipt
    def __init__(self, revocation: _Optional[_Union[Revocation, _Mapping]] = ..., receipt: _Optional[_Union[RevocationReceipt, _Mapping]] = ...) -> None: ...

class CloseAccountRequest(_message.Message):
    __slots__ = ("account_id", "password")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    password: str
    def __init__(self, account_id: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...

class CloseAccountResponse(_message.Message):
    __slots__ = ("revocation", "receipt")
    REVOCATION_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    revocation: Revocation
    receipt: RevocationReceipt
    def __init__(self, revocation: _Optional[_Union[Revocation, _Mapping]] = ..., receipt: _Optional[_Union[RevocationReceipt, _Mapping]] = ...) -> None: ...

class VerifyPasswordRequest(_message.Message):
    __slots__ = ("account_id", "password")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    password: str
    def __init__(self, account_id: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...

class VerifyPasswordResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ConfirmPasswordRequest(_message.Message):
    __slots__ = ("account_id", "session_id", "profile_id", "password")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    session_id: str
    profile_id: str
    password: str
    def __init__(self, account_id: _Optional[str] = ..., session_id: _Optional[str] = ..., profile_id: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...

class ConfirmPasswordResponse(_message.Message):
    __slots__ = ("recently_authenticated_until",)
    RECENTLY_AUTHENTICATED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    recently_authenticated_until: _timestamp_pb2.Timestamp
    def __init__(self, recently_authenticated_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class IntrospectTokenRequest(_message.Message):
    __slots__ = ("token", "token_type_hint")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOKEN_TYPE_HINT_FIELD_NUMBER: _ClassVar[int]
    token: str
    token_type_hint: str
    def __init__(self, token: _Optional[str] = ..., token_type_hint: _Optional[str] = ...) -> None: ...

class IntrospectTokenResponse(_message.Message):
    __slots__ = ("active", "token_type", "account_id", "session_id", "device_id", "issued_at", "expires_at", "email", "profile_kind")
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    TOKEN_TYPE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PROFILE_KIND_FIELD_NUMBER: _ClassVar[int]
    active: bool
    token_type: str
    account_id: str
    session_id: str
    device_id: str
    issued_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    email: str
    profile_kind: str
    def __init__(self, active: _Optional[bool] = ..., token_type: _Optional[str] = ..., account_id: _Optional[str] = ..., session_id: _Optional[str] = ..., device_id: _Optional[str] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., email: _Optional[str] = ..., profile_kind: _Optional[str] = ...) -> None: ...

class RevokeTokenRequest(_message.Message):
    __slots__ = ("token", "token_type_hint")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOKEN_TYPE_HINT_FIELD_NUMBER: _ClassVar[int]
    token: str
    token_type_hint: str
    def __init__(self, token: _Optional[str] = ..., token_type_hint: _Optional[str] = ...) -> None: ...

class RevokeTokenResponse(_message.Message):
    __slots__ = ("receipt",)
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    receipt: RevocationReceipt
    def __init__(self, receipt: _Optional[_Union[RevocationReceipt, _Mapping]] = ...) -> None: ...

class SetSessionProfileRequest(_message.Message):
    __slots__ = ("account_id", "session_id", "profile_id", "profile_kind")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_KIND_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    session_id: str
    profile_id: str
    profile_kind: str
    def __init__(self, account_id: _Optional[str] = ..., session_id: _Optional[str] = ..., profile_id: _Optional[str] = ..., profile_kind: _Optional[str] = ...) -> None: ...

class SetSessionProfileResponse(_message.Message):
    __slots__ = ("access_token", "expires_in")
    ACCESS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_FIELD_NUMBER: _ClassVar[int]
    access_token: str
    expires_in: int
    def __init__(self, access_token: _Optional[str] = ..., expires_in: _Optional[int] = ...) -> None: ...

class ListSigningKeysRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListSigningKeysResponse(_message.Message):
    __slots__ = ("keys",)
    KEYS_FIELD_NUMBER: _ClassVar[int]
    keys: _containers.RepeatedCompositeFieldContainer[PublicSigningKey]
    def __init__(self, keys: _Optional[_Iterable[_Union[PublicSigningKey, _Mapping]]] = ...) -> None: ...

class PublicSigningKey(_message.Message):
    __slots__ = ("kid", "kty", "crv", "x", "alg", "use")
    KID_FIELD_NUMBER: _ClassVar[int]
    KTY_FIELD_NUMBER: _ClassVar[int]
    CRV_FIELD_NUMBER: _ClassVar[int]
    X_FIELD_NUMBER: _ClassVar[int]
    ALG_FIELD_NUMBER: _ClassVar[int]
    USE_FIELD_NUMBER: _ClassVar[int]
    kid: str
    kty: str
    crv: str
    x: str
    alg: str
    use: str
    def __init__(self, kid: _Optional[str] = ..., kty: _Optional[str] = ..., crv: _Optional[str] = ..., x: _Optional[str] = ..., alg: _Optional[str] = ..., use: _Optional[str] = ...) -> None: ...

class SyncRevocationsRequest(_message.Message):
    __slots__ = ("validator_id", "applied_sequence", "leaving")
    VALIDATOR_ID_FIELD_NUMBER: _ClassVar[int]
    APPLIED_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    LEAVING_FIELD_NUMBER: _ClassVar[int]
    validator_id: str
    applied_sequence: int
    leaving: bool
    def __init__(self, validator_id: _Optional[str] = ..., applied_sequence: _Optional[int] = ..., leaving: _Optional[bool] = ...) -> None: ...

class SyncRevocationsResponse(_message.Message):
    __slots__ = ("revocation", "lease")
    REVOCATION_FIELD_NUMBER: _ClassVar[int]
    LEASE_FIELD_NUMBER: _ClassVar[int]
    revocation: Revocation
    lease: LeaseGrant
    def __init__(self, revocation: _Optional[_Union[Revocation, _Mapping]] = ..., lease: _Optional[_Union[LeaseGrant, _Mapping]] = ...) -> None: ...

class LeaseGrant(_message.Message):
    __slots__ = ("applied_sequence", "head_sequence", "ttl")
    APPLIED_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    HEAD_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TTL_FIELD_NUMBER: _ClassVar[int]
    applied_sequence: int
    head_sequence: int
    ttl: _duration_pb2.Duration
    def __init__(self, applied_sequence: _Optional[int] = ..., head_sequence: _Optional[int] = ..., ttl: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class RevocationReceipt(_message.Message):
    __slots__ = ("sequence", "validators_acknowledged", "validators_expired", "waited_ms")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    VALIDATORS_ACKNOWLEDGED_FIELD_NUMBER: _ClassVar[int]
    VALIDATORS_EXPIRED_FIELD_NUMBER: _ClassVar[int]
    WAITED_MS_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    validators_acknowledged: int
    validators_expired: int
    waited_ms: float
    def __init__(self, sequence: _Optional[int] = ..., validators_acknowledged: _Optional[int] = ..., validators_expired: _Optional[int] = ..., waited_ms: _Optional[float] = ...) -> None: ...

class StartDeviceAuthorizationRequest(_message.Message):
    __slots__ = ("client_id", "device", "ip_address")
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    device: Device
    ip_address: str
    def __init__(self, client_id: _Optional[str] = ..., device: _Optional[_Union[Device, _Mapping]] = ..., ip_address: _Optional[str] = ...) -> None: ...

class StartDeviceAuthorizationResponse(_message.Message):
    __slots__ = ("device_code", "user_code", "expires_in", "interval")
    DEVICE_CODE_FIELD_NUMBER: _ClassVar[int]
    USER_CODE_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_FIELD_NUMBER: _ClassVar[int]
    device_code: str
    user_code: str
    expires_in: int
    interval: int
    def __init__(self, device_code: _Optional[str] = ..., user_code: _Optional[str] = ..., expires_in: _Optional[int] = ..., interval: _Optional[int] = ...) -> None: ...

class PollDeviceAuthorizationRequest(_message.Message):
    __slots__ = ("device_code", "client_id")
    DEVICE_CODE_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    device_code: str
    client_id: str
    def __init__(self, device_code: _Optional[str] = ..., client_id: _Optional[str] = ...) -> None: ...

class PollDeviceAuthorizationResponse(_message.Message):
    __slots__ = ("access_token", "refresh_token", "expires_in", "session_id", "device_id", "account_id")
    ACCESS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REFRESH_TOKEN_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    access_token: str
    refresh_token: str
    expires_in: int
    session_id: str
    device_id: str
    account_id: str
    def __init__(self, access_token: _Optional[str] = ..., refresh_token: _Optional[str] = ..., expires_in: _Optional[int] = ..., session_id: _Optional[str] = ..., device_id: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class ApproximateLocation(_message.Message):
    __slots__ = ("description", "country", "region", "city")
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    description: str
    country: str
    region: str
    city: str
    def __init__(self, description: _Optional[str] = ..., country: _Optional[str] = ..., region: _Optional[str] = ..., city: _Optional[str] = ...) -> None: ...

class DeviceAuthorization(_message.Message):
    __slots__ = ("user_code", "status", "device", "location", "requested_at", "expires_at", "approver_location", "location_differs")
    USER_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    APPROVER_LOCATION_FIELD_NUMBER: _ClassVar[int]
    LOCATION_DIFFERS_FIELD_NUMBER: _ClassVar[int]
    user_code: str
    status: DeviceAuthorizationStatus
    device: Device
    location: ApproximateLocation
    requested_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    approver_location: ApproximateLocation
    location_differs: bool
    def __init__(self, user_code: _Optional[str] = ..., status: _Optional[_Union[DeviceAuthorizationStatus, str]] = ..., device: _Optional[_Union[Device, _Mapping]] = ..., location: _Optional[_Union[ApproximateLocation, _Mapping]] = ..., requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., approver_location: _Optional[_Union[ApproximateLocation, _Mapping]] = ..., location_differs: _Optional[bool] = ...) -> None: ...

class GetDeviceAuthorizationRequest(_message.Message):
    __slots__ = ("user_code", "account_id", "session_id", "ip_address")
    USER_CODE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    user_code: str
    account_id: str
    session_id: str
    ip_address: str
    def __init__(self, user_code: _Optional[str] = ..., account_id: _Optional[str] = ..., session_id: _Optional[str] = ..., ip_address: _Optional[str] = ...) -> None: ...

class GetDeviceAuthorizationResponse(_message.Message):
    __slots__ = ("authorization",)
    AUTHORIZATION_FIELD_NUMBER: _ClassVar[int]
    authorization: DeviceAuthorization
    def __init__(self, authorization: _Optional[_Union[DeviceAuthorization, _Mapping]] = ...) -> None: ...

class ApproveDeviceAuthorizationRequest(_message.Message):
    __slots__ = ("user_code", "account_id", "session_id", "ip_address", "profile_id", "profile_kind")
    USER_CODE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    PROFILE_KIND_FIELD_NUMBER: _ClassVar[int]
    user_code: str
    account_id: str
    session_id: str
    ip_address: str
    profile_id: str
    profile_kind: str
    def __init__(self, user_code: _Optional[str] = ..., account_id: _Optional[str] = ..., session_id: _Optional[str] = ..., ip_address: _Optional[str] = ..., profile_id: _Optional[str] = ..., profile_kind: _Optional[str] = ...) -> None: ...

class ApproveDeviceAuthorizationResponse(_message.Message):
    __slots__ = ("device_id", "device")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    device: Device
    def __init__(self, device_id: _Optional[str] = ..., device: _Optional[_Union[Device, _Mapping]] = ...) -> None: ...

class DenyDeviceAuthorizationRequest(_message.Message):
    __slots__ = ("user_code", "account_id", "session_id", "ip_address")
    USER_CODE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    user_code: str
    account_id: str
    session_id: str
    ip_address: str
    def __init__(self, user_code: _Optional[str] = ..., account_id: _Optional[str] = ..., session_id: _Optional[str] = ..., ip_address: _Optional[str] = ...) -> None: ...

class DenyDeviceAuthorizationResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
