"""One declaration per operation: how a request is handled, and its part of /openapi.json.

    routes = Routes("devices", "The account's devices, their sign-out and removal.")

    @routes.get("/v1/devices/{device_id}", "getDevice", "One device of the account.", response=models.Device,
                security=SETTINGS, errors=(404,))
    async def get_device(call: Call) -> Reply:
        ...

A handler takes the `Call` and, by annotation, the validated models it needs (a
`models.Body`, `Query` or `Form` subclass each). Before it runs, the caller is
authenticated as `security` says and every model is validated: a failure is 422
naming the field (a form's, 400 invalid_request). Before that, every string of the
request (path parameters, query, body, form; names and values, at any depth) must be
text: no lone surrogate, no control character (400 invalid_text); a JSON body must
come as application/json (415). It returns a protobuf message, a
dict of field values, or an `Answer` (a message and the fields it lacks), which
gateway.render turns into `response`'s JSON; None for an empty body; or a response
it made itself. The OpenAPI document is built from the same declarations and
models: paths, parameters, bodies, answers, the error statuses each operation can
give (those its security, models and services imply, and `errors`), operationId,
tags and examples.
"""

from __future__ import annotations

import enum
import json
import logging
import re
import time
import typing
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import grpc
from aiohttp import web
from aiohttp.typedefs import Handler as AiohttpHandler
from google.protobuf.message import Message
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from common.access_claims import AccessClaims
from common.errors import DomainError, NotFound
from gateway import errors, models
from gateway.auth import (
    KIDS_PROFILE_MESSAGE,
    REAUTHENTICATE_MESSAGE,
    Caller,
    authenticate,
    authenticate_claims,
    caller_of,
    require_account_settings,
    require_recent_authentication,
)
from gateway.bootstrap import Backends
from gateway.client_throttle import CLIENT_THROTTLE
from gateway.edge import client_address
from gateway.http_metrics import route_of
from gateway.render import render

log = logging.getLogger(__name__)

BACKENDS = web.AppKey("backends", Backends)
DOCUMENT = web.AppKey("openapi", dict)
ARRIVED_AT = web.RequestKey("arrived_at", float)

JSON = "application/json"
MAX_ID_LENGTH = 128  # of a path parameter: an id, a title id
FORM = "application/x-www-form-urlencoded"


class Answer:
    """A message, and the fields of the response that it does not have."""

    def __init__(self, message: Message | None = None, **values: object) -> None:
        self.message, self.values = message, values


Reply = Message | Answer | Mapping[str, object] | web.StreamResponse | None
HandlerT = TypeVar("HandlerT", bound=Callable[..., Awaitable[Reply]])


class Security(enum.Enum):
    NONE = "anyone"
    BEARER = "a signed-in caller"
    SETTINGS = "a signed-in caller outside a kids profile (403 kids_profile)"
    RECENT = (
        "a signed-in caller outside a kids profile (403 kids_profile) who entered the account password on this "
        "session, under the profile selected now, within STEP_UP_SECONDS (403 reauthentication_required)"
    )
    STREAM = "a signed-in caller; the handler checks the token itself"
    CLIENT = "an OAuth client of GATEWAY_OAUTH_CLIENTS, by HTTP Basic or form fields"


NONE, BEARER, SETTINGS, RECENT, STREAM, CLIENT = Security


@dataclass
class Call:
    """One request, as a handler sees it."""

    request: web.Request
    backends: Backends
    arrived_at: float
    client_id: str = ""
    signed_in: Caller | None = None
    claims: AccessClaims | None = None
    """The caller's verified token, when the operation has a bearer caller."""

    @property
    def caller(self) -> Caller:
        if self.signed_in is None:
            raise RuntimeError("this operation has no signed-in caller")
        return self.signed_in

    @property
    def timeout(self) -> float:
        return self.backends.timeout

    def path(self, name: str) -> str:
        return self.request.match_info[name]


