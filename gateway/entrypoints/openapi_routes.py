"""The OpenAPI description of device removal, activity, downloads, account settings, OAuth,
profiles' parental controls and playback."""

from __future__ import annotations

from typing import Any

from gateway.domain.activity import DOWNLOAD_STATUSES, STREAMING_ACTIVITY_KINDS
from gateway.domain.model import DEVICE_TYPES, MATURITY_LEVELS
from gateway.domain.parental import DENY_REASONS, WEEKDAYS
from gateway.entrypoints.openapi_kit import (
    DEVICE_ID,
    PAGE,
    TIME,
    answer,
    obj,
    path_param,
    query_param,
    ref,
    string,
)

PROPAGATION = obj({"device_service": string(enum=["applied", "pending"]),
                   "parental_service": string(enum=["applied", "pending"])})
LOCATION = obj({"country": string(), "region": string(), "city": string(), "description": string()})
NULLABLE = {"type": ["string", "null"]}
PASSWORD = string(128, description="The account password.")
PROFILE_ID = [path_param("profile_id")]
SETTINGS = ("400", "401", "403", "404", "422")
GUARDED = ("401", "403", "404", "422", "503")


def array(item: str) -> dict[str, Any]:
    return {"type": "array", "items": ref(item)}


def page(item: str, name: str) -> dict[str, Any]:
    return obj({name: array(item), "next_page_token": string()})


def with_params(operation: dict[str, Any], params: list[dict[str, Any]]) -> dict[str, Any]:
    return {**operation, "parameters": params}


def oauth(description: str, answer_schema: dict[str, Any] | None) -> dict[str, Any]:
    success: dict[str, Any] = {"description": description}
    if answer_schema:
        success["content"] = {"application/json": {"schema": answer_schema}}
    oauth_error = {"content": {"application/json": {"schema": obj({"error": string()}, ["error"])}}}
    return {
        "summary": description,
        "security": [{"oauthClient": []}],
        "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": ref(
            "TokenForm")}}},
        "responses": {
            "200": success,
            "400": {"description": "`invalid_request`: not form-encoded, or no `token`.", **oauth_error},
            "401": {"description": "`invalid_client`: bad or missing client authentication.", **oauth_error},
        },
    }


