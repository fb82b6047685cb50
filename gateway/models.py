"""Every request and response shape of the HTTP API, declared once.

Request models (`Body`, `Query`, `Form`) validate what callers send, strictly (no
coercion: "5" is not a number, 1 is not true); `Say` phrases their errors. Response
models (`Shape`) name the fields the gateway shows of a service's answer:
gateway.render fills them from protobuf messages. Together they are the schemas of
/openapi.json (gateway.api). `checked_by` documents a rule that the service behind
the gateway enforces, with its own message, so the gateway does not check it twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from common.numbers import whole_number
from common.revocation import Reason, Scope
from gateway.errors import Say

DeviceType = Literal["tv", "phone", "tablet", "computer", "browser", "console", "streaming_player"]
DeviceStatus = Literal["active", "signed_out", "removed"]
ProfileKind = Literal["owner", "standard", "kids"]
MaturityLevel = Literal["all", "7+", "13+", "16+", "18+"]
DenyReason = Literal["maturity", "blocked_title", "outside_schedule", "pin_required", "signed_out", "profile_deleted"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
ActivityKind = Literal["sign_in", "playback"]
ExportFormat = Literal["json", "csv"]
DownloadStatus = Literal["active", "cancelled"]
Delivery = Literal["applied", "pending"]
TokenTypeHint = Literal["access_token", "refresh_token"]
# What Python's str.isspace() (and so str.strip() and re's \s) calls whitespace, for the JSON Schema patterns of
# rules the services check in Python: ECMA-262's \s is a different set.
SPACE = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
EMAIL_PATTERN = rf"^[{SPACE}]*[^@{SPACE}]+@[^@{SPACE}]+\.[^@{SPACE}]+[{SPACE}]*$"


def checked_by(service: str, rule: str, **schema: Any) -> Any:
    """A rule `service` enforces (its message, its error code): documented here, not checked twice."""
    return Field(description=f"{rule} ({service} checks this).", json_schema_extra=schema)


class Body(BaseModel):
    """A JSON request body; unknown fields are ignored."""

    model_config = ConfigDict(strict=True, extra="ignore")


class Query(BaseModel):
    """Query parameters (each a string on the wire)."""

    model_config = ConfigDict(strict=True, extra="ignore")


class Form(BaseModel):
    """An application/x-www-form-urlencoded body."""

    model_config = ConfigDict(strict=True, extra="ignore")


def _all_required(schema: dict[str, Any]) -> None:
    schema["required"] = list(schema.get("properties", {}))


class Shape(BaseModel):
    """A response: the gateway always sends every field (null where the service has no value)."""

    model_config = ConfigDict(json_schema_extra=_all_required)


# --- request fields ------------------------------------------------------------------------------------------

Email = Annotated[
    str,
    Field(min_length=1, max_length=254, examples=["ada@example.com"]),
    checked_by("auth_service", "An email address such as name@example.com", pattern=EMAIL_PATTERN),
]
Password = Annotated[str, Field(min_length=1, max_length=128, examples=["correct horse battery staple"])]
NEW_PASSWORD = Say(reasons={"empty": "password_too_short", "too_long": "password_too_long"})
NewPassword = Annotated[
    Password,
    NEW_PASSWORD,
    checked_by(
        "auth_service",
        "8 to 128 characters after Unicode NFKC normalisation (spaces at either end not counted towards 8), "
        "not one of the 10,000 most common passwords; refused with 400 password_too_short, password_too_long "
        "or password_too_common",
        minLength=8,
    ),
]
Id = Annotated[str, Field(min_length=1, max_length=128, examples=["t-robo-rangers"])]
OptionalId = Annotated[str | None, Field(max_length=128, examples=["9f1c2b7e-4d0a-4c3e-9a55-0b6f1e2d3c4b"])]
ProfileName = Annotated[
    str,
    Field(min_length=1, max_length=50, examples=["Robin"]),
    checked_by("parental_service", "1 to 50 characters once surrounding spaces are removed", pattern=rf"[^{SPACE}]"),
]
DeviceTypeWord = Annotated[DeviceType, Say(reasons={"choice": "invalid_device_type"})]
Kind = Annotated[ProfileKind, Say(reasons={"choice": "invalid_profile_kind"})]
Maturity = Annotated[MaturityLevel, Say(reasons={"choice": "invalid_maturity_level"})]
PIN_FORMAT = Say(messages={"pattern": "'{label}' must be exactly 4 digits."}, reasons={"pattern": "invalid_pin"})
Pin = Annotated[str, Field(min_length=1, max_length=4, pattern=r"^[0-9]{4}$", examples=["0427"]), PIN_FORMAT]
OptionalPin = Annotated[str | None, Field(max_length=4, pattern=r"^([0-9]{4})?$", examples=["0427"]), PIN_FORMAT]
INCLUDE_CURRENT = "'include_current' is required and must be true or false."
MAX_PAGE_SIZE = 100


def _whole(value: object) -> object:
    """A JSON number with no fraction (1440.0) as the integer it equals: JSON Schema's integer counts it as one."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