# C0 and C1 control characters (NUL included) and surrogates (a lone "\ud800" in JSON; bytes that are not UTF-8 in
# a URL, which aiohttp decodes with surrogateescape): never text a person typed, and not encodable as UTF-8 for gRPC.
NOT_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def check_text(data: object, label: str = "") -> None:
    """MalformedBody (400 invalid_text) naming the first string of `data`, a name or a value at any depth, that
    holds a surrogate or a control character."""
    pending: list[tuple[object, str]] = [(data, label)]
    while pending:
        value, where = pending.pop()
        if isinstance(value, str):
            if NOT_TEXT.search(value):
                raise errors.invalid_text(where or "body")
        elif isinstance(value, Mapping):
            for key, item in reversed(list(value.items())):
                name = f"{where}.{key}" if where else str(key)
                if isinstance(key, str) and NOT_TEXT.search(key):
                    raise errors.invalid_text(f"{where}.<name>" if where else "<name>")
                pending.append((item, name))
        elif isinstance(value, list):
            pending.extend((item, f"{where}[{index}]") for index, item in reversed(list(enumerate(value))))


def declared(data: object, model: type[BaseModel]) -> object:
    """The part of `data` that `model` reads: fields it does not declare, which it ignores and no service ever
    sees, are left out (so the text rule is the schema's: every declared string, at any depth)."""
    if not isinstance(data, Mapping):
        return data
    kept: dict[str, object] = {}
    for key, value in data.items():
        field = model.model_fields.get(key) if isinstance(key, str) else None
        if field is None:
            continue
        inner = _model_in(field.annotation)
        if inner is not None and isinstance(value, Mapping):
            value = declared(value, inner)
        elif inner is not None and isinstance(value, list):
            value = [declared(item, inner) for item in value]
        kept[key] = value
    return kept


def _model_in(annotation: object) -> type[BaseModel] | None:
    """The model a field holds, alone, optional or in a list."""
    pending = [annotation]
    while pending:
        candidate = pending.pop()
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
        pending.extend(typing.get_args(candidate))
    return None


def read_json_type(request: web.Request) -> None:
    """UnsupportedMediaType (415) unless the body is declared application/json."""
    if request.content_type != JSON:
        raise errors.UnsupportedMediaType(f"Send the request body as {JSON}.")


