"""One log line per finished RPC, and the request id bound while it runs (the server interceptor's part).

    {"time": "...", "level": "info", "process": "auth_service", "logger": "common.rpc_log",
     "message": "rpc finished", "request_id": "4bf92f3577b34da6a3ce929d0e0e4736",
     "rpc": "/remotesignout.auth.v1.AuthService/SignIn", "grpc_code": "UNAUTHENTICATED",
     "reason": "wrong_password", "caller": "gateway", "duration_ms": 61.3}

The request id is the caller's `x-request-id` metadata when it is a safe word (common.request_id),
else a new one; it is bound for the handler, so its own log lines and the calls it makes carry it.

Levels: a server fault (UNKNOWN, INTERNAL, UNAVAILABLE, DEADLINE_EXCEEDED, DATA_LOSS, UNIMPLEMENTED:
the codes the error-ratio SLO counts) is WARNING, and an unexpected exception ERROR with its
traceback; everything else is the system working, INFO: OK and the caller's mistakes and refusals
(INVALID_ARGUMENT, UNAUTHENTICATED, NOT_FOUND, RESOURCE_EXHAUSTED, ...), with the error's reason word,
never its message. An OK answer of the calls a process makes on a timer, not for a request (the
revocation feed's polls, signing-key refreshes, health checks: `QUIET`), is DEBUG, so an idle suite
writes nothing each second.
"""

from __future__ import annotations

import contextlib
import logging
import time

import grpc

from common import request_id
from common.grpc_types import Context
from common.permissions import caller, peer_process

log = logging.getLogger(__name__)

QUIET = frozenset(
    {
        "/remotesignout.auth.v1.AuthService/ListRevocations",
        "/remotesignout.auth.v1.AuthService/ListSigningKeys",
        "/grpc.health.v1.Health/Check",
        "/grpc.health.v1.Health/Watch",
    }
)
SERVER_FAULTS = frozenset(
    {
        grpc.StatusCode.UNKNOWN,
        grpc.StatusCode.INTERNAL,
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.DATA_LOSS,
        grpc.StatusCode.UNIMPLEMENTED,
    }
)
UNEXPECTED_MESSAGE = "Something went wrong on our side."
SERVER_STOPPED = "_ServerStoppedError"
"""grpc.aio's (private) exception in a handler reading a stream of a server that has stopped."""
_BY_VALUE = {code.value[0]: code for code in grpc.StatusCode}


def status_code(context: Context, failed: bool) -> grpc.StatusCode:
    """The code the call ended with: the one set on `context`, else OK, or UNKNOWN when it failed."""
    code = context.code()
    if code is None:
        return grpc.StatusCode.UNKNOWN if failed else grpc.StatusCode.OK
    if isinstance(code, grpc.StatusCode):
        return code
    return _BY_VALUE.get(code, grpc.StatusCode.UNKNOWN)


def _cancelled(context: Context) -> grpc.StatusCode:
    """A call cancelled under its handler: by its deadline (the server too slow), or by the client or the
    server's stop."""
    remaining = context.time_remaining()
    return grpc.StatusCode.DEADLINE_EXCEEDED if remaining is not None and remaining <= 0 else grpc.StatusCode.CANCELLED


def _sent_request_id(context: Context) -> str | bytes | None:
    for key, value in context.invocation_metadata() or ():
        if key == request_id.METADATA_KEY:
            return value
    return None


class Call:
    """One call being handled: `begin` binds its request id, `finish` writes its line and unbinds it."""

    __slots__ = ("error", "method", "ok_level", "reason", "started", "stopped", "token")

    def __init__(self, method: str, ok_level: int, context: Context) -> None:
        self.method, self.ok_level = method, ok_level
        self.started = time.perf_counter()
        self.reason = ""
        self.error: BaseException | None = None
        self.stopped = False
        self.token = request_id.bind(request_id.accept(_sent_request_id(context)))

    async def unexpected(self, context: Context, error: Exception) -> None:
        """An exception the handler did not expect: logged with its traceback by `finish`, answered UNKNOWN
        with a message that says nothing of it. grpc's own signal that the server stopped under a stream is
        no fault: it goes on to grpc, and the call ends CANCELLED."""
        if type(error).__name__ == SERVER_STOPPED:
            self.stopped = True
            raise error
        self.error = error
        await context.abort(grpc.StatusCode.UNKNOWN, UNEXPECTED_MESSAGE)

    def finish(self, context: Context, failed: bool, *, cancelled: bool = False) -> None:
        try:
            code = _cancelled(context) if cancelled or self.stopped else status_code(context, failed)
            if self.error is not None:
                level = logging.ERROR
            elif code in SERVER_FAULTS:
                level = logging.WARNING
            else:
                level = self.ok_level if code is grpc.StatusCode.OK else logging.INFO
            if log.isEnabledFor(level):
                fields = {
                    "rpc": self.method,
                    "grpc_code": code.name,
                    "caller": caller() or peer_process(context) or None,
                    "duration_ms": round((time.perf_counter() - self.started) * 1000, 2),
                }
                if self.reason:
                    fields["reason"] = self.reason
                log.log(level, "rpc finished", extra=fields, exc_info=self.error)
        finally:
            with contextlib.suppress(ValueError):  # an abandoned stream may be closed from another context
                request_id.reset(self.token)


class RpcLog:
    """The log of one RPC method; `begin(context)` for each call of it."""

    def __init__(self, method: str) -> None:
        self.method = method
        self.ok_level = logging.DEBUG if method in QUIET else logging.INFO

    def begin(self, context: Context) -> Call:
        return Call(self.method, self.ok_level, context)