StartMinute = Annotated[
    int,
    Field(ge=0, le=1439),
    BeforeValidator(_whole),
    Say(messages=dict.fromkeys(("missing", "int", "range"), "'{label}' must be a whole number from 0 to 1439.")),
]
EndMinute = Annotated[
    int,
    Field(ge=1, le=1440, description="Later than start_minute."),
    BeforeValidator(_whole),
    Say(messages=dict.fromkeys(("missing", "int", "range"), "'{label}' must be a whole number from 1 to 1440.")),
]


def _page_size(value: object) -> int:
    """Whole ASCII digits from 1 to 100; empty means the service's default (0)."""
    if value == "":
        return 0
    size = whole_number(value, MAX_PAGE_SIZE) if isinstance(value, str) else None
    if size is None or size < 1:
        raise PydanticCustomError("range", "page_size out of range")
    return size


def _flag(value: object) -> bool:
    text = value.lower() if isinstance(value, str) else ""
    if text not in ("true", "false", "1", "0"):
        raise PydanticCustomError("flag", "not true or false")
    return text in ("true", "1")


def _known_hint(hint: str) -> str:
    return hint if hint in ("access_token", "refresh_token") else ""


PageSize = Annotated[
    int,
    PlainValidator(_page_size),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "examples": [20]}),
    Say(messages={"range": f"'{{label}}' must be a whole number from 1 to {MAX_PAGE_SIZE}."}),
]
BAD_PAGE_TOKEN = "'{label}' is not valid: pass the next_page_token of a previous page, or leave it empty."
PageToken = Annotated[
    str,
    Field(max_length=4096, description="The next_page_token of the previous page."),
    Say(messages={"pattern": BAD_PAGE_TOKEN}),
]
# The gateway checks each token's alphabet, as the schema states it; only the service knows which tokens it issued.
DevicePageToken = Annotated[
    PageToken, Field(pattern="^[A-Za-z0-9_-]*$", examples=["WzE3NjQxMDAxMDAwMDAwMDAsImRldi0xIl0"])
]
ParentalPageToken = Annotated[PageToken, Field(pattern="^[0-9]{0,18}$", examples=["50"])]
Flag = Annotated[bool, PlainValidator(_flag), WithJsonSchema({"type": "boolean"})]


# --- request bodies, queries and forms ------------------------------------------------------------------------


class NewAccount(Body):
    email: Email
    password: NewPassword


class DeviceInfo(Body):
    client_id: Annotated[str, Field(min_length=1, max_length=128, examples=["living-room-tv-7f3a"])]
    name: Annotated[str, Field(min_length=1, max_length=100, examples=["Living room TV"])]
    type: DeviceTypeWord
    platform: Annotated[str | None, Field(max_length=100, examples=["Tizen 8"])] = None
    app_version: Annotated[str | None, Field(max_length=50, examples=["6.2.1"])] = None


