"""A tiny JSON-over-HTTP client (standard library only), for the e2e tests and benchmarks.faults."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from multidict import CIMultiDict


@dataclass
class Reply:
    status: int
    body: Any
    headers: CIMultiDict[str]
    """Looked up by any case of the name: HTTP header names are case-insensitive, and HAProxy passes them on
    in lower case."""

    @property
    def error_code(self) -> str:
        return str(self.body["error"]["code"])


def call(
    base: str,
    method: str,
    path: str,
    body: Any = None,
    token: str | None = None,
    raw: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, payload, reply_headers = response.status, response.read(), CIMultiDict(response.headers.items())
    except urllib.error.HTTPError as error:
        status, payload, reply_headers = error.code, error.read(), CIMultiDict(error.headers.items())
    try:
        parsed = json.loads(payload) if payload else None
    except json.JSONDecodeError:
        parsed = payload.decode(errors="replace")
    return Reply(status, parsed, reply_headers)
