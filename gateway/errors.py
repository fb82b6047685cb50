"""Every error the gateway answers with, translated in one place.

One table maps each grpc.StatusCode to an HTTP status; the gateway's own domain
errors go through common.grpc_errors' table to a status code and then through
this one, so a domain error and the same error from a service look alike.
The JSON body is always {"error": {"code", "message"}}, except under /oauth2/,
where every error is RFC 6749's {"error": code, "error_description": message}. A
request that fails its pydantic model (gateway.models) is 422 with the first failing
field named, as `Say` phrases it; a string that is not text (a lone surrogate, a
control character) is 400 invalid_text.

    common.errors.DomainError
    ├── MalformedBody         the body is not JSON, or not a JSON object; a string is not text (HTTP 400)
    ├── UnsupportedMediaType  a JSON body sent as another media type (HTTP 415)
    └── OAuthError            an error of /oauth2/*: invalid_request (400), invalid_client (401), ...
"""

from __future__ import annotations

import json
import logging
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import grpc
from aiohttp import web
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from common.errors import DomainError, InvalidArgument, ResourceExhausted, Unauthenticated, Unavailable
from common.grpc_errors import REASON_KEY, RETRY_AFTER_KEY, status_for

# 503s of this gateway itself that pass within a second: its revocation replica catching up, its keys loading.
RETRY_SOON = frozenset({"revocations_not_current", "signing_keys_not_loaded"})

log = logging.getLogger(__name__)

HTTP_STATUS_FOR_CODE: dict[grpc.StatusCode, int] = {
    grpc.StatusCode.OK: 200,
    grpc.StatusCode.CANCELLED: 503,
    grpc.StatusCode.UNKNOWN: 500,
    grpc.StatusCode.INVALID_ARGUMENT: 422,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.INTERNAL: 500,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DATA_LOSS: 500,
    grpc.StatusCode.UNAUTHENTICATED: 401,
}

GENERIC_MESSAGE = "Something went wrong on our side. Please try again."
UNAVAILABLE_MESSAGE = "A service the gateway needs is not answering right now. Please try again shortly."
SIGN_IN_FIRST = "Sign in first: send 'Authorization: Bearer <access token>'."

# Codes whose details come from the gRPC runtime rather than a person-readable
# message of a service (unless the service sent an error-reason).
_RUNTIME_MESSAGES = {
    grpc.StatusCode.UNAVAILABLE: UNAVAILABLE_MESSAGE,
    grpc.StatusCode.DEADLINE_EXCEEDED: "A service the gateway needs did not answer in time. Please try again.",
    grpc.StatusCode.CANCELLED: UNAVAILABLE_MESSAGE,
    grpc.StatusCode.UNKNOWN: GENERIC_MESSAGE,
    grpc.StatusCode.INTERNAL: GENERIC_MESSAGE,
    grpc.StatusCode.DATA_LOSS: GENERIC_MESSAGE,
    grpc.StatusCode.UNIMPLEMENTED: "This operation is not available yet.",
}

# UNAUTHENTICATED reasons about a password or PIN the caller typed, not the
# bearer token: the session stays valid, so no `invalid_token` challenge.
NOT_TOKEN_REASONS = frozenset({"wrong_password", "wrong_pin"})
# INVALID_ARGUMENT reasons answered 400, not 422: a new password the password policy refuses; a device's sign-in
# code that is not one.
BAD_REQUEST_REASONS = frozenset({"password_too_short", "password_too_long", "password_too_common", "invalid_user_code"})
# Reasons answered 410 Gone: a device's sign-in code that expired (RFC 8628).
GONE_REASONS = frozenset({"expired_user_code"})


class MalformedBody(DomainError):
    """Raised when the request body cannot be read as a JSON object."""


class UnsupportedMediaType(DomainError):
    """Raised when a JSON body comes with another Content-Type."""


class OAuthError(DomainError):
    """Raised for an OAuth endpoint's error, answered as {"error": code, "error_description": message} (RFC 6749
    section 5.2).

    `invalid_request` and `invalid_grant` are HTTP 400, `invalid_client` HTTP 401 with WWW-Authenticate: Basic,
    `slow_down` HTTP 429 with Retry-After.
    """

    def __init__(self, error: str, message: str, status: int, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message, reason=error)
        self.status = status
        self.headers = dict(headers or {})


def invalid_request(message: str) -> OAuthError:
    return OAuthError("invalid_request", message, 400)


def invalid_client(message: str = "Client authentication failed.") -> OAuthError:
    return OAuthError("invalid_client", message, 401)