class SignIn(Body):
    email: Email
    password: Password
    device: DeviceInfo


class Refresh(Body):
    refresh_token: Annotated[str, Field(min_length=1, max_length=4096, examples=["rt-2c9f41d8e0b7"])]


class SignOutAll(Body):
    include_current: Annotated[bool, Say(messages={"missing": INCLUDE_CURRENT, "flag": INCLUDE_CURRENT})]


class PasswordChange(Body):
    current_password: Password
    new_password: NewPassword
    sign_out_other_devices: bool = True


class PasswordCheck(Body):
    password: Annotated[Password, Field(description="The account password.")]


class Confirmable(Body):
    """The body of an account-level change: the account password, if given, confirms it right here; without it,
    the session must have entered it recently (POST /v1/session/confirm-password)."""

    password: Annotated[
        Password | None,
        Field(description="The account password; optional while this session entered it within STEP_UP_SECONDS."),
    ] = None


class NewProfile(Body):
    name: ProfileName
    kind: Kind
    maturity_level: Annotated[MaturityLevel | None, Say(reasons={"choice": "invalid_maturity_level"})] = None


class Rename(Body):
    name: ProfileName


class Select(Body):
    pin: OptionalPin = None


class MaturityChange(Confirmable):
    maturity_level: Maturity


class PinChange(Confirmable):
    pin: Pin


class BlockTitle(Confirmable):
    title_id: Id


class Window(Body):
    weekday: Annotated[Weekday, Say(reasons={"choice": "invalid_weekday"})]
    start_minute: StartMinute
    end_minute: EndMinute

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Self:
        if self.end_minute <= self.start_minute:
            raise PydanticCustomError("order", "end_minute must be after start_minute")
        return self


class Schedule(Confirmable):
    time_zone: Annotated[
        str,
        Field(min_length=1, max_length=64, examples=["Europe/Lisbon"]),
        checked_by("parental_service", "An IANA time zone name, when there are windows"),
    ]
    windows: Annotated[
        list[Window],
        Field(max_length=7 * 24),
        Say(
            messages={
                "missing": "'windows' is required and must be a list; an empty list removes the schedule.",
                "list": "'windows' is required and must be a list; an empty list removes the schedule.",
                "too_many": "'windows' must have at most {max_length} entries.",
                "order": "'{label}.end_minute' must be after start_minute.",
            }
        ),
    ]


class PlaybackStart(Body):
    profile_id: Annotated[
        OptionalId,
        Field(description="Required until this device selects a profile; then, if given, it must be that profile."),
    ] = None
    title_id: Id


class DownloadStart(Body):
    title_id: Id
    profile_id: Annotated[OptionalId, Field(description="As in POST /v1/playback.")] = None


class DevicePageQuery(Query):
    page_size: PageSize = 0
    page_token: DevicePageToken = ""


class DeviceActivityQuery(DevicePageQuery):
    format: Annotated[
        ExportFormat | None,
        Field(
            description="Download the device's whole history as a file (Content-Disposition: attachment), newest "
            "first: json (the default format: this page's shape, every entry, no next page) or csv (a header row, "
            "then one row per entry). page_size and page_token do not apply. Without it, one page as JSON."
        ),
        Say(reasons={"choice": "invalid_format"}),
    ] = None


class DeviceListQuery(DevicePageQuery):
    include_inactive: Annotated[Flag, Field(description="Also list removed and signed-out devices.")] = False


class ViewingQuery(Query):
    profile_name: Annotated[
        str,
        Field(min_length=1, max_length=100, examples=["Robin"]),
        Say(
            messages=dict.fromkeys(("missing", "empty"), "'profile_name' is required: whose viewing activity to list.")
        ),
    ]
    page_size: PageSize = 0
    page_token: DevicePageToken = ""


