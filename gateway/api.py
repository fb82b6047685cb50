"""One declaration per operation: how a request is handled, and its part of /openapi.json.

    routes = Routes("devices", "The account's devices, their sign-out and removal.")

    @routes.get("/v1/devices/{device_id}", "getDevice", "One device of the account.", response=models.Device,
                security=SETTINGS, errors=(404,))
    async def get_device(call: Call) -> Reply:
        ...

A handler takes the `Call` and, by annotation, the validated models it needs (a
`models.Body`, `Query` or `Form` subclass each). Before it runs, the caller is
authenticated as `security` says and every model is validated: a failure is 422
naming the field (a form's, 400 invalid_request). It returns a protobuf message, a
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
from dataclasses import dataclass
from typing import Any, TypeVar

import grpc
from aiohttp import web
from aiohttp.typedefs import Handler as AiohttpHandler
from google.protobuf.message import Message
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from common.errors import DomainError, NotFound
from gateway import errors, models
from gateway.auth import KIDS_PROFILE_MESSAGE, Caller, authenticate, authenticate_client, require_account_settings
from gateway.bootstrap import Backends
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
    STREAM = "a signed-in caller; the handler checks the token itself"
    CLIENT = "an OAuth client of GATEWAY_OAUTH_CLIENTS, by HTTP Basic or form fields"


NONE, BEARER, SETTINGS, STREAM, CLIENT = Security


@dataclass
class Call:
    """One request, as a handler sees it."""

    request: web.Request
    backends: Backends
    arrived_at: float
    client_id: str = ""
    signed_in: Caller | None = None

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
    return {name: value for name, value in (await request.post()).items() if isinstance(value, str)}


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

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"\{(\w+)\}", self.path)

    async def endpoint(self, request: web.Request) -> web.StreamResponse:
        call = Call(request, request.app[BACKENDS], request.get(ARRIVED_AT, time.perf_counter()))
        authorization = request.headers.get("Authorization")
        if self.security in (BEARER, SETTINGS):
            call.signed_in = await authenticate(call.backends, authorization)
            if self.security is SETTINGS:
                require_account_settings(call.caller)
        for name in self.path_params:  # as /openapi.json states each: 1 to MAX_ID_LENGTH characters
            if len(request.match_info[name]) > MAX_ID_LENGTH:
                raise NotFound(f"No such thing on your account: an id is at most {MAX_ID_LENGTH} characters.")
        form: dict[str, str] = {}
        if self.security is CLIENT:
            form = await read_form(request)
            call.client_id = authenticate_client(call.backends.settings.oauth_clients, authorization, form)
        arguments: dict[str, BaseModel] = {}
        for name, model in self.models:
            if issubclass(model, models.Query):
                data: Mapping[str, object] = dict(request.query)
            elif issubclass(model, models.Form):
                data = form
            elif self.body_required or request.can_read_body:
                data = parse_object(await request.read())
            else:
                data = {}
            arguments[name] = validate(model, data)
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
                    tuple(sorted(set(errors) | _implied_errors(security, bound, services))),
                    dict(headers or {}),
                    bound,
                    body_required,
                    dict(responses or {}),
                    text_example,
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


def _implied_errors(security: Security, bound: tuple[tuple[str, type[BaseModel]], ...], services: bool) -> set[int]:
    """The statuses every such operation can answer: 401 and 403 of its security, 400 and 422 of its models,
    503 and 504 when a service behind does not answer."""
    implied = {503, 504} if services else set()
    implied |= {401} if security is not NONE else set()
    implied |= {403} if security is SETTINGS else set()
    for _, model in bound:
        implied |= {400} if issubclass(model, (models.Body, models.Form)) else set()
        implied |= {422} if not issubclass(model, models.Form) else set()
    return implied


@web.middleware
async def error_middleware(request: web.Request, handler: AiohttpHandler) -> web.StreamResponse:
    """The edge's safety net: every error becomes {"error": {...}} JSON, never a stack trace."""
    request[ARRIVED_AT] = time.perf_counter()
    try:
        return await handler(request)
    except grpc.aio.AioRpcError as error:
        return errors.from_rpc_error(error)
    except DomainError as error:
        return errors.from_domain_error(error)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        return errors.from_http_exception(error)
    except Exception:
        log.exception("unexpected error answering %s %s", request.method, request.path)
        return errors.unexpected()