def parse_object(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object, or MalformedBody."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise errors.MalformedBody("The request body is not valid JSON.", reason="invalid_json") from None
    if not isinstance(body, dict):
        raise errors.MalformedBody("The request body must be a JSON object.", reason="invalid_json")
    return body


ModelT = TypeVar("ModelT", bound=BaseModel)


def validate(model: type[ModelT], data: Mapping[str, object]) -> ModelT:
    """`data` as `model`; InvalidArgument naming the first bad field (invalid_request for a form)."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problem = errors.invalid_fields(error, model)
        if issubclass(model, models.Form):
            raise errors.invalid_request(problem.message) from None
        raise problem from None


async def read_form(request: web.Request) -> dict[str, str]:
    if request.content_type != FORM:
        raise errors.invalid_request(f"Send the parameters as {FORM}.")
    try:
        posted = await request.post()
    except (UnicodeDecodeError, LookupError):
        raise errors.invalid_request(f"Send the parameters as {FORM} in UTF-8.") from None
    return {name: value for name, value in posted.items() if isinstance(value, str)}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    tag: str
    summary: str
    description: str
    handler: Callable[..., Awaitable[Reply]]
    security: Security
    response: type[BaseModel] | None
    status: int
    media_type: str
    errors: tuple[int, ...]
    headers: Mapping[str, str]
    models: tuple[tuple[str, type[BaseModel]], ...]
    body_required: bool
    responses: Mapping[int, type[BaseModel]]
    text_example: str
    also: Mapping[str, str] = field(default_factory=dict)
    """Other media types the success answer may have (a download's), each with an example."""

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"\{(\w+)\}", self.path)

    async def endpoint(self, request: web.Request) -> web.StreamResponse:
        call = Call(request, request.app[BACKENDS], request.get(ARRIVED_AT, time.perf_counter()))
        check_text(dict(request.match_info))
        authorization = request.headers.get("Authorization")
        if self.security in (BEARER, SETTINGS, RECENT):
            call.claims = await authenticate_claims(call.backends, authorization)
            call.signed_in = caller_of(call.claims)
            if self.security in (SETTINGS, RECENT):
                require_account_settings(call.caller)
        elif self.security is STREAM and request.method == "HEAD":  # the stream's headers, without opening it
            await authenticate(call.backends, authorization)
            return self.respond(web.Response(headers={"Content-Type": self.media_type}))
        for name in self.path_params:  # as /openapi.json states each: 1 to MAX_ID_LENGTH characters
            if len(request.match_info[name]) > MAX_ID_LENGTH:
                raise NotFound(f"No such thing on your account: an id is at most {MAX_ID_LENGTH} characters.")
        form: dict[str, str] = {}
        if self.security is CLIENT or any(issubclass(model, models.Form) for _, model in self.models):
            form = await read_form(request)
        if self.security is CLIENT:
            settings = call.backends.settings
            address = client_address(request, settings.trusted_proxies)
            throttle = request.app[CLIENT_THROTTLE]
            call.client_id = throttle.authenticate(settings.oauth_clients, authorization, form, address)
        arguments: dict[str, BaseModel] = {}
        for name, model in self.models:
            if issubclass(model, models.Query):
                data: Mapping[str, object] = dict(request.query)
            elif issubclass(model, models.Form):
                data = form
            elif self.body_required or request.can_read_body:
                read_json_type(request)
                data = parse_object(await request.read())
            else:
                data = {}
            try:
                check_text(declared(data, model))
            except errors.MalformedBody as error:
                if issubclass(model, models.Form):
                    raise errors.invalid_request(error.message) from None
                raise
            arguments[name] = validate(model, data)
        if self.security is RECENT:
            inline = [body.password for body in arguments.values() if isinstance(body, models.Confirmable)]
            await require_recent_authentication(call.backends, call.caller, next(filter(None, inline), None))
        return self.respond(await self.handler(call, **arguments))

    def respond(self, reply: Reply) -> web.StreamResponse:
        if isinstance(reply, web.StreamResponse):
            response = reply
        elif reply is None:
            response = web.Response(status=self.status)
        else:
            if self.response is None:
                raise TypeError(f"{self.operation_id} answers JSON but declares no response model")
            if isinstance(reply, Message):
                reply = Answer(reply)
            elif not isinstance(reply, Answer):
                reply = Answer(None, **reply)
            body = render(self.response, reply.message, **reply.values)
            response = web.json_response(body, status=self.status)
        if not response.prepared:
            response.headers.update(self.headers)
        return response


class Routes:
    """The operations of one tag, as its module declares them."""

    def __init__(self, tag: str, description: str) -> None:
        self.tag, self.description = tag, description
        self.operations: list[Operation] = []

    def route(
        self,
        method: str,
        path: str,
        operation_id: str,
        summary: str,
        *,
        response: type[BaseModel] | None = None,
        status: int = 200,
        security: Security = BEARER,
        errors: Iterable[int] = (),
        description: str = "",
        media_type: str = JSON,
        headers: Mapping[str, str] | None = None,
        body_required: bool = True,
        responses: Mapping[int, type[BaseModel]] | None = None,
        services: bool = True,
        text_example: str = "",
        also: Mapping[str, str] | None = None,
    ) -> Callable[[HandlerT], HandlerT]:
        def register(handler: HandlerT) -> HandlerT:
            hints = typing.get_type_hints(handler)
            bound = tuple(
                (name, hint)
                for name, hint in hints.items()
                if isinstance(hint, type) and issubclass(hint, (models.Body, models.Query, models.Form))
            )
            self.operations.append(
                Operation(
                    method,
                    path,
                    operation_id,
                    self.tag,
                    summary,
                    description,
                    handler,
                    security,
                    response,
                    status,
                    media_type,
                    tuple(sorted(set(errors) | _implied_errors(security, bound, services, path))),
                    dict(headers or {}),
                    bound,
                    body_required,
                    dict(responses or {}),
                    text_example,
                    dict(also or {}),
                )
            )
            return handler

        return register

    def get(self, path: str, operation_id: str, summary: str, **options: Any) -> Callable[[HandlerT], HandlerT]:
        return self.route("GET", path, operation_id, summary, **options)

    def post(self, path: str, operation_id: str, summary: str, **options: Any) -> Callable[[HandlerT], HandlerT]:
        return self.route("POST", path, operation_id, summary, **options)

    def put(self, path: str, operation_id: str, summary: str, **options: Any) -> Callable[[HandlerT], HandlerT]:
        return self.route("PUT", path, operation_id, summary, **options)

    def patch(self, path: str, operation_id: str, summary: str, **options: Any) -> Callable[[HandlerT], HandlerT]:
        return self.route("PATCH", path, operation_id, summary, **options)

    def delete(self, path: str, operation_id: str, summary: str, **options: Any) -> Callable[[HandlerT], HandlerT]:
        return self.route("DELETE", path, operation_id, summary, **options)


def _implied_errors(
    security: Security, bound: tuple[tuple[str, type[BaseModel]], ...], services: bool, path: str
) -> set[int]:
    """The statuses every such operation can answer: 401, 403 and 429 of its security, 400, 415 and 422 of its
    models and path parameters, 503 and 504 when a service behind does not answer."""
    implied = {503, 504} if services else set()
    implied |= {401} if security is not NONE else set()
    implied |= {403} if security in (SETTINGS, RECENT) else set()
    implied |= {429} if security is RECENT and any(issubclass(m, models.Confirmable) for _, m in bound) else set()
    implied |= {400, 429} if security is CLIENT else set()
    implied |= {400} if "{" in path else set()
    for _, model in bound:
        implied |= {400}
        implied |= {415} if issubclass(model, models.Body) else set()
        implied |= {422} if not issubclass(model, models.Form) else set()
    return implied


@web.middleware
async def error_middleware(request: web.Request, handler: AiohttpHandler) -> web.StreamResponse:
    """The edge's safety net: every error becomes {"error": {...}} JSON (under /oauth2/, RFC 6749's
    {"error", "error_description"}), never a stack trace. Only an unexpected exception is logged here (ERROR,
    with its traceback, naming the route template); a caller's mistake is the access line's status (INFO)."""
    request[ARRIVED_AT] = time.perf_counter()
    try:
        return await handler(request)
    except grpc.aio.AioRpcError as error:
        response = errors.from_rpc_error(error)
    except errors.OAuthError as error:
        return errors.from_oauth_error(error)
    except DomainError as error:
        response = errors.from_domain_error(error)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        response = errors.from_http_exception(error)
    except Exception:
        log.exception("unexpected error answering %s %s", request.method, route_of(request))  # ERROR, traceback
        response = errors.unexpected()
    return errors.as_oauth_error(response) if request.path.startswith("/oauth2/") else response


# --- the OpenAPI document ------------------------------------------------------------------------------------

REF = "#/components/schemas/{model}"
UNAVAILABLE = errors.UNAVAILABLE_MESSAGE
TIMED_OUT = "A service the gateway needs did not answer in time. Please try again."
ERRORS = {
    400: "Malformed JSON or a body that is not an object (`invalid_json`); a string (in the path, query or body) "
    "with a lone surrogate or a control character (`invalid_text`); a new password the password policy "
    "refuses (`password_too_short`, `password_too_long`, `password_too_common`); a device's sign-in code that is "
    "not 8 letters of its alphabet (`invalid_user_code`).",
    401: "Missing, invalid, expired or revoked access token; or a wrong password or PIN (`wrong_password`, "
    "`wrong_pin`: the session stays valid).",
    403: "Not allowed: a kids profile (`kids_profile`), a removed device (`device_banned`), a PIN needed "
    "(`pin_required`), another profile (`other_profile`) or a parental rule.",
    404: "No such thing on the caller's account (another account's looks the same).",
    409: "The current state does not allow it.",
    410: "Gone: a device's sign-in code that expired (`expired_user_code`); ask for a new code on the device.",
    415: "A JSON body sent as another media type (`unsupported_media_type`): send Content-Type: application/json.",
    422: "A field is missing, of the wrong type, too long or not one of the allowed values; the message names it.",
    429: "Too many attempts (sign-ins, wrong passwords, a locked PIN): the `Retry-After` header says how many "
    "seconds to wait.",
    503: "A service behind the gateway is unavailable.",
    504: "A service behind the gateway did not answer in time.",
}
ERROR_EXAMPLES = {
    400: ("invalid_json", "The request body is not valid JSON."),
    401: ("unauthenticated", errors.SIGN_IN_FIRST),
    403: ("kids_profile", KIDS_PROFILE_MESSAGE),
    404: ("not_found", "No device with this id on your account."),
    409: ("profile_name_taken", "A profile with this name exists."),
    410: ("expired_user_code", "This code has expired. Ask for a new code on the TV."),
    415: ("unsupported_media_type", "Send the request body as application/json."),
    422: ("invalid_argument", "'email' is required."),
    429: ("password_throttled", "Too many wrong passwords. Wait a little, then try again."),
    503: ("unavailable", UNAVAILABLE),
    504: ("deadline_exceeded", TIMED_OUT),
}
RECENT_403 = (
    "Not allowed: a kids profile (`kids_profile`, checked first); or the account password was not entered on "
    "this session, under the profile selected now, within STEP_UP_SECONDS (`reauthentication_required`: "
    "POST /v1/session/confirm-password, then try again; a body's `password`, where it has one, counts too)."
)
OAUTH_ERRORS = {
    400: (
        "invalid_request",
        "`invalid_request`: not form-encoded, a parameter missing or not text, or the client authenticated both ways; "
        "`invalid_grant` (/oauth2/token): the refresh token or device code is not valid (or the device code's tokens "
        "were issued already); `unsupported_grant_type`; a device's poll before approval (RFC 8628 section 3.5): "
        "`authorization_pending`, `slow_down` (polled before the interval: it grows by 5 s), `access_denied`, "
        "`expired_token`.",
        "The 'token' parameter is required.",
    ),
    401: ("invalid_client", "`invalid_client`: bad or missing client authentication.", "Client authentication failed."),
    429: (
        "slow_down",
        "`slow_down`: too many failed client authentications from this address or for this client; "
        "`too_many_requests` (/oauth2/device_authorization): too many sign-in codes asked for from this address. "
        "Retry-After says when to try again.",
        "Too many failed client authentications. Try again in 42 seconds.",
    ),
    503: ("temporarily_unavailable", "`temporarily_unavailable`: " + ERRORS[503], UNAVAILABLE),
    504: ("temporarily_unavailable", "`temporarily_unavailable`: " + ERRORS[504], TIMED_OUT),
}
SECURITY: dict[Security, list[dict[str, list[str]]]] = {
    NONE: [],
    BEARER: [{"bearer": []}],
    SETTINGS: [{"bearer": []}],
    RECENT: [{"bearer": []}],
    STREAM: [{"bearer": []}],
    CLIENT: [{"oauthClient": []}],
}
NAME_EXAMPLES = {
    "account_id": "3f0c1a52-6b7d-4e8f-9a01-2b3c4d5e6f70",
    "session_id": "8d2e4f60-1a3b-4c5d-8e9f-0a1b2c3d4e5f",
    "device_id": "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e",
    "profile_id": "9f1c2b7e-4d0a-4c3e-9a55-0b6f1e2d3c4b",
    "download_id": "c0ffee00-1234-4abc-8def-001122334455",
    "event_id": "4242",
    "title_id": "t-robo-rangers",
    "access_token": "eyJhbGciOiJFZERTQSIsImtpZCI6ImstMjAyNjExMjUtMDEifQ.e30.c2ln",
    "refresh_token": "rt-2c9f41d8e0b7",
    "email": "ada@example.com",
    "title": "Robo Rangers",
    "next_page_token": "",
    "message": "This title is rated above this profile's maturity level.",
    "platform": "Tizen 8",
    "app_version": "6.2.1",
    "region": "",
    "city": "",
    "profile_name": "Robin",
    "last_profile_name": "Robin",
    "device_name": "Living room TV",
    "last_title": "Robo Rangers",
    "ip_address": "192.0.2.10",
    "time_zone": "Europe/Lisbon",
    "old_value": "none",
    "new_value": "set",
    "user_code": "BCDF-GHJK",
}
PATH_SCHEMAS: dict[str, dict[str, Any]] = {
    "user_code": {"maxLength": models.USER_CODE_INPUT_MAX, "pattern": models.USER_CODE_PATTERN},
}
"""Path parameters with a format of their own (any other is an id of 1 to MAX_ID_LENGTH characters)."""
TIME_EXAMPLE = "2026-11-25T19:55:00.000000Z"
LINE_TOO_LONG = "The request line is longer than 64 KiB (the HTTP server's plain-text answer)."


TEXT_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f\ud800-\udfff]*$"
"""NOT_TEXT as the JSON Schema of every string and property name (check_text enforces it)."""