class UserCodeQuery(Query):
    code: Annotated[
        str,
        Field(
            description="A TV's user code: 8 letters of BCDFGHJKLMNPQRSTVWXZ, in any case; dashes and spaces are "
            "ignored. Checked for its form only, never looked up (the gateway checks this: 400 invalid_user_code).",
            examples=["BCDF-GHJK"],
            json_schema_extra={"pattern": USER_CODE_PATTERN, "maxLength": USER_CODE_INPUT_MAX},
        ),
    ]


class ParentalPageQuery(Query):
    page_size: PageSize = 0
    page_token: ParentalPageToken = ""


class AuditQuery(ParentalPageQuery):
    profile_id: Annotated[
        str,
        BeforeValidator(lambda value: value[:128] if isinstance(value, str) else value),
        Field(
            description="Only this profile's events; longer values are cut to 128 characters.",
            examples=["9f1c2b7e-4d0a-4c3e-9a55-0b6f1e2d3c4b"],
        ),
    ] = ""


class TokenForm(Form):
    """The client authenticates with HTTP Basic, or instead with client_id and client_secret fields here."""

    token: Annotated[
        str,
        Field(min_length=1, max_length=4096, examples=["at-5d0e77c1"]),
        Say(messages=dict.fromkeys(("missing", "empty"), "The 'token' parameter is required.")),
    ]
    token_type_hint: Annotated[
        str,
        AfterValidator(_known_hint),
        Field(description="access_token or refresh_token; any other hint is ignored.", examples=["access_token"]),
    ] = ""


DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
USER_CODE_PATTERN = r"^[ -]*([BCDFGHJKLMNPQRSTVWXZbcdfghjklmnpqrstvwxz][ -]*){8}$"
USER_CODE_INPUT_MAX = 64
"""A device's user code as a person may enter it: 8 letters of RFC 8628's consonant alphabet, any case, dashes and
spaces anywhere (auth_service normalises it; the path parameter's schema in /openapi.json)."""


def _required_once(message: str) -> Say:
    return Say(messages=dict.fromkeys(("missing", "empty"), message))


class DeviceAuthorizationRequest(Form):
    """RFC 8628 section 3.1: a device asks for a sign-in code. `client_id` is the device app's public OAuth client
    (GATEWAY_DEVICE_FLOW_CLIENTS, `tv-app` in the demo; no secret); the `device_*` fields describe the device as
    the device list will show it, `device_client_id` being the install's own stable id."""

    client_id: Annotated[
        str,
        Field(min_length=1, max_length=128, examples=["tv-app"]),
        _required_once("The 'client_id' parameter is required."),
    ]
    device_client_id: Annotated[
        str,
        Field(min_length=1, max_length=128, examples=["living-room-tv-7f3a"]),
        _required_once("The 'device_client_id' parameter is required."),
    ]
    device_name: Annotated[
        str,
        Field(min_length=1, max_length=100, examples=["Living room TV"]),
        _required_once("The 'device_name' parameter is required."),
    ]
    device_type: DeviceTypeWord
    scope: Annotated[str, Field(max_length=200, description="Ignored: a device's session has every scope.")] = ""


class Approval(Body):
    profile_id: Annotated[
        OptionalId,
        Field(
            description="The profile the device's session enters (the account's; not one with a PIN, which is "
            "entered on the device itself). Omitted: none, as after a password sign-in."
        ),
    ] = None


# --- responses -----------------------------------------------------------------------------------------------

Time = Annotated[
    datetime | None,
    Field(
        description="ISO 8601 in UTC with a Z; null when it never happened.", examples=["2026-11-25T19:55:00.000000Z"]
    ),
]


class From:
    """Response field metadata: the protobuf field it is read from, where its name differs."""

    def __init__(self, name: str) -> None:
        self.name = name


class Account(Shape):
    account_id: str
    email: str


class TokenPair(Shape):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: Annotated[int, Field(examples=[900])]
    session_id: str
    device_id: str


