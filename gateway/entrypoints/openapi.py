"""The gateway's OpenAPI 3.1 description, written by hand."""

from __future__ import annotations

from typing import Any

from gateway.domain.model import (
    DEVICE_STATUSES,
    DEVICE_TYPES,
    MATURITY_LEVELS,
    PROFILE_KINDS,
    REVOCATION_REASONS,
    REVOCATION_SCOPES,
)
from gateway.entrypoints.openapi_kit import (
    DEVICE_ID,
    ERRORS,
    PAGE,
    SIGN_OUT_ERRORS,
    TIME,
    answer,
    obj,
    query_param,
    ref,
    string,
)
from gateway.entrypoints.openapi_routes import MORE_PATHS, MORE_SCHEMAS

SCHEMAS: dict[str, Any] = {
    "Error": obj({"error": obj({"code": string(), "message": string()}, ["code", "message"])}, ["error"]),
    "Credentials": obj({"email": string(254), "password": string(128)}, ["email", "password"]),
    "Account": obj({"account_id": string(), "email": string()}),
    "DeviceInfo": obj({"client_id": string(128), "name": string(100), "type": string(enum=list(DEVICE_TYPES)),
                       "platform": string(100), "app_version": string(50)}, ["client_id", "name", "type"]),
    "SignIn": obj({"email": string(254), "password": string(128), "device": ref("DeviceInfo")},
                  ["email", "password", "device"]),
    "Refresh": obj({"refresh_token": string()}, ["refresh_token"]),
    "TokenPair": obj({"access_token": string(), "refresh_token": string(), "token_type": string(enum=["Bearer"]),
                      "expires_in": {"type": "integer"}, "session_id": string(), "device_id": string()}),
    "Session": obj({"session_id": string(), "account_id": string(), "device_id": string(), "created_at": TIME,
                    "last_used_at": TIME, "expires_at": TIME, "revoked": {"type": "boolean"}}),
    "Device": obj({
        "device_id": string(), "name": string(), "type": string(enum=list(DEVICE_TYPES)), "platform": string(),
        "app_version": string(), "status": string(enum=list(DEVICE_STATUSES)), "first_seen_at": TIME,
        "last_seen_at": TIME, "last_ip_address": string(),
        "location": obj({"country": string(), "region": string(), "city": string(), "description": string()}),
        "last_profile_name": string(), "last_title": string(), "last_watched_at": TIME,
        "current": {"type": "boolean"},
    }),
    "DevicePage": obj({"devices": {"type": "array", "items": ref("Device")}, "next_page_token": string()}),
    "Revocation": obj({"sequence": {"type": "integer"}, "scope": string(enum=list(REVOCATION_SCOPES)),
                       "reason": string(enum=list(REVOCATION_REASONS)), "session_id": {"type": ["string", "null"]},
                       "device_id": {"type": ["string", "null"]}, "revoked_at": TIME}),
    "SignOutResult": obj({
        "revocation": ref("Revocation"),
        "propagation": obj({"device_service": string(enum=["applied", "pending"]),
                            "parental_service": string(enum=["applied", "pending"])}),
    }),
    "SignOutAll": obj({"include_current": {"type": "boolean"}}, ["include_current"]),
    "NewProfile": obj({"name": string(50), "kind": string(enum=list(PROFILE_KINDS)),
                       "maturity_level": string(enum=list(MATURITY_LEVELS))}, ["name", "kind"]),
    "Profile": obj({"profile_id": string(), "name": string(), "kind": string(enum=list(PROFILE_KINDS)),
                    "maturity_level": string(enum=list(MATURITY_LEVELS)), "has_pin": {"type": "boolean"},
                    "locked_until": TIME}),
    "ProfileList": obj({"profiles": {"type": "array", "items": ref("Profile")}}),
    "Health": obj({"status": string(enum=["ok", "unavailable"]), "services": {"type": "object"}}),
}