class Schemas(GenerateJsonSchema):
    """pydantic's JSON Schema without a title on every field, and with the rule of check_text stated: every
    string and every property name is text (no control character, no lone surrogate)."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def str_schema(self, schema: Any) -> dict[str, Any]:
        json_schema = super().str_schema(schema)
        if "pattern" not in json_schema:
            json_schema["pattern"] = TEXT_PATTERN
        elif json_schema["pattern"] != TEXT_PATTERN:  # both rules hold: JSON Schema has one pattern per schema
            json_schema["allOf"] = [{"pattern": TEXT_PATTERN}]
        return json_schema

    def dict_schema(self, schema: Any) -> dict[str, Any]:
        json_schema = super().dict_schema(schema)
        patterns = json_schema.pop("patternProperties", None)
        if patterns:  # the text pattern of a str key: say it as propertyNames, every key one value schema
            [(pattern, values)] = patterns.items()
            json_schema["additionalProperties"] = values
            json_schema["propertyNames"] = {"pattern": pattern}
        return json_schema

    def model_schema(self, schema: Any) -> dict[str, Any]:
        json_schema = super().model_schema(schema)
        if json_schema.get("type") == "object":
            json_schema["propertyNames"] = {"pattern": TEXT_PATTERN}
        return json_schema


def _models(operation: Operation) -> list[type[BaseModel]]:
    found = [model for _, model in operation.models if not issubclass(model, models.Query)]
    found += [operation.response] if operation.response is not None else []
    return found + list(operation.responses.values())


def document(groups: Iterable[Routes]) -> dict[str, Any]:
    groups = list(groups)
    operations = [operation for group in groups for operation in group.operations]
    wanted: list[type[BaseModel]] = list(
        dict.fromkeys([models.Error, models.OAuthError, *(model for op in operations for model in _models(op))])
    )
    _, top = models_json_schema([(model, "validation") for model in wanted], ref_template=REF, schema_generator=Schemas)
    schemas: dict[str, Any] = top.get("$defs", {})
    paths: dict[str, dict[str, Any]] = {}
    answers: dict[str, Any] = {}
    for operation in operations:
        paths.setdefault(operation.path, {})[operation.method.lower()] = _operation(operation, schemas, answers)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "remote-signout gateway",
            "version": "1.0.0",
            "description": "Manage access and devices: sessions, devices, instant remote sign-out, profiles. "
            'Errors are {"error": {"code", "message"}}.',
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "tags": [{"name": group.tag, "description": group.description} for group in groups],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": dict(sorted(answers.items())),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "oauthClient": {
                    "type": "http",
                    "scheme": "basic",
                    "description": "A resource server's client_id:client_secret (GATEWAY_OAUTH_CLIENTS); "
                    "or client_id and client_secret form fields instead.",
                },
            },
        },
    }


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _content(
    media_type: str, model: type[BaseModel] | None, schemas: dict[str, Any], text_example: str = ""
) -> dict[str, Any]:
    if model is not None:
        return {media_type: {"schema": _ref(model), "example": example(_ref(model), schemas)}}
    if media_type == JSON:
        return {media_type: {"schema": {"type": "object"}, "example": {"openapi": "3.1.0"}}}
    return {media_type: {"schema": {"type": "string"}, "example": text_example}}


def _operation(operation: Operation, schemas: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The operation's OpenAPI object; the error answers it refers to are added to `answers`."""
    doc: dict[str, Any] = {
        "operationId": operation.operation_id,
        "tags": [operation.tag],
        "summary": operation.summary,
        "security": SECURITY[operation.security],
    }
    if operation.description:
        doc["description"] = operation.description
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "minLength": 1, "maxLength": MAX_ID_LENGTH} | PATH_SCHEMAS.get(name, {}),
            "example": NAME_EXAMPLES.get(name, "x"),
        }
        for name in operation.path_params
    ]
    for _, model in operation.models:
        if issubclass(model, models.Query):
            parameters += _query_parameters(model)
        else:
            media_type = FORM if issubclass(model, models.Form) else JSON
            doc["requestBody"] = {"required": operation.body_required, "content": _content(media_type, model, schemas)}
    if parameters:
        doc["parameters"] = parameters
    success: dict[str, Any] = {"description": operation.summary}
    if operation.media_type:  # "" for an empty body
        success["content"] = _content(operation.media_type, operation.response, schemas, operation.text_example)
        for media_type, text in operation.also.items():
            success["content"] |= _content(media_type, None, schemas, text)
    if operation.headers:
        success["headers"] = {
            name: {"schema": {"type": "string"}, "example": value} for name, value in operation.headers.items()
        }
    responses: dict[str, Any] = {str(operation.status): success}
    oauth = operation.path.startswith("/oauth2/")
    for status in sorted(set(operation.errors) | ({400} if parameters else set())):
        name, answer = _error(status, operation.security, oauth, status in operation.errors, bool(parameters))
        answers[name] = answer
        responses[str(status)] = {"$ref": f"#/components/responses/{name}"}
    for status, model in operation.responses.items():
        responses[str(status)] = {
            "description": ERRORS.get(status, model.__name__),
            "content": _content(JSON, model, schemas),
        }
    doc["responses"] = responses
    return doc