class Session(Shape):
    session_id: str
    account_id: str
    device_id: str
    created_at: Annotated[
        datetime | None, Field(description="When the session signed in.", examples=["2026-11-25T19:55:00.000000Z"])
    ]
    last_used_at: Annotated[
        datetime | None,
        Field(
            description="When the access token presented was issued: the session's last sign-in or token refresh "
            "(the gateway answers from the token, so later uses of the same token do not move it).",
            examples=["2026-11-25T20:10:00.000000Z"],
        ),
    ]
    expires_at: Annotated[
        datetime | None,
        Field(
            description="When the session ends at the latest, whatever its use; null for a token minted before "
            "tokens carried it.",
            examples=["2026-12-25T19:55:00.000000Z"],
        ),
    ]
    revoked: Annotated[bool, Field(description="Always false: a revoked session's token is refused with 401.")]
    profile_id: Annotated[
        str,
        Field(
            description="The profile this session entered (selected, or chosen when its device was approved with a "
            "code); empty before any.",
            examples=["9f1c2b7e-4d0a-4c3e-9a55-0b6f1e2d3c4b"],
        ),
    ]


class PasswordConfirmed(Shape):
    recently_authenticated_until: Annotated[
        datetime,
        Field(
            description="Until when this session may make account-level changes without entering the password "
            "again (STEP_UP_SECONDS from now); selecting another profile ends it sooner.",
            examples=["2026-11-25T20:05:00.000000Z"],
        ),
    ]


class Location(Shape):
    country: Annotated[str, Field(examples=["PT"])]
    region: str
    city: str
    description: Annotated[str, Field(examples=["Portugal"])]


class Device(Shape):
    device_id: str
    name: Annotated[str, Field(examples=["Living room TV"])]
    type: DeviceType
    platform: str
    app_version: str
    status: DeviceStatus
    first_seen_at: Time
    last_seen_at: Time
    last_ip_address: Annotated[str, Field(examples=["192.0.2.10"])]
    location: Location
    last_profile_name: str
    last_title: str
    last_watched_at: Time
    current: Annotated[bool, Field(description="The caller's own device.")]
    unusual_location: Annotated[
        bool,
        Field(
            description="Last seen in a country none of the account's other devices signed in from in the last 90 "
            "days (DEVICE_USUAL_LOCATION_DAYS): was it lost or stolen? Computed on the device list and GET "
            "/v1/devices/{device_id}; false in other answers."
        ),
    ]


class DeviceAuthorizationGrant(Shape):
    """RFC 8628 section 3.2: what the device shows (the user code, and a QR code of verification_uri_complete)
    and polls with."""

    device_code: Annotated[str, Field(description="Opaque; the device polls /oauth2/token with it.")]
    user_code: Annotated[str, Field(description="8 letters, shown as XXXX-XXXX.", examples=["BCDF-GHJK"])]
    verification_uri: Annotated[str, Field(examples=["https://tv.example.com/tv"])]
    verification_uri_complete: Annotated[str, Field(examples=["https://tv.example.com/tv?code=BCDFGHJK"])]
    expires_in: Annotated[int, Field(description="Seconds the codes live.", examples=[600])]
    interval: Annotated[int, Field(description="Seconds to wait between polls.", examples=[5])]


class RequestingDevice(Shape):
    name: Annotated[str, Field(examples=["Living room TV"])]
    type: DeviceType


class DeviceAuthorization(Shape):
    """A device waiting to sign in with a code, as its approver sees it (RFC 8628 section 5.4: check that it is
    yours before approving)."""

    user_code: Annotated[str, Field(examples=["BCDF-GHJK"])]
    status: Literal["pending"]
    device: RequestingDevice
    location: Annotated[Location, Field(description="Where the device asked from, roughly.")]
    requested_at: Annotated[Time, Field(description="When the device asked.")]
    expires_at: Annotated[Time, Field(description="When the code stops working.")]
    location_differs: Annotated[
        bool, Field(description="The device asked from somewhere else than where the approver is: warn.")
    ]
    approver_location: Annotated[Location, Field(description="Where the approver's request came from, roughly.")]


class DeviceApproved(Shape):
    status: Literal["approved"]
    device_id: str
    device: RequestingDevice