PATHS: dict[str, Any] = {
    "/v1/accounts": {"post": answer("The created account.", "Account", "201", errors=("400", "422"),
                                    body="Credentials", summary="Create an account", secured=False)},
    "/v1/sign-in": {"post": answer("A new session and its tokens.", "TokenPair", errors=("400", "401", "403", "422"),
                                   body="SignIn", summary="Sign in a device", secured=False)},
    "/v1/token/refresh": {"post": answer("A new token pair; the refresh token is spent.", "TokenPair",
                                         errors=("400", "401", "422"), body="Refresh", secured=False)},
    "/v1/session": {"get": answer("The caller's session; 401 once it is revoked.", "Session")},
    "/v1/devices": {"get": {**answer("The account's devices, most recently seen first.", "DevicePage",
                                     errors=("401", "422")),
                            "parameters": [*PAGE, query_param("include_inactive", {"type": "boolean"})]}},
    "/v1/devices/{device_id}": {"get": {**answer("One device of the account.", "Device", errors=("401", "404")),
                                        "parameters": DEVICE_ID}},
    "/v1/devices/{device_id}/sign-out": {"post": {
        **answer("Sign one device out; auth revokes durably before the answer.", "SignOutResult",
                 errors=("401", "404", "503")),
        "parameters": DEVICE_ID}},
    "/v1/sign-out-all": {"post": answer("Sign out every device, or every other device.", "SignOutResult",
                                        errors=("400", "401", "422", "503"), body="SignOutAll")},
    "/v1/sign-out": {"post": answer("Sign this device's session out.", "SignOutResult", errors=SIGN_OUT_ERRORS)},
    "/v1/events": {"get": {
        "summary": "Server-Sent Events of the caller's session",
        "description": "`event: ready` once listening; `event: devices` with a Revocation of other sessions of "
                       "the account (device statuses changed, this session lives on); `event: playback_stopped` "
                       "with {title_id, reason, message} when this device's playback is stopped; finally "
                       "`event: revoked` with this session's Revocation, after which the stream ends. A "
                       "`: keepalive` comment is sent every 15 seconds.",
        "responses": {"200": {"description": "An event stream.", "content": {"text/event-stream": {
            "schema": {"type": "string"}}}},
                      "401": {"description": ERRORS["401"], "content": {"application/json": {
                          "schema": ref("Error")}}}}}},
    "/v1/profiles": {
        "get": answer("The account's profiles, the owner first.", "ProfileList"),
        "post": answer("The created profile.", "Profile", "201", errors=("400", "401", "409", "422"),
                       body="NewProfile"),
    },
    "/healthz": {"get": answer("The gateway and each service's grpc.health.v1 status; 503 if one is not serving.",
                               "Health", errors=("503",), secured=False)},
    "/metrics": {"get": {"summary": "Prometheus metrics", "security": [], "responses": {"200": {
        "description": "Prometheus text format.", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
    "/openapi.json": {"get": {"summary": "This document", "security": [], "responses": {"200": {
        "description": "OpenAPI 3.1.", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    "/": {"get": {"summary": "The web page", "security": [], "responses": {"200": {
        "description": "HTML.", "content": {"text/html": {"schema": {"type": "string"}}}}}}},
}

SCHEMAS.update(MORE_SCHEMAS)
for _path, _operations in MORE_PATHS.items():
    PATHS.setdefault(_path, {}).update(_operations)

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "remote-signout gateway",
        "version": "1.0.0",
        "description": "Manage access and devices: sessions, devices, instant remote sign-out, profiles. "
                       "Errors are {\"error\": {\"code\", \"message\"}}.",
    },
    "servers": [{"url": "/"}],
    "security": [{"bearer": []}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "oauthClient": {"type": "http", "scheme": "basic",
                            "description": "A resource server's client_id:client_secret (GATEWAY_OAUTH_CLIENTS)."},
        },
    },
}