# --- the OpenAPI document ------------------------------------------------------------------------------------

REF = "#/components/schemas/{model}"
ERRORS = {
    400: "Malformed JSON or a body that is not an object (`invalid_json`).",
    401: "Missing, invalid, expired or revoked access token; or a wrong password or PIN (`wrong_password`, "
    "`wrong_pin`: the session stays valid).",
    403: "Not allowed: a kids profile (`kids_profile`), a removed device (`device_banned`), a PIN needed "
    "(`pin_required`), another profile (`other_profile`) or a parental rule.",
    404: "No such thing on the caller's account (another account's looks the same).",
    409: "The current state does not allow it.",
    422: "A field is missing, of the wrong type, too long or not one of the allowed values; the message names it.",
    429: "Too many attempts (a locked PIN, wrong passwords); the message says when to try again.",
    503: "A service behind the gateway is unavailable.",
    504: "A service behind the gateway did not answer in time.",
}
ERROR_EXAMPLES = {
    400: ("invalid_json", "The request body is not valid JSON."),
    401: ("unauthenticated", errors.SIGN_IN_FIRST),
    403: ("kids_profile", KIDS_PROFILE_MESSAGE),
    404: ("not_found", "No device with this id on your account."),
    409: ("profile_name_taken", "A profile with this name exists."),
    422: ("invalid_argument", "'email' is required."),
    429: ("password_throttled", "Too many wrong passwords. Wait a few minutes and try again."),
    503: ("unavailable", errors.UNAVAILABLE_MESSAGE),
    504: ("deadline_exceeded", "A service the gateway needs did not answer in time. Please try again."),
}
OAUTH_ERRORS = {
    400: ("invalid_request", "`invalid_request`: not form-encoded, no `token`, or the client authenticated both ways."),
    401: ("invalid_client", "`invalid_client`: bad or missing client authentication."),
}
SECURITY: dict[Security, list[dict[str, list[str]]]] = {
    NONE: [],
    BEARER: [{"bearer": []}],
    SETTINGS: [{"bearer": []}],
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
}
TIME_EXAMPLE = "2026-11-25T19:55:00.000000Z"
LINE_TOO_LONG = "The request line is longer than 64 KiB (the HTTP server's plain-text answer)."


class Schemas(GenerateJsonSchema):
    """pydantic's JSON Schema without a title on every field."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


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
            "schema": {"type": "string", "minLength": 1, "maxLength": MAX_ID_LENGTH},
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
    if operation.headers:
        success["headers"] = {
            name: {"schema": {"type": "string"}, "example": value} for name, value in operation.headers.items()
        }
    responses: dict[str, Any] = {str(operation.status): success}
    for status in sorted(set(operation.errors) | ({400} if parameters else set())):
        name, answer = _error(status, operation.security is CLIENT, status in operation.errors, bool(parameters))
        answers[name] = answer
        responses[str(status)] = {"$ref": f"#/components/responses/{name}"}
    for status, model in operation.responses.items():
        responses[str(status)] = {
            "description": ERRORS.get(status, model.__name__),
            "content": _content(JSON, model, schemas),
        }
    doc["responses"] = responses
    return doc


def _error(status: int, oauth: bool, declared: bool, parameters: bool) -> tuple[str, dict[str, Any]]:
    """An error answer's name and OpenAPI object. A 400 is also the HTTP server's plain-text answer to a request
    line too long, for an operation with parameters."""
    if oauth and status in OAUTH_ERRORS:
        code, text = OAUTH_ERRORS[status]
        return f"OAuth{status}", {
            "description": text,
            "content": {JSON: {"schema": _ref(models.OAuthError), "example": {"error": code}}},
        }
    name, description, content = f"Error{status}", ERRORS[status], dict[str, Any]()
    if declared:
        code, message = ERROR_EXAMPLES[status]
        content[JSON] = {"schema": _ref(models.Error), "example": errors.error_json(code, message)}
    if status == 400 and parameters:
        name = "Error400OrLineTooLong" if declared else "LineTooLong"
        description = f"{ERRORS[400]} Or: {LINE_TOO_LONG}" if declared else LINE_TOO_LONG
        content["text/plain"] = {"schema": {"type": "string"}, "example": "Got more than 65536 bytes when reading"}
    return name, {"description": description, "content": content}


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