def _error(
    status: int, security: Security, oauth: bool, declared: bool, parameters: bool
) -> tuple[str, dict[str, Any]]:
    """An error answer's name and OpenAPI object. A 400 is also the HTTP server's plain-text answer to a request
    line too long, for an operation with parameters."""
    if status == 403 and security is RECENT:
        example = errors.error_json("reauthentication_required", REAUTHENTICATE_MESSAGE)
        return "Error403ReauthenticationRequired", {
            "description": RECENT_403,
            "content": {JSON: {"schema": _ref(models.Error), "example": example}},
        }
    if oauth and status in OAUTH_ERRORS:
        code, text, message = OAUTH_ERRORS[status]
        example = {"error": code, "error_description": message}
        return f"OAuth{status}", {
            "description": text,
            "content": {JSON: {"schema": _ref(models.OAuthError), "example": example}},
        }
    name, description, content = f"Error{status}", ERRORS[status], dict[str, Any]()
    if declared:
        code, message = ERROR_EXAMPLES[status]
        content[JSON] = {"schema": _ref(models.Error), "example": errors.error_json(code, message)}
    if status == 400 and parameters:
        name = "Error400OrLineTooLong" if declared else "LineTooLong"
        description = f"{ERRORS[400]} Or: {LINE_TOO_LONG}" if declared else LINE_TOO_LONG
        content["text/plain"] = {"schema": {"type": "string"}, "example": "Got more than 65536 bytes when reading"}
    answer: dict[str, Any] = {"description": description, "content": content}
    if status == 429:
        answer["headers"] = {
            "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer", "minimum": 1}}
        }
    return name, answer


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(schema_generator=Schemas)
    parameters = []
    for name, prop in schema["properties"].items():
        prop = {key: value for key, value in prop.items() if key not in ("default", "description", "examples")}
        parameter = {"name": name, "in": "query", "required": name in schema.get("required", []), "schema": prop}
        info = model.model_fields[name]
        if info.description:
            parameter["description"] = info.description
        parameter["example"] = example(schema["properties"][name], {}, name)
        parameters.append(parameter)
    return parameters


def example(schema: Mapping[str, Any], schemas: Mapping[str, Any], name: str = "") -> Any:
    """An example value of `schema`: its own examples first, then a plausible value by name or type."""
    if "$ref" in schema:
        return example(schemas[schema["$ref"].rsplit("/", 1)[-1]], schemas, name)
    if schema.get("examples"):
        return schema["examples"][0]
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if schema.get("default") not in (None, "", 0, False):
        return schema["default"]
    if "anyOf" in schema:
        options = [option for option in schema["anyOf"] if option.get("type") != "null"]
        return example(options[0], schemas, name) if options else None
    kind = schema.get("type")
    if kind == "object":
        if "properties" in schema:
            return {key: example(value, schemas, key) for key, value in schema["properties"].items()}
        keys = schema.get("propertyNames", {}).get("enum", ["key"])
        return {key: example(schema.get("additionalProperties", {}), schemas, key) for key in keys}
    if kind == "array":
        return [example(schema.get("items", {}), schemas, name)]
    if kind == "string":
        if schema.get("format") == "date-time":
            return TIME_EXAMPLE
        return NAME_EXAMPLES.get(name, "string")
    if kind == "integer":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    return None
