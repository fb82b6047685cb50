"""Two replicas of one service behind mutual TLS: a client channel made from an address list spreads calls
round robin, a call the proto marks as safe to retry steps over a replica that answers UNAVAILABLE or
has stopped, and any other call is tried once (common.balancing, common.tls)."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter

import grpc
import pytest
from remotesignout.auth.v1 import auth_pb2, auth_pb2_grpc

from auth_service.entrypoints.permissions import PERMISSIONS, SERVICE_NAME
from common.grpc_server import create_server

FEED = auth_pb2.ListRevocationsRequest(after_sequence=0, page_size=10)  # NO_SIDE_EFFECTS in auth.proto
REVOKE = auth_pb2.RevokeSessionsRequest(account_id="a")  # unmarked: never retried


class Replica(auth_pb2_grpc.AuthServiceServicer):
    """One auth_service replica: counts what reaches it, and answers UNAVAILABLE when told to."""

    def __init__(self, name: str, calls: Counter[tuple[str, str]]) -> None:
        self.name, self.calls, self.unavailable = name, calls, False

    async def _answer(self, method: str, context: grpc.aio.ServicerContext) -> None:  # type: ignore[type-arg]
        self.calls[(self.name, method)] += 1
        if self.unavailable:
            await context.abort(grpc.StatusCode.UNAVAILABLE, f"{self.name} is unavailable for the test")

    async def ListRevocations(self, request, context):  # type: ignore[no-untyped-def]
        await self._answer("ListRevocations", context)
        return auth_pb2.ListRevocationsResponse(last_sequence=7)

    async def RevokeSessions(self, request, context):  # type: ignore[no-untyped-def]
        await self._answer("RevokeSessions", context)
        return auth_pb2.RevokeSessionsResponse()


@pytest.fixture
async def replicas(pki):
    """Two auth_service replicas on free loopback ports, each with auth_service's certificate."""
    calls: Counter[tuple[str, str]] = Counter()
    servers, servicers = [], []
    for name in ("a", "b"):
        servicer = Replica(name, calls)
        server = create_server(
            "127.0.0.1:0",
            lambda s, servicer=servicer: auth_pb2_grpc.add_AuthServiceServicer_to_server(servicer, s),
            [SERVICE_NAME],
            tls=pki.identity("auth_service"),
            permissions=PERMISSIONS,
            metrics=False,
        )
        await server.start()
        servers.append(server)
        servicers.append(servicer)
    yield servers, servicers, calls
    for server in servers:
        await server.stop(None)


@contextlib.asynccontextmanager
async def stub_as(pki, process, address):
    async with pki.identity(process).channel(address, "auth_service") as channel:
        yield auth_pb2_grpc.AuthServiceStub(channel)


def address_list(servers) -> str:
    return ",".join(f"127.0.0.1:{server.port}" for server in servers)


async def until_both_answer(stub, calls):
    """Round robin sends calls only to replicas whose connection is up: call until both have answered."""
    for _ in range(200):
        await stub.ListRevocations(FEED, timeout=2)
        if calls[("a", "ListRevocations")] and calls[("b", "ListRevocations")]:
            calls.clear()
            return
        await asyncio.sleep(0.01)
    pytest.fail("the second replica never got a call")


async def test_calls_spread_over_both_replicas_round_robin(pki, replicas):
    servers, _, calls = replicas
    async with stub_as(pki, "device_service", address_list(servers)) as stub:
        await until_both_answer(stub, calls)
        for _ in range(20):
            assert (await stub.ListRevocations(FEED, timeout=2)).last_sequence == 7
    assert calls == Counter({("a", "ListRevocations"): 10, ("b", "ListRevocations"): 10})


async def test_a_call_safe_to_retry_steps_over_a_replica_that_answers_unavailable(pki, replicas):
    servers, (a, _b), calls = replicas
    async with stub_as(pki, "device_service", address_list(servers)) as stub:
        await until_both_answer(stub, calls)
        a.unavailable = True
        for _ in range(20):
            assert (await stub.ListRevocations(FEED, timeout=2)).last_sequence == 7
    assert calls[("b", "ListRevocations")] == 20
    assert calls[("a", "ListRevocations")] >= 5  # tried there first, then retried on b


async def test_a_call_safe_to_retry_steps_over_a_stopped_replica(pki, replicas):
    servers, _, calls = replicas
    async with stub_as(pki, "device_service", address_list(servers)) as stub:
        await until_both_answer(stub, calls)
        await servers[0].stop(None)
        for _ in range(20):
            assert (await stub.ListRevocations(FEED, timeout=2)).last_sequence == 7
    assert calls[("b", "ListRevocations")] == 20


async def test_a_call_not_marked_safe_to_retry_is_tried_once(pki, replicas):
    servers, servicers, calls = replicas
    async with stub_as(pki, "gateway", address_list(servers)) as stub:
        await stub.RevokeSessions(REVOKE, timeout=2)  # both connections up before the real test
        await stub.RevokeSessions(REVOKE, timeout=2)
        calls.clear()
        for servicer in servicers:
            servicer.unavailable = True
        for attempt in range(1, 5):
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await stub.RevokeSessions(REVOKE, timeout=2)
            assert refused.value.code() is grpc.StatusCode.UNAVAILABLE
            assert sum(calls.values()) == attempt  # one try per call, never a second
        for servicer in servicers:
            servicer.unavailable = False
        calls.clear()
        for _ in range(4):
            await stub.RevokeSessions(REVOKE, timeout=2)
    assert calls == Counter({("a", "RevokeSessions"): 2, ("b", "RevokeSessions"): 2})


async def test_a_list_of_host_names_reaches_every_replica(pki, replicas):
    servers, _, calls = replicas
    address = ",".join(f"localhost:{server.port}" for server in servers)  # host names, resolved when made
    async with stub_as(pki, "device_service", address) as stub:
        await until_both_answer(stub, calls)
        await stub.ListRevocations(FEED, timeout=2)
    assert sum(calls.values()) == 1