class DeviceDenied(Shape):
    status: Literal["denied"]


class DevicePage(Shape):
    devices: list[Device]
    next_page_token: str


class DeviceAnswer(Shape):
    device: Device


class Revocation(Shape):
    sequence: int
    scope: Scope
    reason: Reason
    session_id: str | None
    device_id: str | None
    revoked_at: Time


Propagation = Annotated[
    dict[Literal["device_service", "parental_service"], Delivery],
    Field(description="Per service: applied, or pending (it catches up from the revocation feed)."),
]


class Receipt(Shape):
    """Which validators (every auth_service replica and gateway) applied the revocation before this answer."""

    sequence: Annotated[int, Field(description="The revocation's sequence in the feed.")]
    validators_acknowledged: Annotated[int, Field(description="Validators that applied it before the answer.")]
    validators_expired: Annotated[
        int,
        Field(
            description="Validators that did not, and whose lease ran out instead: they refuse every token "
            "until they have caught up."
        ),
    ]
    waited_ms: Annotated[float, Field(description="How long the revocation waited for them, in milliseconds.")]


class SignOutResult(Shape):
    revocation: Revocation
    propagation: Propagation
    receipt: Receipt


class PasswordChangeResult(Shape):
    revocation: Annotated[Revocation | None, Field(description="null when the other devices stay signed in.")]
    propagation: Propagation
    receipt: Annotated[Receipt | None, Field(description="null when the other devices stay signed in.")]


class DeviceRemoval(Shape):
    revocation: Revocation
    propagation: Propagation
    device: Device
    receipt: Receipt


class StreamingActivity(Shape):
    kind: ActivityKind
    ip_address: str
    location: Location
    occurred_at: Time


class StreamingActivityPage(Shape):
    activities: list[StreamingActivity]
    next_page_token: str


class ViewingActivity(Shape):
    title: str
    profile_name: str
    device_id: str
    device_name: str
    device_type: DeviceType
    watched_at: Time
    location: Location


class ViewingActivityPage(Shape):
    activities: list[ViewingActivity]
    next_page_token: str


class Profile(Shape):
    profile_id: str
    name: Annotated[str, Field(examples=["Robin"])]
    kind: ProfileKind
    maturity_level: MaturityLevel
    has_pin: bool
    locked_until: Time


class ProfileList(Shape):
    profiles: list[Profile]


class ProfileAnswer(Shape):
    profile: Profile


class SelectedProfile(Shape):
    profile: Profile
    access_token: Annotated[str, Field(description="Replaces the caller's access token: it carries the profile.")]
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int


class StoppedPlayback(Shape):
    device_id: str
    profile_id: str
    title_id: str
    reason: DenyReason
    message: str


class PlaybackStopped(Shape):
    """The data of the `playback_stopped` event."""

    title_id: str
    reason: DenyReason
    message: str


class ServerSentEvent(Shape):
    """One event of GET /v1/events (text/event-stream): its `event:` and `data:` lines."""

    event: Literal["ready", "devices", "playback_stopped", "revoked"]
    data: Annotated[
        str,
        Field(
            description="JSON: {} for ready, a Revocation for devices and revoked, a PlaybackStopped for "
            "playback_stopped.",
            examples=["{}"],
        ),
    ]


class Stops(Shape):
    stopped_playbacks: list[StoppedPlayback] = []


class ProfileChange(Stops):
    profile: Profile


class ViewingSchedule(Shape):
    time_zone: str
    windows: list[Window]


class ProfileRules(Shape):
    profile: Profile
    blocked_title_ids: list[str]
    schedule: ViewingSchedule | None


class Title(Shape):
    title_id: str
    name: str
    maturity_rating: MaturityLevel


class TitlePage(Shape):
    titles: list[Title]
    next_page_token: str


class Actor(Shape):
    device_id: str
    profile_id: str | None


class AuditEvent(Shape):
    event_id: str
    profile_id: str
    occurred_at: Time
    change: Annotated[str, Field(examples=["pin"])]
    old_value: str
    new_value: str
    actor: Actor


