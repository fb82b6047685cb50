"""The shared server kit: domain errors become status codes, every call is counted, health and reflection."""

import asyncio

import grpc
import pytest
from grpc import aio
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from prometheus_client import REGISTRY
from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc

from common import errors
from common.grpc_errors import REASON_KEY, STATUS_FOR_ERROR, status_for
from common.grpc_server import create_server
from common.unit_of_work import CONFLICT_MESSAGE, Conflict

SERVICE = "remotesignout.auth.v1.AuthService"
RAISES = {
    "invalid": errors.InvalidArgument("bad field", reason="bad_field"),
    "gone": errors.NotFound("no such thing"),
    "slow": errors.ResourceExhausted("too many attempts"),
    "raced": Conflict("duplicate key value violates unique constraint: Key (email)=(ann@example.com) already exists"),
}


class Servicer(auth_pb2_grpc.AuthServiceServicer):
    async def ValidateToken(self, request, context):
        if request.access_token in RAISES:
            raise RAISES[request.access_token]
        if request.access_token == "bug":
            raise RuntimeError("a bug, not the caller's fault")
        return auth_pb2.ValidateTokenResponse(account_id="ok")


PERMISSIONS = {f"/{SERVICE}/ValidateToken": frozenset({"gateway"})}


@pytest.fixture
async def server(pki):
    built = create_server(
        "127.0.0.1:0",
        lambda s: auth_pb2_grpc.add_AuthServiceServicer_to_server(Servicer(), s),
        [SERVICE],
        tls=pki.identity("auth_service"),
        permissions=PERMISSIONS,
        reflection_enabled=True,
    )
    await built.start()
    channel = pki.identity("gateway").channel(f"127.0.0.1:{built.port}", "auth_service")
    yield built, channel
    await channel.close()
    await built.stop(None)


def handled(code: str) -> float:
    value = REGISTRY.get_sample_value(
        "remotesignout_grpc_server_handled_total",
        {"grpc_service": SERVICE, "grpc_method": "ValidateToken", "grpc_code": code},
    )
    return value or 0.0


def test_every_domain_error_has_a_status_code():
    shared = [kind for kind in errors.DomainError.__subclasses__() if kind.__module__ == "common.errors"]
    assert set(STATUS_FOR_ERROR) == set(shared)
    stack = list(shared)
    while stack:  # subclasses defined by the services map through their base
        kind = stack.pop()
        stack.extend(kind.__subclasses__())
        instance = kind.__new__(kind)  # some take their own arguments; the class is what maps
        assert status_for(instance) != grpc.StatusCode.INTERNAL, kind


async def test_domain_errors_become_their_status_with_the_message_and_reason(server):
    _, channel = server
    stub = auth_pb2_grpc.AuthServiceStub(channel)
    for token, code in [
        ("invalid", grpc.StatusCode.INVALID_ARGUMENT),
        ("gone", grpc.StatusCode.NOT_FOUND),
        ("slow", grpc.StatusCode.RESOURCE_EXHAUSTED),
    ]:
        with pytest.raises(aio.AioRpcError) as error:
            await stub.ValidateToken(auth_pb2.ValidateTokenRequest(access_token=token))
        assert error.value.code() == code
        assert error.value.details() == RAISES[token].message
    with pytest.raises(aio.AioRpcError) as error:
        await stub.ValidateToken(auth_pb2.ValidateTokenRequest(access_token="invalid"))
    assert dict(error.value.trailing_metadata())[REASON_KEY] == "bad_field"


async def test_a_write_that_lost_to_a_concurrent_one_is_aborted_without_the_databases_words(server):
    _, channel = server
    with pytest.raises(aio.AioRpcError) as error:
        await auth_pb2_grpc.AuthServiceStub(channel).ValidateToken(auth_pb2.ValidateTokenRequest(access_token="raced"))
    assert error.value.code() == grpc.StatusCode.ABORTED
    assert error.value.details() == CONFLICT_MESSAGE
    assert dict(error.value.trailing_metadata())[REASON_KEY] == "conflict"


async def test_every_call_is_counted_by_its_status_code(server):
    _, channel = server
    stub = auth_pb2_grpc.AuthServiceStub(channel)
    before_ok, before_missing, before_unknown = handled("OK"), handled("NOT_FOUND"), handled("UNKNOWN")
    await stub.ValidateToken(auth_pb2.ValidateTokenRequest(access_token="fine"))
    await stub.ValidateToken(auth_pb2.ValidateTokenRequest(access_token="fine"))
    with pytest.raises(aio.AioRpcError):
        await stub.ValidateToken(auth_pb2.ValidateTokenRequest(access_token="gone"))
    with pytest.raises(aio.AioRpcError) as error:
        await stub.ValidateToken(auth_pb2.ValidateTokenRequest(access_token="bug"))
    assert error.value.code() == grpc.StatusCode.UNKNOWN
    assert (handled("OK") - before_ok, handled("NOT_FOUND") - before_missing, handled("UNKNOWN") - before_unknown) == (
        2,
        1,
        1,
    )