MORE_SCHEMAS: dict[str, Any] = {
    "DeviceRemoval": obj({"revocation": ref("Revocation"), "propagation": PROPAGATION, "device": ref("Device")}),
    "DeviceAnswer": obj({"device": ref("Device")}),
    "StreamingActivity": obj({"kind": string(enum=list(STREAMING_ACTIVITY_KINDS)), "ip_address": string(),
                              "location": LOCATION, "occurred_at": TIME}),
    "ViewingActivity": obj({"title": string(), "profile_name": string(), "device_id": string(),
                            "device_name": string(), "device_type": string(enum=list(DEVICE_TYPES)),
                            "watched_at": TIME, "location": LOCATION}),
    "StreamingActivityPage": page("StreamingActivity", "activities"),
    "ViewingActivityPage": page("ViewingActivity", "activities"),
    "PasswordChange": obj({"current_password": PASSWORD, "new_password": string(128),
                           "sign_out_other_devices": {"type": "boolean", "default": True}},
                          ["current_password", "new_password"]),
    "PasswordChangeResult": obj({"revocation": {"oneOf": [ref("Revocation"), {"type": "null"}]},
                                 "propagation": PROPAGATION}),
    "Password": obj({"password": PASSWORD}, ["password"]),
    "TokenForm": obj({"token": string(), "token_type_hint": string(enum=["access_token", "refresh_token"]),
                      "client_id": string(), "client_secret": string()}, ["token"]),
    "Introspection": obj({"active": {"type": "boolean"}, "token_type": string(enum=["access_token", "refresh_token"]),
                          "sub": string(), "sid": string(), "device_id": string(), "iat": {"type": "integer"},
                          "exp": {"type": "integer"}, "iss": string(), "client_id": string()}, ["active"]),
    "Title": obj({"title_id": string(), "name": string(), "maturity_rating": string(enum=list(MATURITY_LEVELS))}),
    "TitlePage": page("Title", "titles"),
    "PlaybackStart": obj({"profile_id": string(128), "title_id": string(128)}, ["profile_id", "title_id"]),
    "PlaybackDecision": obj({"allowed": {"type": "boolean"}, "reason": {"type": ["string", "null"],
                                                                        "enum": [*DENY_REASONS, None]},
                             "message": string(), "title": {"oneOf": [ref("Title"), {"type": "null"}]}}),
    "PlaybackStop": obj({"device_id": string(), "profile_id": string(), "title_id": string(),
                         "reason": string(enum=list(DENY_REASONS)), "message": string()}),
    "ProfileChange": obj({"profile": ref("Profile"), "stopped_playbacks": array("PlaybackStop")}),
    "ProfileAnswer": obj({"profile": ref("Profile")}),
    "Select": obj({"pin": string(4, pattern="^[0-9]{4}$")}),
    "Rename": obj({"name": string(50)}, ["name"]),
    "Maturity": obj({"maturity_level": string(enum=list(MATURITY_LEVELS)), "password": PASSWORD},
                    ["maturity_level", "password"]),
    "Pin": obj({"pin": string(4, pattern="^[0-9]{4}$"), "password": PASSWORD}, ["pin", "password"]),
    "BlockTitle": obj({"title_id": string(128), "password": PASSWORD}, ["title_id", "password"]),
    "ViewingWindow": obj({"weekday": string(enum=list(WEEKDAYS)),
                          "start_minute": {"type": "integer", "minimum": 0, "maximum": 1439},
                          "end_minute": {"type": "integer", "minimum": 1, "maximum": 1440}},
                         ["weekday", "start_minute", "end_minute"]),
    "Schedule": obj({"time_zone": string(64), "windows": array("ViewingWindow"), "password": PASSWORD},
                    ["time_zone", "windows", "password"]),
    "ProfileRules": obj({"profile": ref("Profile"), "blocked_title_ids": {"type": "array", "items": string()},
                         "schedule": {"oneOf": [obj({"time_zone": string(), "windows": array("ViewingWindow")}),
                                                {"type": "null"}]}}),
    "AuditPage": obj({"events": {"type": "array", "items": obj({
        "event_id": string(), "profile_id": string(), "occurred_at": TIME, "change": string(),
        "old_value": string(), "new_value": string(),
        "actor": obj({"device_id": string(), "profile_id": NULLABLE})})}, "next_page_token": string()}),
    "DownloadStart": obj({"title_id": string(128), "profile_id": string(128)}, ["title_id"]),
    "Download": obj({"download_id": string(), "device_id": string(), "profile_name": string(), "title": string(),
                     "status": string(enum=list(DOWNLOAD_STATUSES)), "downloaded_at": TIME, "cancelled_at": TIME,
                     "cancel_reason": NULLABLE}),
    "DownloadAnswer": obj({"download": ref("Download")}),
    "DownloadPage": page("Download", "downloads"),
    "License": obj({"valid": {"type": "boolean"}, "reason": NULLABLE, "download": ref("Download")}),
    "JWK": obj({"kty": string(enum=["OKP"]), "crv": string(enum=["Ed25519"]),
                "x": string(description="The public key, base64url without padding."),
                "kid": string(description="The key id, as in the `kid` header of the tokens it signed."),
                "alg": string(enum=["EdDSA"]), "use": string(enum=["sig"])},
               ["kty", "crv", "x", "kid", "alg", "use"]),
    "JWKSet": obj({"keys": array("JWK")}, ["keys"]),
}

PROFILE = "/v1/profiles/{profile_id}"

