"""Every call on a channel common.tls makes is counted by its final status and timed (common.client_metrics):
unary-unary, unary-stream and stream-stream, on a real mutual-TLS server."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from prometheus_client import REGISTRY
from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc

from common import errors
from common.grpc_server import create_server

SERVICE = "remotesignout.auth.v1.AuthService"


class Servicer(auth_pb2_grpc.AuthServiceServicer):
    async def ValidateToken(self, request, context):  # type: ignore[no-untyped-def]
        if request.access_token == "gone":
            raise errors.NotFound("no such thing")
        return auth_pb2.ValidateTokenResponse(account_id="ok")

    async def WatchSession(self, request, context):  # type: ignore[no-untyped-def]
        while True:
            yield auth_pb2.WatchSessionResponse()
            await asyncio.sleep(0.01)


@pytest.fixture
async def channel(pki):  # type: ignore[no-untyped-def]
    built = create_server(
        "127.0.0.1:0",
        lambda s: auth_pb2_grpc.add_AuthServiceServicer_to_server(Servicer(), s),
        [SERVICE],
        tls=pki.identity("auth_service"),
        permissions={f"/{SERVICE}/{name}": frozenset({"gateway"}) for name in ("ValidateToken", "WatchSession")},
        reflection_enabled=True,
    )
    await built.start()
    open_channel = pki.identity("gateway").channel(f"127.0.0.1:{built.port}", "auth_service")
    yield open_channel
    await open_channel.close()
    await built.stop(None)


def handled(service: str, method: str, code: str) -> float:
    labels = {"grpc_service": service, "grpc_method": method, "grpc_code": code}
    return REGISTRY.get_sample_value("remotesignout_grpc_client_handled_total", labels) or 0.0


def timed(service: str, method: str) -> float:
    labels = {"grpc_service": service, "grpc_method": method}
    return REGISTRY.get_sample_value("remotesignout_grpc_client_handling_seconds_count", labels) or 0.0


async def eventually(check) -> None:  # type: ignore[no-untyped-def]
    """A stream is recorded from its done callback, a moment after it ended."""
    for _ in range(200):
        if check():
            return
        await asyncio.sleep(0.01)
    assert check()


async def test_unary_calls_are_counted_by_final_status_and_timed(channel) -> None:  # type: ignore[no-untyped-def]
    ok, gone, count = (
        handled(SERVICE, "ValidateToken", "OK"),
        handled(SERVICE, "ValidateToken", "NOT_FOUND"),
        timed(SERVICE, "ValidateToken"),
    )
    stub = auth_pb2_grpc.AuthServiceStub(channel)
    assert (await stub.ValidateToken(auth_pb2.ValidateTokenRequest(access_token="x"))).account_id == "ok"
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.ValidateToken(auth_pb2.ValidateTokenRequest(access_token="gone"))
    assert refused.value.code() == grpc.StatusCode.NOT_FOUND and refused.value.details() == "no such thing"
    assert handled(SERVICE, "ValidateToken", "OK") == ok + 1
    assert handled(SERVICE, "ValidateToken", "NOT_FOUND") == gone + 1
    assert timed(SERVICE, "ValidateToken") == count + 2


async def test_a_call_the_server_refuses_counts_its_code(channel) -> None:  # type: ignore[no-untyped-def]
    before = handled(SERVICE, "ListSigningKeys", "PERMISSION_DENIED")
    with pytest.raises(grpc.aio.AioRpcError):
        await auth_pb2_grpc.AuthServiceStub(channel).ListSigningKeys(auth_pb2.ListSigningKeysRequest())
    assert handled(SERVICE, "ListSigningKeys", "PERMISSION_DENIED") == before + 1


async def test_a_stream_stream_call_counts_once_it_ended(channel) -> None:  # type: ignore[no-untyped-def]
    service, method = "grpc.reflection.v1alpha.ServerReflection", "ServerReflectionInfo"
    before = handled(service, method, "OK")
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    call = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
    replies = [reply async for reply in call]
    assert replies
    await eventually(lambda: handled(service, method, "OK") == before + 1)


async def test_a_unary_stream_call_the_caller_cancels_counts_as_cancelled(channel) -> None:  # type: ignore[no-untyped-def]
    before = handled(SERVICE, "WatchSession", "CANCELLED")
    call = auth_pb2_grpc.AuthServiceStub(channel).WatchSession(auth_pb2.WatchSessionRequest())
    async for _reply in call:
        break
    assert handled(SERVICE, "WatchSession", "CANCELLED") == before  # still open: not counted yet
    call.cancel()
    await eventually(lambda: handled(SERVICE, "WatchSession", "CANCELLED") == before + 1)
