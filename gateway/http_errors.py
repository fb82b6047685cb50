"""Every error the gateway answers with, translated in one place.

One table maps each grpc.StatusCode to an HTTP status; the gateway's own domain
errors go through common.grpc_errors' table to a status code and then through
this one, so a domain error and the same error from a service look alike.
The JSON body is always {"error": {"code", "message"}}.
"""

from __future__ import annotations

import logging

import grpc
from aiohttp import web

from common.errors import DomainError
from common.grpc_errors import REASON_KEY, status_for
from gateway.domain.errors import SIGN_IN_FIRST, MalformedBody
from gateway.domain.json_shapes import error_json
from gateway.domain.oauth import OAuthError

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


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response(error_json(code, message), status=status, headers=headers)


def reason_of(error: grpc.aio.AioRpcError) -> str:
    for key, value in error.trailing_metadata() or ():
        if key == REASON_KEY:
            return value if isinstance(value, str) else value.decode()
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
    return error_response(status, reason or code.name.lower(), message or code.name.lower(), headers)


def from_oauth_error(error: OAuthError) -> web.Response:
    """RFC 6749 section 5.2's {"error": code}; invalid_client challenges with Basic."""
    headers = {"Cache-Control": "no-store"}
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="remote-signout"'
    return web.json_response({"error": error.reason}, status=error.status, headers=headers)


def from_domain_error(error: DomainError) -> web.Response:
    if isinstance(error, OAuthError):
        return from_oauth_error(error)
    if isinstance(error, MalformedBody):
        return error_response(400, error.reason or "invalid_json", error.message)
    code = status_for(error)
    headers = None
    if code is grpc.StatusCode.UNAUTHENTICATED:
        headers = {"WWW-Authenticate": "Bearer"}
        if error.message != SIGN_IN_FIRST:
            headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
    return error_response(HTTP_STATUS_FOR_CODE[code], error.reason or code.name.lower(), error.message, headers)


_CODE_FOR_HTTP = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large", 400: "bad_request"}


def from_http_exception(error: web.HTTPException) -> web.Response:
    code = _CODE_FOR_HTTP.get(error.status, error.reason.lower().replace(" ", "_"))
    messages = {
        404: "There is nothing at this address. See /openapi.json for the API.",
        405: "This address does not accept that method.",
    }
    response = error_response(error.status, code, messages.get(error.status, error.reason))
    if "Allow" in error.headers:
        response.headers["Allow"] = error.headers["Allow"]
    return response


def unexpected() -> web.Response:
    return error_response(500, "internal", GENERIC_MESSAGE)