def invalid_text(label: str) -> MalformedBody:
    return MalformedBody(f"'{label}' must be valid Unicode text without control characters.", reason="invalid_text")


def missing_bearer_token() -> Unauthenticated:
    return Unauthenticated(SIGN_IN_FIRST, reason="unauthenticated")


# --- request validation: pydantic's first error, phrased as the API always has ---------------------------------


@dataclass(frozen=True)
class Say:
    """Annotated metadata of a request field: how its validation errors read, by kind, where they differ from
    `PHRASES`, and the error code (reason) of a kind where it is not `invalid_argument`."""

    messages: Mapping[str, str] = field(default_factory=dict)
    reasons: Mapping[str, str] = field(default_factory=dict)


PHRASES = {
    "missing": "'{label}' is required.",
    "type": "'{label}' must be a string.",
    "unicode": "'{label}' must be valid Unicode text.",
    "empty": "'{label}' must not be empty.",
    "too_long": "'{label}' must be at most {max_length} characters.",
    "choice_missing": "'{label}' is required; one of: {allowed}.",
    "choice": "'{label}' must be one of: {allowed}.",
    "flag": "'{label}' must be true or false.",
    "object": "'{label}' must be an object.",
}
# pydantic's error types, by the kind of mistake they are.
KINDS = {
    "string_type": "type",
    "string_unicode": "unicode",
    "string_too_short": "empty",
    "string_too_long": "too_long",
    "string_pattern_mismatch": "pattern",
    "literal_error": "choice",
    "bool_type": "flag",
    "model_type": "object",
    "model_attributes_type": "object",
    "dict_type": "object",
    "list_type": "list",
    "too_long": "too_many",
    "int_type": "int",
    "greater_than_equal": "range",
    "less_than_equal": "range",
}
# Kinds where a JSON null means the field is missing.
NULL_IS_MISSING = frozenset({"type", "choice", "object", "list", "int"})


def _choices(annotation: Any) -> list[str]:
    """The words of a Literal (or an optional Literal) annotation; [] for any other."""
    if typing.get_origin(annotation) is typing.Literal:
        return [str(word) for word in typing.get_args(annotation)]
    return [word for arg in typing.get_args(annotation) for word in _choices(arg)]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((found for arg in typing.get_args(annotation) if (found := _model_in(arg)) is not None), None)


def _field_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> tuple[FieldInfo | None, str, bool]:
    """The field an error location points at, its label ("windows[0].weekday") and whether it points at an item
    of that (list) field rather than the field itself."""
    info: FieldInfo | None = None
    current: type[BaseModel] | None = model
    label, item = "", False
    for part in loc:
        if isinstance(part, int):
            label, item = f"{label}[{part}]", True
            continue
        info = current.model_fields.get(part) if current is not None else None
        label, item = f"{label}.{part}" if label else part, False
        current = _model_in(info.annotation) if info is not None else None
    return info, label, item


def invalid_fields(error: ValidationError, model: type[BaseModel]) -> InvalidArgument:
    """The first problem of `error` (raised validating `model`) as InvalidArgument naming the field."""
    problem = error.errors()[0]
    info, label, item = _field_at(model, tuple(problem["loc"]))
    kind = KINDS.get(problem["type"], problem["type"])
    if problem["type"] == "missing" or (kind in NULL_IS_MISSING and problem.get("input") is None and not item):
        kind = "missing"
    choices = _choices(info.annotation) if info is not None and not item else []
    if choices and kind == "missing":
        kind = "choice_missing"
    say = next((meta for meta in (info.metadata if info is not None else []) if isinstance(meta, Say)), Say())
    template = say.messages.get(kind) or PHRASES.get(kind) or str(problem["msg"])
    context = problem.get("ctx") or {}
    message = template.format(label=label, allowed=", ".join(choices), max_length=context.get("max_length", ""))
    return InvalidArgument(message, reason=say.reasons.get(kind, "invalid_argument"))


# --- answers -------------------------------------------------------------------------------------------------