MORE_PATHS: dict[str, Any] = {
    "/v1/devices/{device_id}": {"delete": with_params(answer(
        "Remove a device: auth revokes its sessions, then device_service bans it from signing in again. 503 if "
        "the ban did not take (the sign-out holds; retry).", "DeviceRemoval", errors=GUARDED), DEVICE_ID)},
    "/v1/devices/{device_id}/allow": {"post": with_params(answer(
        "Lift a removed device's ban; it may sign in again.", "DeviceAnswer", errors=("401", "403", "404")),
        DEVICE_ID)},
    "/v1/devices/{device_id}/activity": {"get": with_params(answer(
        "A device's sign-ins and playback with address and approximate location, newest first.",
        "StreamingActivityPage", errors=("401", "403", "404", "422")), DEVICE_ID + PAGE)},
    "/v1/activity": {"get": with_params(answer(
        "What a profile watched, newest first.", "ViewingActivityPage", errors=("401", "403", "422")),
        [query_param("profile_name", {"type": "string"}, required=True), *PAGE])},
    "/v1/password": {"post": answer(
        "Change the password; by default every other device is signed out.", "PasswordChangeResult",
        errors=("400", "401", "403", "422", "503"), body="PasswordChange")},
    "/v1/account/close": {"post": answer(
        "Close the account and sign every device out.", "SignOutResult", errors=("400", "401", "403", "422", "503"),
        body="Password")},
    "/oauth2/revoke": {"post": oauth("RFC 7009: 200 and an empty body, known token or not.", None)},
    "/.well-known/jwks.json": {"get": {
        "summary": "The public keys that verify access tokens",
        "description": "RFC 7517 JWK Set of every signing key that is not retired (Ed25519, `alg` EdDSA); an "
                       "access token's `kid` header names its key. A signature check does not tell whether the "
                       "session was signed out: ask /oauth2/introspect for that. `Cache-Control: public, "
                       "max-age=60`.",
        "security": [],
        "responses": {
            "200": {"description": "The JWK Set.", "content": {"application/json": {"schema": ref("JWKSet")}}},
            "503": {"description": "auth_service is unavailable.",
                    "content": {"application/json": {"schema": ref("Error")}}},
        },
    }},
    "/oauth2/introspect": {"post": oauth("RFC 7662: exactly {\"active\": false} for a token that is not active.",
                                         ref("Introspection"))},
    f"{PROFILE}/select": {"post": with_params(answer(
        "Enter a profile on this device; a profile with a PIN needs it (401 wrong_pin, 403 pin_required, "
        "429 pin_locked).", "ProfileAnswer", errors=("400", "401", "403", "404", "422", "429"), body="Select"),
        PROFILE_ID)},
    PROFILE: {
        "patch": with_params(answer("Rename a profile.", "ProfileAnswer", errors=(*SETTINGS, "409"),
                                    body="Rename"), PROFILE_ID),
        "delete": with_params(answer("Delete a profile (not the owner's); its playbacks stop.", "ProfileChange",
                                     errors=("401", "403", "404", "409")), PROFILE_ID),
    },
    f"{PROFILE}/rules": {"get": with_params(answer(
        "A profile with its PIN state, blocked titles and viewing schedule.", "ProfileRules",
        errors=("401", "403", "404")), PROFILE_ID)},
    f"{PROFILE}/maturity": {"put": with_params(answer(
        "Change the maturity level (password required); playbacks it forbids stop.", "ProfileChange",
        errors=SETTINGS, body="Maturity"), PROFILE_ID)},
    f"{PROFILE}/pin": {
        "put": with_params(answer("Set the profile's PIN (password required).", "ProfileChange", errors=SETTINGS,
                                  body="Pin"), PROFILE_ID),
        "delete": with_params(answer("Remove the profile's PIN (password required).", "ProfileChange",
                                     errors=SETTINGS, body="Password"), PROFILE_ID),
    },
    f"{PROFILE}/unlock": {"post": with_params(answer(
        "Clear a PIN lock (password required).", "ProfileChange", errors=SETTINGS, body="Password"), PROFILE_ID)},
    f"{PROFILE}/blocked-titles": {"post": with_params(answer(
        "Block a title on the profile (password required); its playback stops.", "ProfileChange", "201",
        errors=SETTINGS, body="BlockTitle"), PROFILE_ID)},
    f"{PROFILE}/blocked-titles/{{title_id}}": {"delete": with_params(answer(
        "Allow a blocked title again (password required).", "ProfileChange", errors=SETTINGS, body="Password"),
        [*PROFILE_ID, path_param("title_id")])},
    f"{PROFILE}/schedule": {"put": with_params(answer(
        "Set the viewing schedule (password required); no windows removes it.", "ProfileChange", errors=SETTINGS,
        body="Schedule"), PROFILE_ID)},
    "/v1/titles": {"get": with_params(answer("The title catalogue in name order.", "TitlePage",
                                             errors=("401", "422")), PAGE)},
    "/v1/audit-events": {"get": with_params(answer(
        "Changes to the account's parental controls, newest first.", "AuditPage", errors=("401", "403", "422")),
        [query_param("profile_id", {"type": "string"}), *PAGE])},
    "/v1/playback": {"post": answer(
        "May this device play the title for the profile? Denied is 200 with allowed=false and a reason; "
        "allowed playback is recorded on the device list.", "PlaybackDecision", errors=("400", "401", "404", "422"),
        body="PlaybackStart")},
    "/v1/playback/stop": {"post": answer("This device stopped playing.", None, errors=("401",))},
    "/v1/downloads": {
        "post": answer("Download a title to this device for the profile watching; parental rules decide "
                       "(403 with the reason when they deny it).", "DownloadAnswer", "201",
                       errors=("400", "401", "403", "409", "422"), body="DownloadStart"),
        "get": with_params(answer("This device's downloads, newest first.", "DownloadPage",
                                  errors=("401", "422")), PAGE),
    },
    "/v1/downloads/{download_id}/license": {"get": with_params(answer(
        "Whether a download may still be played; a signed-out or removed device's are cancelled.", "License",
        errors=("401", "404")), [path_param("download_id")])},
}