class AuditPage(Shape):
    events: list[AuditEvent]
    next_page_token: str


class PlaybackDecision(Shape):
    allowed: bool
    reason: Annotated[DenyReason | None, Field(description="null when allowed.")]
    message: str
    title: Title | None


class Ended(Shape):
    ended: Annotated[bool, Field(description="Whether this device was playing.")]


class Download(Shape):
    download_id: str
    device_id: str
    profile_name: str
    title: str
    status: DownloadStatus
    downloaded_at: Time
    cancelled_at: Time
    cancel_reason: Annotated[str | None, Field(examples=["device_removed"])]


class DownloadAnswer(Shape):
    download: Download


class DownloadPage(Shape):
    downloads: list[Download]
    next_page_token: str


class License(Shape):
    valid: bool
    reason: Annotated[str | None, Field(description="Why not, when not valid.", examples=[None])]
    download: Download


class Introspection(BaseModel):
    """RFC 7662: exactly {"active": false} for a token that is not active."""

    model_config = ConfigDict(json_schema_extra={"required": ["active"]})

    active: bool
    token_type: Annotated[Literal["Bearer"], Field(description="RFC 6749 section 7.1: how the token is presented.")]
    token_use: Annotated[
        TokenTypeHint,
        From("token_type"),
        Field(description="Which token this is: only an access_token may be accepted as a bearer token."),
    ]
    scope: Annotated[
        str,
        Field(
            description="streaming, and account outside a kids profile (see the authorization server metadata).",
            examples=["streaming account"],
        ),
    ]
    client_id: Annotated[
        str,
        Field(
            description="The client the token was issued to: always the first-party app, remote-signout-app.",
            examples=["remote-signout-app"],
        ),
    ]
    username: Annotated[str, From("email"), Field(description="The account's email.", examples=["ada@example.com"])]
    sub: Annotated[str, From("account_id"), Field(description="The account id.")]
    sid: Annotated[str, From("session_id"), Field(description="The session id.")]
    device_id: str
    iat: Annotated[int | None, From("issued_at"), Field(examples=[1_700_000_000])]
    exp: Annotated[int | None, From("expires_at"), Field(examples=[1_700_000_900])]
    iss: Literal["remote-signout"] = "remote-signout"


class JWK(Shape):
    kty: Literal["OKP"]
    crv: Literal["Ed25519"]
    x: Annotated[
        str,
        Field(
            description="The public key, base64url without padding.",
            examples=["11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"],
        ),
    ]
    kid: Annotated[
        str,
        Field(description="The key id, as in the `kid` header of the tokens it signed.", examples=["k-20261125-01"]),
    ]
    alg: Literal["EdDSA"]
    use: Literal["sig"]


class JWKSet(Shape):
    keys: list[JWK]


HealthStatus = Literal["SERVING", "NOT_SERVING", "UNKNOWN", "SERVICE_UNKNOWN", "UNREACHABLE"]


class Health(Shape):
    status: Annotated[
        Literal["ok", "degraded", "unavailable"],
        Field(
            description="ok: every service serving; degraded: one is not (its routes answer 503); unavailable: "
            "this gateway cannot check tokens (HTTP 503)."
        ),
    ]
    services: Annotated[
        dict[str, HealthStatus],
        Field(examples=[{"auth_service": "SERVING", "device_service": "SERVING", "parental_service": "SERVING"}]),
    ]


class ErrorDetail(Shape):
    code: Annotated[str, Field(description="A machine-readable word, such as device_banned.")]
    message: Annotated[str, Field(description="What went wrong, for a person.")]


class Error(Shape):
    error: ErrorDetail


class OAuthError(Shape):
    """RFC 6749 section 5.2, the shape of every error under /oauth2/."""

    error: Literal[
        "invalid_request",
        "invalid_client",
        "invalid_grant",
        "unsupported_grant_type",
        "slow_down",
        "authorization_pending",
        "access_denied",
        "expired_token",
        "too_many_requests",
        "temporarily_unavailable",
        "server_error",
    ]
    error_description: Annotated[str, Field(description="What went wrong, for a person.")]


