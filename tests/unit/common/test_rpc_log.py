"""The finished-RPC line of a call grpc ended by stopping the server under it (common.rpc_log)."""

from __future__ import annotations

from typing import Any

import pytest

from common.rpc_log import SERVER_STOPPED, RpcLog
from tests.log_capture import captured_lines

ServerStopped = type(SERVER_STOPPED, (Exception,), {})  # grpc's own is private to its extension


class Context:
    def code(self) -> Any:
        return None

    def time_remaining(self) -> float | None:
        return None

    def invocation_metadata(self) -> tuple[()]:
        return ()

    def peer_identities(self) -> None:
        return None

    async def abort(self, code: Any, details: str) -> None:
        raise AssertionError("a stopping server is not answered UNKNOWN")


async def test_a_server_stopping_under_a_stream_is_a_cancelled_call_at_info_not_an_error() -> None:
    context: Any = Context()
    with captured_lines() as lines:
        call = RpcLog("/remotesignout.auth.v1.AuthService/SyncRevocations").begin(context)
        with pytest.raises(ServerStopped):
            await call.unexpected(context, ServerStopped())
        call.finish(context, True)
    [line] = lines.of("common.rpc_log")
    assert (line["level"], line["grpc_code"]) == ("info", "CANCELLED") and "exception" not in line
