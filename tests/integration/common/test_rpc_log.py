"""One log line per finished RPC (common.rpc_log, from the server interceptor), at the level its outcome deserves,
with the caller's request id, which calls the handler makes pass on."""

from __future__ import annotations

import logging

import grpc
import pytest
from grpc import aio
from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc

from common import errors, request_id
from common.grpc_server import create_server
from common.rpc_log import UNEXPECTED_MESSAGE
from tests.log_capture import captured_lines

SERVICE = "remotesignout.auth.v1.AuthService"
VALIDATE = f"/{SERVICE}/ValidateToken"


class Servicer(auth_pb2_grpc.AuthServiceServicer):
    """ValidateToken does what its token says; ListRevocations (a timer's call) answers; GetSession calls
    ValidateToken of `onward` (a handler calling another service)."""

    onward: auth_pb2_grpc.AuthServiceAsyncStub

    async def ValidateToken(self, request, context):  # type: ignore[no-untyped-def]
        if request.access_token == "wrong":
            raise errors.Unauthenticated("The password is wrong.", reason="wrong_password")
        if request.access_token == "down":
            raise errors.Unavailable("A service is down.", reason="down")
        if request.access_token == "bug":
            raise RuntimeError("a bug with a secret-looking detail hunter2")
        return auth_pb2.ValidateTokenResponse(account_id="ok")

    async def ListRevocations(self, request, context):  # type: ignore[no-untyped-def]
        return auth_pb2.ListRevocationsResponse()

    async def GetSession(self, request, context):  # type: ignore[no-untyped-def]
        await self.onward.ValidateToken(auth_pb2.ValidateTokenRequest(access_token="fine"))
        return auth_pb2.GetSessionResponse()


PERMISSIONS = {
    VALIDATE: frozenset({"gateway", "auth_service"}),
    f"/{SERVICE}/ListRevocations": frozenset({"gateway"}),
    f"/{SERVICE}/GetSession": frozenset({"gateway"}),
}


@pytest.fixture
async def stub(pki):  # type: ignore[no-untyped-def]
    servicer = Servicer()
    server = create_server(
        "127.0.0.1:0",
        lambda s: auth_pb2_grpc.add_AuthServiceServicer_to_server(servicer, s),
        [SERVICE],
        tls=pki.identity("auth_service"),
        permissions=PERMISSIONS,
        metrics=False,
    )
    await server.start()
    address = f"127.0.0.1:{server.port}"
    onward = pki.identity("auth_service").channel(address, "auth_service")  # the handler's own calls, as itself
    servicer.onward = auth_pb2_grpc.AuthServiceStub(onward)
    channel = pki.identity("gateway").channel(address, "auth_service")
    yield auth_pb2_grpc.AuthServiceStub(channel)
    await channel.close()
    await onward.close()
    await server.stop(None)


def finished(lines, rpc: str = VALIDATE) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    return [entry for entry in lines.of("common.rpc_log") if entry["rpc"] == rpc]


async def call(stub, token: str):  # type: ignore[no-untyped-def]
    return await stub.ValidateToken(auth_pb2.ValidateTokenRequest(access_token=token))


async def test_ok_and_the_callers_mistakes_are_info_a_server_fault_warning(stub) -> None:  # type: ignore[no-untyped-def]
    with captured_lines() as lines:
        await call(stub, "fine")
        with pytest.raises(aio.AioRpcError):
            await call(stub, "wrong")
        with pytest.raises(aio.AioRpcError):
            await call(stub, "down")
    ok, wrong, *down = finished(lines)  # UNAVAILABLE is tried again (common.balancing): a line per try
    assert (ok["level"], ok["grpc_code"], ok["caller"]) == ("info", "OK", "gateway")
    assert isinstance(ok["duration_ms"], float) and "reason" not in ok
    assert (wrong["level"], wrong["grpc_code"], wrong["reason"]) == ("info", "UNAUTHENTICATED", "wrong_password")
    assert "exception" not in wrong and "password is wrong" not in str(wrong)  # the reason word, not the message
    assert down and {(line["level"], line["grpc_code"], line["reason"]) for line in down} == {
        ("warning", "UNAVAILABLE", "down")
    }


async def test_an_unexpected_exception_is_one_error_with_its_traceback_and_says_nothing_to_the_caller(stub) -> None:  # type: ignore[no-untyped-def]
    with captured_lines() as lines, pytest.raises(aio.AioRpcError) as error:
        await call(stub, "bug")
    assert error.value.code() == grpc.StatusCode.UNKNOWN and error.value.details() == UNEXPECTED_MESSAGE
    [line] = finished(lines)
    assert (line["level"], line["grpc_code"]) == ("error", "UNKNOWN")
    assert "RuntimeError: a bug" in line["exception"]
    assert [entry for entry in lines.entries() if entry["level"] == "error"] == [line]  # grpc adds no second one


async def test_a_timers_calls_are_debug_when_they_succeed(stub) -> None:  # type: ignore[no-untyped-def]
    with captured_lines(level=logging.INFO) as quiet:
        await stub.ListRevocations(auth_pb2.ListRevocationsRequest())
    assert finished(quiet, f"/{SERVICE}/ListRevocations") == []
    with captured_lines() as lines:
        await stub.ListRevocations(auth_pb2.ListRevocationsRequest())
    [line] = finished(lines, f"/{SERVICE}/ListRevocations")
    assert line["level"] == "debug"


async def test_the_callers_request_id_is_bound_and_passed_on_and_a_bad_one_is_replaced(stub) -> None:  # type: ignore[no-untyped-def]
    with captured_lines() as lines:
        token = request_id.bind("chain-0001")
        try:
            await stub.GetSession(auth_pb2.GetSessionRequest())  # GetSession calls ValidateToken in turn
        finally:
            request_id.reset(token)
        await stub.ValidateToken(
            auth_pb2.ValidateTokenRequest(access_token="fine"), metadata=((request_id.METADATA_KEY, "bad id!"),)
        )
        await call(stub, "fine")  # outside any request
    onward, replaced, unbound = finished(lines)
    [session] = finished(lines, f"/{SERVICE}/GetSession")
    assert session["request_id"] == onward["request_id"] == "chain-0001"
    assert onward["caller"] == "auth_service"
    assert replaced["request_id"] != "bad id!" and len(replaced["request_id"]) == 32
    assert unbound["request_id"] and unbound["request_id"] != replaced["request_id"]
