"""Hostile input gets a clear 4xx before any service is called, never a 500: strings that are not text, headers that
are not ASCII or too long, JSON sent as another media type."""

from __future__ import annotations

import asyncio
import base64
import json
import re
from typing import Any

import pytest

from gateway import models
from gateway.api import CLIENT, REF, STREAM, example
from gateway.app import ROUTES
from gateway.auth import MAX_AUTHORIZATION
from tests.integration.gateway.conftest import bearer

DEMO_CLIENT = b"Basic " + base64.b64encode(b"resource-server:resource-server-secret")
NOT_TEXT = ["\ud800", "\udfff", "\x00", "\x07", "\x1b", "\x7f", "\x85"]
OPERATIONS = [op for group in ROUTES for op in group.operations if op.security not in (CLIENT, STREAM)]


async def raw(stack, request: bytes) -> tuple[int, dict[str, str], bytes]:  # type: ignore[no-untyped-def]
    """Send bytes as they are (aiohttp's client would refuse them) and read the answer."""
    reader, writer = await asyncio.open_connection(stack.client.host, stack.client.port)
    writer.write(request)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return int(status_line.split()[1]), headers, body


def strings_in(value: Any, label: str = "") -> list[str]:
    """The label of every string of a JSON value ("device.name", "windows[0].weekday")."""
    if isinstance(value, str):
        return [label]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in strings_in(item, f"{label}.{key}" if label else key)]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in strings_in(item, f"{label}[{index}]")]
    return []


def replaced(value: Any, label: str, new: str, at: str = "") -> Any:
    if isinstance(value, dict):
        return {key: replaced(item, label, new, f"{at}.{key}" if at else key) for key, item in value.items()}
    if isinstance(value, list):
        return [replaced(item, label, new, f"{at}[{index}]") for index, item in enumerate(value)]
    return new if at == label else value


def example_body(model: type[models.Body]) -> Any:
    schema = model.model_json_schema(ref_template=REF)
    return example(schema, schema.get("$defs", {}))


BODIES = [
    (op, name, model)
    for op in OPERATIONS
    for name, model in op.models
    if issubclass(model, models.Body) and strings_in(example_body(model))
]
QUERIES = [
    (op, field)
    for op in OPERATIONS
    for _, model in op.models
    if issubclass(model, models.Query)
    for field, info in model.model_fields.items()
    if info.annotation is str or "str" in str(info.annotation)
]


def test_every_string_field_of_every_body_and_query_is_covered():
    labels = {label for _, _, model in BODIES for label in strings_in(example_body(model))}
    assert {"email", "password", "device.client_id", "device.name", "refresh_token", "windows[0].weekday"} <= labels
    assert {"profile_name", "page_token"} <= {field for _, field in QUERIES}


def path_of(op) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\{\w+\}", "x", op.path)


@pytest.mark.parametrize("bad", NOT_TEXT, ids=ascii)
async def test_a_string_field_that_is_not_text_is_400_invalid_text_naming_it_before_any_service(stack, bad):
    tokens = await stack.sign_in()
    calls = list(stack.world.calls)
    for op, _, model in BODIES:
        body = example_body(model)
        for label in strings_in(body):
            response = await stack.client.request(
                op.method,
                path_of(op),
                data=json.dumps(replaced(body, label, f"a{bad}b")),
                headers={**bearer(tokens), "Content-Type": "application/json"},
            )
            assert response.status == 400, (op.operation_id, label, await response.text())
            error = (await response.json())["error"]
            assert error["code"] == "invalid_text"
            assert f"'{label}'" in error["message"]
    assert stack.world.calls == calls
    assert len(stack.world.sign_in_requests) == 1


