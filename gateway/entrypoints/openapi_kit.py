"""Helpers to write the gateway's OpenAPI 3.1 description by hand."""

from __future__ import annotations

from typing import Any


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def string(max_length: int | None = None, **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", **extra}
    if max_length:
        schema["maxLength"] = max_length
    return schema


def obj(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


TIME = {"type": ["string", "null"], "format": "date-time"}
ERRORS = {
    "400": "Malformed JSON or a body that is not an object (`invalid_json`).",
    "401": "Missing, invalid, expired or revoked access token.",
    "403": "Not allowed: a kids profile (`kids_profile`) or a removed device (`device_banned`).",
    "404": "No such thing on the caller's account (another account's looks the same).",
    "409": "The current state does not allow it.",
    "422": "A field is missing, of the wrong type or too long.",
    "429": "Too many attempts (a locked PIN); the message says when to try again.",
    "503": "A service behind the gateway is unavailable.",
}


def answer(description: str, schema: str | None = None, status: str = "200", *, errors: tuple[str, ...] = ("401",),
           body: str | None = None, summary: str = "", secured: bool = True) -> dict[str, Any]:
    success: dict[str, Any] = {"description": description}
    if schema:
        success["content"] = {"application/json": {"schema": ref(schema)}}
    responses: dict[str, Any] = {status: success}
    for code in errors:
        responses[code] = {"description": ERRORS.get(code, "See the error code."),
                           "content": {"application/json": {"schema": ref("Error")}}}
    operation: dict[str, Any] = {"summary": summary or description, "responses": responses}
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref(body)}}}
    if not secured:
        operation["security"] = []
    return operation


def path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def query_param(name: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema}


PAGE = [query_param("page_size", {"type": "integer", "minimum": 1, "maximum": 100}),
        query_param("page_token", {"type": "string"})]
DEVICE_ID = [path_param("device_id")]
SIGN_OUT_ERRORS = ("401", "503")