def _one_grant_each(schema: dict[str, Any]) -> None:
    """Each grant_type with the parameters it needs, as JSON Schema's oneOf."""
    schema["required"] = ["grant_type"]
    schema["oneOf"] = [
        {"properties": {"grant_type": {"const": "refresh_token"}}, "required": ["grant_type", "refresh_token"]},
        {
            "properties": {"grant_type": {"const": DEVICE_CODE_GRANT}, "client_id": {"minLength": 1}},
            "required": ["grant_type", "device_code", "client_id"],
        },
    ]


class TokenGrant(Form):
    """RFC 6749 section 6: a refresh token for a new token pair; or RFC 8628 section 3.4: a device's poll with its
    device code, for the tokens of its new session once a person approved it. Public clients, no secret: for a
    refresh a client_id, if sent, must be remote-signout-app; for a device code it is the device app's client
    (tv-app in the demo) the code was issued to. The schema states each grant with its parameters; the server
    answers any other grant_type with RFC 6749's unsupported_grant_type and a missing parameter with
    invalid_request. A device's poll answers RFC 8628 section 3.5's errors: authorization_pending, slow_down
    (polled before the interval: it grows by 5 s), access_denied, expired_token; invalid_grant for an unknown
    device code or one whose tokens were already issued."""

    model_config = ConfigDict(json_schema_extra=_one_grant_each)

    grant_type: Annotated[
        str,
        Field(
            min_length=1,
            max_length=64,
            description=f"refresh_token or {DEVICE_CODE_GRANT}",
            examples=["refresh_token"],
            json_schema_extra={"enum": ["refresh_token", DEVICE_CODE_GRANT]},
        ),
        Say(messages=dict.fromkeys(("missing", "empty"), "The 'grant_type' parameter is required.")),
    ]
    refresh_token: Annotated[
        str,
        Field(max_length=4096, examples=["rt-2c9f41d8e0b7"], json_schema_extra={"minLength": 1}),
        Say(messages={"too_long": "The 'refresh_token' parameter is not a refresh token."}),
    ] = ""
    device_code: Annotated[
        str,
        Field(
            max_length=256, examples=["GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS"], json_schema_extra={"minLength": 1}
        ),
        Say(messages={"too_long": "The 'device_code' parameter is not a device code."}),
    ] = ""
    client_id: Annotated[str, Field(max_length=128, examples=["remote-signout-app"])] = ""


class AuthorizationServerMetadata(Shape):
    """RFC 8414: where the OAuth endpoints are and what they support."""

    issuer: Annotated[str, Field(examples=["https://tv.example.com"])]
    token_endpoint: Annotated[str, Field(examples=["https://tv.example.com/oauth2/token"])]
    token_endpoint_auth_methods_supported: list[Literal["none"]]
    grant_types_supported: list[Literal["refresh_token", "urn:ietf:params:oauth:grant-type:device_code"]]
    device_authorization_endpoint: Annotated[
        str, Field(examples=["https://tv.example.com/oauth2/device_authorization"])
    ]
    response_types_supported: Annotated[list[str], Field(description="None: there is no authorization endpoint.")]
    revocation_endpoint: Annotated[str, Field(examples=["https://tv.example.com/oauth2/revoke"])]
    revocation_endpoint_auth_methods_supported: list[Literal["client_secret_basic", "client_secret_post"]]
    introspection_endpoint: Annotated[str, Field(examples=["https://tv.example.com/oauth2/introspect"])]
    introspection_endpoint_auth_methods_supported: list[Literal["client_secret_basic", "client_secret_post"]]
    jwks_uri: Annotated[str, Field(examples=["https://tv.example.com/.well-known/jwks.json"])]
    scopes_supported: list[Literal["streaming", "account"]]
    service_documentation: Annotated[str, Field(examples=["https://tv.example.com/openapi.json"])]