async def test_an_unknown_method_is_unimplemented(server):
    _, channel = server
    call = channel.unary_unary(
        f"/{SERVICE}/NoSuchMethod", request_serializer=lambda b: b, response_deserializer=lambda b: b
    )
    with pytest.raises(aio.AioRpcError) as error:
        await call(b"")
    assert error.value.code() == grpc.StatusCode.UNIMPLEMENTED


async def test_health_is_serving_and_reflection_lists_the_service(server):
    built, channel = server
    health = health_pb2_grpc.HealthStub(channel)
    reply = await health.Check(health_pb2.HealthCheckRequest(service=SERVICE))
    assert reply.status == health_pb2.HealthCheckResponse.SERVING
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    responses = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
    async for response in responses:
        names = {s.name for s in response.list_services_response.service}
        assert SERVICE in names and "grpc.health.v1.Health" in names
        break
    await built.stop(0.1)


STREAMS = "remotesignout.test.v1.Streams"


async def yielded(request, context):
    """A streaming behaviour as this project's servicers write them: an async generator."""
    if request == b"refuse":
        raise errors.NotFound("nothing to stream")
    for part in (b"a", b"b"):
        yield part


async def written(request, context):
    """One as grpc_health's Watch is: a coroutine that writes with context.write and returns None."""
    if request == b"refuse":
        raise errors.NotFound("nothing to stream")
    for part in (b"a", b"b"):
        await context.write(part)


def add_streams(server):
    server.add_generic_rpc_handlers(
        (
            grpc.method_handlers_generic_handler(
                STREAMS,
                {
                    "Yielded": grpc.unary_stream_rpc_method_handler(yielded),
                    "Written": grpc.unary_stream_rpc_method_handler(written),
                },
            ),
        )
    )


def stream_handled(method: str, code: str) -> float:
    value = REGISTRY.get_sample_value(
        "remotesignout_grpc_server_handled_total", {"grpc_service": STREAMS, "grpc_method": method, "grpc_code": code}
    )
    return value or 0.0


@pytest.mark.parametrize("method", ["Yielded", "Written"])
async def test_both_kinds_of_streaming_behaviour_stream_and_are_authorized_counted_and_mapped_alike(pki, method):
    server = create_server(
        "127.0.0.1:0",
        add_streams,
        [STREAMS],
        tls=pki.identity("auth_service"),
        permissions={f"/{STREAMS}/{method}": frozenset({"gateway"})},
    )
    await server.start()
    address = f"127.0.0.1:{server.port}"
    counted = {code: stream_handled(method, code) for code in ("OK", "NOT_FOUND", "PERMISSION_DENIED", "UNKNOWN")}
    try:
        async with pki.identity("gateway").channel(address, "auth_service") as channel:
            call = channel.unary_stream(f"/{STREAMS}/{method}")
            assert [part async for part in call(b"go")] == [b"a", b"b"]
            with pytest.raises(aio.AioRpcError) as missing:
                _ = [part async for part in call(b"refuse")]
            assert (missing.value.code(), missing.value.details()) == (grpc.StatusCode.NOT_FOUND, "nothing to stream")
        async with pki.identity("device_service").channel(address, "auth_service") as channel:
            with pytest.raises(aio.AioRpcError) as refused:
                _ = [part async for part in channel.unary_stream(f"/{STREAMS}/{method}")(b"go")]
            assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    finally:
        # A call is counted after its status went out (abort sends it): a grace lets every handler finish.
        await server.stop(5)
    assert {code: stream_handled(method, code) - before for code, before in counted.items()} == {
        "OK": 1,
        "NOT_FOUND": 1,
        "PERMISSION_DENIED": 1,
        "UNKNOWN": 0,
    }


async def test_watch_streams_serving_then_not_serving_when_the_server_stops(server):
    built, channel = server
    watches = [
        health_pb2_grpc.HealthStub(channel).Watch(health_pb2.HealthCheckRequest(service=name)) for name in ("", SERVICE)
    ]
    for watch in watches:
        assert (await watch.read()).status == health_pb2.HealthCheckResponse.SERVING
    stopping = asyncio.create_task(built.stop(1))
    for watch in watches:
        assert (await asyncio.wait_for(watch.read(), 10)).status == health_pb2.HealthCheckResponse.NOT_SERVING
    await stopping
