import grpc
import pytest
from remotesignout.parental.v1 import parental_pb2_grpc

from parental_service.bootstrap import bootstrap
from parental_service.config import Config
from parental_service.entrypoints.permissions import PERMISSIONS, SERVICE_NAME
from parental_service.entrypoints.server import build_server, feed_entries
from tests.feeds import serving_auth_feed
from tests.grpc_clients import PermittedStub
from tests.postgres import postgres_schema_url

PIN_PEPPER = b"integration-test PIN pepper, fixed, 32+ bytes"


@pytest.fixture
def clock():
    """A settable fake clock in microseconds."""

    class Clock:
        now = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z, a Thursday

        def __call__(self) -> int:
            return self.now

    return Clock()


@pytest.fixture
async def auth_feed(pki):
    """auth_service's revocation feed (tests.feeds): what a test publishes there, auth_service wrote."""
    async with serving_auth_feed(pki.identity("auth_service")) as feed:
        yield feed


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """Every parental_service integration test runs on SQLite and on PostgreSQL (a throw-away schema each)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'parental.db'}"
    else:
        with postgres_schema_url() as url:
            yield url


@pytest.fixture
def config(database_url, auth_feed):
    return Config(database_url=database_url, auth_address=auth_feed.address, pin_pepper=PIN_PEPPER)


@pytest.fixture
async def auth_channel(config, pki):
    """parental_service's channel to auth_service's feed."""
    async with pki.identity("parental_service").channel(config.auth_address, "auth_service") as channel:
        yield channel


@pytest.fixture
def deps(config, auth_channel, clock):
    """parental_service wired to its database (SQLite or PostgreSQL) and the fake feed; `deps.uow()` to
    arrange or inspect state."""
    return bootstrap(config, feed_entries(config, auth_channel, settle_seconds=0.2), clock=clock)


@pytest.fixture
async def stub(deps, pki):
    """ParentalService on a free port; each call made as the process allowed to make it."""
    server = build_server("127.0.0.1:0", deps, tls=pki.identity("parental_service"))
    await server.start()
    stub = PermittedStub(
        parental_pb2_grpc.ParentalServiceStub,
        SERVICE_NAME,
        PERMISSIONS,
        pki,
        f"127.0.0.1:{server.port}",
        "parental_service",
    )
    yield stub
    await stub.close()
    await server.stop(0)


def reason_of(error: grpc.aio.AioRpcError) -> str:
    return dict(error.trailing_metadata() or ()).get("error-reason", "")
