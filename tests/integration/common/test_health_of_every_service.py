"""grpc.health.v1 as any client sees it, on every gRPC service run as `python -m <service>`: Check and
Watch for "" and the service's name over the suite's mutual TLS (as the `operator` identity); Watch
hears NOT_SERVING when the service stops, and while its database or its Redis is unreachable
(common.readiness), then SERVING again once it is back. The database and Redis are reached through a
TCP proxy the test closes (connections cut, new ones refused) and opens again."""

from __future__ import annotations

import asyncio
import os
import pathlib
import signal
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass

import grpc
import pytest
from grpc import aio
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy.engine import make_url

from auth_service.entrypoints.permissions import SERVICE_NAME as AUTH
from common.tls import TlsIdentity
from device_service.entrypoints.permissions import SERVICE_NAME as DEVICE
from parental_service.entrypoints.permissions import SERVICE_NAME as PARENTAL
from tests.postgres import postgres_database_url
from tests.redis_revocations import require_redis
from tests.support import free_port
from tests.tcp_proxy import TcpProxy
from tools.local_secrets import prepare

REDIS_PORT = 6379
STATUS_TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True)
class Service:
    process: str
    name: str
    """Its gRPC service's full name."""
    address_variable: str
    database_variable: str
    metrics_variable: str
    redis_variables: tuple[str, ...]
    """What it reads a Redis URL from (cluster mode); its key prefixes are set per test."""


SERVICES = [
    Service(
        "auth_service",
        AUTH,
        "AUTH_ADDRESS",
        "AUTH_DATABASE_URL",
        "AUTH_METRICS_PORT",
        ("REVOCATION_REDIS_URL", "AUTH_THROTTLE_REDIS_URL"),
    ),
    Service("device_service", DEVICE, "DEVICE_ADDRESS", "DEVICE_DATABASE_URL", "DEVICE_METRICS_PORT", ()),
    Service(
        "parental_service",
        PARENTAL,
        "PARENTAL_ADDRESS",
        "PARENTAL_DATABASE_URL",
        "PARENTAL_METRICS_PORT",
        ("PARENTAL_REDIS_URL",),
    ),
]
every_service = pytest.mark.parametrize("service", SERVICES, ids=[s.process for s in SERVICES])


def status(reply: health_pb2.HealthCheckResponse) -> str:
    return str(health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status))


class Watch:
    """One Watch call; `next()` is the next status it streams."""

    def __init__(self, channel: aio.Channel, name: str) -> None:
        self.name = name
        self.call = health_pb2_grpc.HealthStub(channel).Watch(health_pb2.HealthCheckRequest(service=name))

    async def next(self) -> str:
        reply = await asyncio.wait_for(self.call.read(), STATUS_TIMEOUT_SECONDS)
        assert reply is not aio.EOF, f"Watch({self.name!r}) ended"
        return status(reply)


@dataclass
class Running:
    service: Service
    process: asyncio.subprocess.Process
    channel: aio.Channel
    log: pathlib.Path

    async def check(self, name: str) -> str:
        return status(await health_pb2_grpc.HealthStub(self.channel).Check(health_pb2.HealthCheckRequest(service=name)))

    def watches(self) -> list[Watch]:
        return [Watch(self.channel, name) for name in ("", self.service.name)]

    async def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), 30)


async def statuses(watches: list[Watch]) -> set[str]:
    """The next status of every watch (one set: they must agree)."""
    return set(await asyncio.gather(*(watch.next() for watch in watches)))


@asynccontextmanager
async def running(service: Service, tmp_path: pathlib.Path, **env: str) -> AsyncIterator[Running]:
    """`python -m <service>` on a free port with its own data folder, until SIGTERM (or the end)."""
    prepare(tmp_path / "secrets")
    port, log = free_port(), tmp_path / f"{service.process}.log"
    variables = {
        service.address_variable: f"127.0.0.1:{port}",
        service.metrics_variable: "0",
        "REMOTESIGNOUT_DATA_DIR": str(tmp_path),
        "AUTH_ADDRESS" if service.process != "auth_service" else "DEVICE_ADDRESS": f"127.0.0.1:{free_port()}",
        "GRACE_SECONDS": "1",
        **env,
    }
    with open(log, "wb") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", service.process, env={**os.environ, **variables}, stdout=output, stderr=output
        )
    operator = TlsIdentity.from_dir("operator", tmp_path / "secrets" / "pki")
    channel = operator.channel(f"127.0.0.1:{port}", service.process)
    try:
        try:
            await health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=60, wait_for_ready=True
            )
        except aio.AioRpcError:
            pytest.fail(f"{service.process} did not answer health; its log:\n{log.read_text()}")
        yield Running(service, process, channel, log)
    finally:
        await channel.close()
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 30)


@every_service
async def test_check_and_watch_answer_for_the_server_and_the_service_then_not_serving_when_it_stops(
    service: Service, tmp_path: pathlib.Path
) -> None:
    async with running(service, tmp_path) as up:
        assert [await up.check(""), await up.check(service.name)] == ["SERVING", "SERVING"]
        with pytest.raises(aio.AioRpcError) as unknown:
            await up.check("no.such.Service")
        assert unknown.value.code() == grpc.StatusCode.NOT_FOUND
        watches = up.watches()
        assert await statuses(watches) == {"SERVING"}
        up.process.send_signal(signal.SIGTERM)
        assert await statuses(watches) == {"NOT_SERVING"}
        assert await asyncio.wait_for(up.process.wait(), 30) == 0, up.log.read_text()


@contextmanager
def database_behind(proxy: TcpProxy) -> Iterator[str]:
    """A new PostgreSQL database of the service's own, its URL pointing at `proxy`."""
    with postgres_database_url("health") as url:
        yield make_url(url).set(port=proxy.port).render_as_string(hide_password=False)


@pytest.mark.postgres
@every_service
async def test_health_follows_the_database_and_redis_away_and_back(service: Service, tmp_path: pathlib.Path) -> None:
    redis_proxy = TcpProxy(REDIS_PORT)
    if service.redis_variables:
        await require_redis(f"redis://127.0.0.1:{REDIS_PORT}/0")
    prefix = f"health-{uuid.uuid4().hex[:8]}:"
    redis_env = {variable: f"redis://127.0.0.1:{redis_proxy.port}/0" for variable in service.redis_variables}
    prefixes = {
        "REVOCATION_REDIS_PREFIX": prefix,
        "AUTH_THROTTLE_REDIS_PREFIX": prefix,
        "PARENTAL_REDIS_PREFIX": prefix,
    }
    async with TcpProxy(5432) as database_proxy, redis_proxy:
        with database_behind(database_proxy) as database_url:
            env = {
                service.database_variable: database_url,
                "HEALTH_CHECK_INTERVAL_SECONDS": "0.2",
                **redis_env,
                **prefixes,
            }
            async with running(service, tmp_path, **env) as up:
                watches = up.watches()
                assert await statuses(watches) == {"SERVING"}
                outages = [("database", database_proxy)] + ([("redis", redis_proxy)] if redis_env else [])
                for dependency, proxy in outages:
                    await proxy.close()
                    assert await statuses(watches) == {"NOT_SERVING"}, dependency
                    assert await up.check(service.name) == "NOT_SERVING"
                    await proxy.open()
                    assert await statuses(watches) == {"SERVING"}, dependency
                    assert await up.check("") == "SERVING"
                assert await up.stop() == 0, up.log.read_text()
            log = up.log.read_text()
            assert "unreachable" in log and "reachable again" in log
            assert database_url not in log and "postgres@" not in log  # names and error classes, never URLs