def error_json(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response(error_json(code, message), status=status, headers=headers)


def reason_of(error: grpc.aio.AioRpcError) -> str:
    for key, value in error.trailing_metadata() or ():
        if key == REASON_KEY:
            return value if isinstance(value, str) else value.decode()
    return ""


def retry_after_of(error: grpc.aio.AioRpcError) -> str:
    """The whole seconds a RESOURCE_EXHAUSTED says to wait (`retry-after` trailing metadata), or ""."""
    for key, value in error.trailing_metadata() or ():
        if key == RETRY_AFTER_KEY:
            text = value if isinstance(value, str) else value.decode()
            return text if text.isascii() and text.isdigit() and 0 < len(text) <= 9 else ""
    return ""


def from_rpc_error(error: grpc.aio.AioRpcError) -> web.Response:
    code = error.code()
    status = HTTP_STATUS_FOR_CODE[code]
    reason = reason_of(error)
    message = error.details() or ""
    if not reason and code in _RUNTIME_MESSAGES:
        log.warning("a service answered %s: %s", code.name, message)
        message = _RUNTIME_MESSAGES[code]
    headers = None
    if code is grpc.StatusCode.UNAUTHENTICATED and reason not in NOT_TOKEN_REASONS:
        headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
    if code is grpc.StatusCode.RESOURCE_EXHAUSTED and (retry_after := retry_after_of(error)):
        headers = {"Retry-After": retry_after}
    if code is grpc.StatusCode.INVALID_ARGUMENT and reason in BAD_REQUEST_REASONS:
        status = 400
    if reason in GONE_REASONS:
        status = 410
    return error_response(status, reason or code.name.lower(), message or code.name.lower(), headers)


def oauth_error_response(
    status: int, code: str, description: str, headers: Mapping[str, str] | None = None
) -> web.Response:
    """RFC 6749 section 5.2's {"error": code, "error_description": text}; a 401 challenges with Basic."""
    answer_headers = {"Cache-Control": "no-store", **(headers or {})}
    if status == 401:
        answer_headers["WWW-Authenticate"] = 'Basic realm="remote-signout"'
    return web.json_response({"error": code, "error_description": description}, status=status, headers=answer_headers)


def from_oauth_error(error: OAuthError) -> web.Response:
    return oauth_error_response(error.status, error.reason, error.message, error.headers)


# The RFC 6749 code of any other error status under /oauth2/.
_OAUTH_CODE_FOR_HTTP = {
    401: "invalid_client",
    429: "slow_down",
    503: "temporarily_unavailable",
    504: "temporarily_unavailable",
}


def as_oauth_error(response: web.Response) -> web.Response:
    """An {"error": {"code", "message"}} answer of an /oauth2/ path, in RFC 6749's shape."""
    try:
        detail = json.loads(response.text or "")["error"]
        message = str(detail["message"])
    except (ValueError, KeyError, TypeError):
        return response
    status = response.status
    code = _OAUTH_CODE_FOR_HTTP.get(status, "server_error" if status >= 500 else "invalid_request")
    headers = {name: response.headers[name] for name in ("Allow", "Retry-After") if name in response.headers}
    return oauth_error_response(status, code, message, headers)


def from_domain_error(error: DomainError) -> web.Response:
    if isinstance(error, OAuthError):
        return from_oauth_error(error)
    if isinstance(error, MalformedBody):
        return error_response(400, error.reason or "invalid_json", error.message)
    if isinstance(error, UnsupportedMediaType):
        return error_response(415, "unsupported_media_type", error.message)
    code = status_for(error)
    headers = None
    if code is grpc.StatusCode.UNAUTHENTICATED:
        headers = {"WWW-Authenticate": "Bearer"}
        if error.message != SIGN_IN_FIRST:
            headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
    if isinstance(error, ResourceExhausted) and error.retry_after_seconds > 0:
        headers = {"Retry-After": str(error.retry_after_seconds)}
    if isinstance(error, Unavailable) and error.reason in RETRY_SOON:  # this gateway catching up: a moment
        headers = {"Retry-After": "1"}
    status = 400 if error.reason in BAD_REQUEST_REASONS else HTTP_STATUS_FOR_CODE[code]
    status = 410 if error.reason in GONE_REASONS else status
    return error_response(status, error.reason or code.name.lower(), error.message, headers)


_CODE_FOR_HTTP = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large", 400: "bad_request"}
_MESSAGE_FOR_HTTP = {
    404: "There is nothing at this address. See /openapi.json for the API.",
    405: "This address does not accept that method.",
}


def from_http_exception(error: web.HTTPException) -> web.Response:
    code = _CODE_FOR_HTTP.get(error.status, error.reason.lower().replace(" ", "_"))
    response = error_response(error.status, code, _MESSAGE_FOR_HTTP.get(error.status, error.reason))
    if "Allow" in error.headers:
        response.headers["Allow"] = error.headers["Allow"]
    return response


def unexpected() -> web.Response:
    return error_response(500, "internal", GENERIC_MESSAGE)
