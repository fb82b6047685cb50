"""The request id: one word that names one request in every process's log lines.

The gateway takes it from the request's `X-Request-ID` header when that is a safe word (`accept`: 1 to
64 characters of letters, digits, `-`, `_` and `.`), makes a new one otherwise (uuid4 hex), answers it
in the same header and binds it here for the request's task. Every gRPC call made while one is bound
carries it in the `x-request-id` metadata (common.client_interceptors), and the called service binds
it in turn (common.interceptors), so a call the service makes passes it on too. common.logs writes it
into every line as `request_id`.

Nothing here knows about HTTP or gRPC: the binding is a context variable, so each request's task (and
the tasks it starts) sees its own.
"""

from __future__ import annotations

import contextvars
import re
import uuid

HEADER = "X-Request-ID"
METADATA_KEY = "x-request-id"
MAX_LENGTH = 64
_SAFE = re.compile(rf"[A-Za-z0-9._-]{{1,{MAX_LENGTH}}}")

_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def new() -> str:
    """A fresh request id: 32 hexadecimal digits (uuid4)."""
    return uuid.uuid4().hex


def is_safe(value: str) -> bool:
    """Whether `value` may be taken as a request id: bounded, and only characters that need no escaping
    anywhere (a log line, a header, a metadata value)."""
    return _SAFE.fullmatch(value) is not None


def accept(value: str | bytes | None) -> str:
    """`value` when it is a safe request id, else a new one: an id a caller sent is honoured, never
    reflected when it is anything else."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return value if value and is_safe(value) else new()


def current() -> str:
    """The request id bound in this context, or "" outside a request."""
    return _current.get()


def bind(value: str) -> contextvars.Token[str]:
    """Bind `value` for this context (and the tasks it starts); `reset` with the token undoes it."""
    return _current.set(value)


def reset(token: contextvars.Token[str]) -> None:
    _current.reset(token)