async def test_fields_the_api_does_not_declare_are_ignored_whatever_they_hold(stack):
    # /openapi.json allows undeclared fields; the text rule covers every declared string (above), and an
    # undeclared field, whatever its name or content, is dropped before any service sees the request.
    body = '{"email": "a@b.c", "password": "correct horse", "\\ud800": 1, "x": ["ok", "\\u0000"]}'
    response = await stack.client.post("/v1/accounts", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 201, await response.text()
    assert list(stack.world.accounts) == ["a@b.c"]
    nested = '{"email": "a@b.c", "password": "correct horse", "device": {"\\u0000": "x"}}'
    response = await stack.client.post("/v1/accounts", data=nested, headers={"Content-Type": "application/json"})
    assert response.status != 500


@pytest.mark.parametrize("bad", ["%ED%A0%80", "%00", "%1B", "%C2%85", "%FF"])
async def test_a_query_parameter_that_is_not_text_is_400_invalid_text(stack, bad):
    tokens = await stack.sign_in()
    for op, field in QUERIES:
        response = await stack.client.get(f"{path_of(op)}?{field}=a{bad}b", headers=bearer(tokens))
        if bad in ("%ED%A0%80", "%FF"):  # not UTF-8: aiohttp's URL parsing makes each byte U+FFFD, which is text
            assert response.status < 500, (op.operation_id, field, await response.text())
            continue
        assert response.status == 400, (op.operation_id, field, await response.text())
        error = (await response.json())["error"]
        assert (error["code"], f"'{field}'" in error["message"]) == ("invalid_text", True)


async def test_a_path_parameter_that_is_not_text_is_400_invalid_text(stack):
    tokens = await stack.sign_in()
    for path in (
        "/v1/devices/a%00b",
        "/v1/devices/a%1Bb/activity",
        "/v1/profiles/%7F/rules",
        "/v1/downloads/%C2%9F/license",
    ):
        response = await stack.client.get(path, headers=bearer(tokens))
        assert response.status == 400, path
        assert (await response.json())["error"]["code"] == "invalid_text"


@pytest.mark.parametrize(
    "value",
    [b"Bearer \xff\xfe", b"Bearer \xed\xa0\x80", "Bearer caf\u00e9".encode(), b"Bearer a\x80b", b"Bearer \x85"],
)
async def test_a_bearer_authorization_that_is_not_printable_ascii_is_401_never_500(stack, value):
    status, headers, body = await raw(
        stack, b"GET /v1/devices HTTP/1.1\r\nHost: x\r\nAuthorization: " + value + b"\r\nConnection: close\r\n\r\n"
    )
    assert status == 401, body
    assert json.loads(body)["error"]["code"] == "invalid_authorization_header"
    assert headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("value", [b"Bearer a\x01b", b"Bearer a\x7fb", b"Bearer a\x00b"])
async def test_a_control_character_in_a_header_is_the_http_servers_400(stack, value):
    status, _, body = await raw(
        stack, b"GET /v1/devices HTTP/1.1\r\nHost: x\r\nAuthorization: " + value + b"\r\nConnection: close\r\n\r\n"
    )
    assert status == 400, body


async def test_an_over_long_authorization_is_401_and_never_reaches_auth_service(stack):
    tokens = await stack.sign_in()
    padded = tokens["access_token"] + "a" * MAX_AUTHORIZATION
    response = await stack.client.get("/v1/devices", headers={"Authorization": f"Bearer {padded}"})
    assert response.status == 401
    assert (await response.json())["error"]["code"] == "invalid_authorization_header"
    status, _, body = await raw(
        stack, b"GET /v1/devices HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + b"a" * 9000 + b"\r\n\r\n"
    )
    assert status == 400  # past 8190 bytes the HTTP server itself refuses the header
    assert b"Traceback" not in body


@pytest.mark.parametrize("value", [b"Basic \xff\xfe", "Basic caf\u00e9".encode(), b"Basic " + b"A" * 5000])
async def test_a_basic_authorization_that_is_not_printable_ascii_is_401_invalid_client(stack, value):
    form = b"token=abc"
    status, headers, body = await raw(
        stack,
        b"POST /oauth2/introspect HTTP/1.1\r\nHost: x\r\nAuthorization: "
        + value
        + b"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
        + str(len(form)).encode()
        + b"\r\nConnection: close\r\n\r\n"
        + form,
    )
    assert status == 401, body
    assert json.loads(body)["error"] == "invalid_client"
    assert headers["WWW-Authenticate"].startswith("Basic")


@pytest.mark.parametrize(
    "form",
    [b"token=a%00b&client_id=resource-server", b"token=\xff\xfe", b"token=%ED%A0%80"],
    ids=["nul", "not-utf8", "surrogate"],
)
async def test_a_form_that_is_not_text_is_400_invalid_request_or_harmless(stack, form):
    status, _, body = await raw(
        stack,
        b"POST /oauth2/introspect HTTP/1.1\r\nHost: x\r\nAuthorization: "
        + DEMO_CLIENT
        + b"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
        + str(len(form)).encode()
        + b"\r\nConnection: close\r\n\r\n"
        + form,
    )
    answer = json.loads(body)
    if form == b"token=%ED%A0%80":  # decoded as U+FFFD, which is text: an unknown token
        assert (status, answer) == (200, {"active": False})
        return
    assert status == 400, body
    assert answer["error"] == "invalid_request" and answer["error_description"]
    assert "auth.IntrospectToken" not in stack.world.calls


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
async def test_a_json_body_sent_as_another_media_type_is_415(stack, content_type):
    body = b'{"email": "a@b.c", "password": "correct horse"}'
    headers = {"Content-Type": content_type} if content_type else {}
    response = await stack.client.post("/v1/accounts", data=body, headers=headers)
    assert response.status == 415
    assert (await response.json())["error"]["code"] == "unsupported_media_type"
    assert stack.world.accounts == {}


async def test_json_with_a_charset_passes_and_an_empty_body_where_none_is_needed_is_fine(stack):
    response = await stack.client.post(
        "/v1/accounts",
        data=b'{"email": "a@b.c", "password": "correct horse"}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status == 201
    tokens = await stack.sign_in("a@b.c")
    for path in ("/v1/playback/stop", "/v1/sign-out"):
        response = await stack.client.post(path, headers=bearer(tokens))
        assert response.status == 200, (path, await response.text())


async def test_padded_or_junk_access_tokens_are_401(stack):
    tokens = await stack.sign_in()
    token = tokens["access_token"]
    for candidate in (f"{token}=", f"{token}==", f"{token}.", f"{token}x", f"x{token}", f"{token},{token}"):
        response = await stack.client.get("/v1/devices", headers={"Authorization": f"Bearer {candidate}"})
        assert response.status == 401, candidate
    assert (await stack.client.get("/v1/devices", headers=bearer(tokens))).status == 200
