import grpc
import pytest
from remotesignout.parental.v1 import parental_pb2_grpc

from parental_service.bootstrap import bootstrap
from parental_service.config import Config
from parental_service.entrypoints.permissions import PERMISSIONS, SERVICE_NAME
from parental_service.entrypoints.server import build_server, feed_entries
from tests.feeds import serving_auth_feed
from tests.grpc_clients import PermittedStub

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
def app(tmp_path, clock):
    app = bootstrap(Config(database_url=f"sqlite:///{tmp_path / 'parental.db'}", pin_pepper=PIN_PEPPER), clock=clock)
    yield app
    app.close()


@pytest.fixture
async def auth_feed(pki):
    """auth_service's revocation feed (tests.feeds): what a test publishes there, auth_service wrote."""
    async with serving_auth_feed(pki.identity("auth_service")) as feed:
        yield feed


@pytest.fixture
async def stub(app, auth_feed, pki):
    """ParentalService on a free port; each call made as the process allowed to make it."""
    async with pki.identity("parental_service").channel(auth_feed.address, "auth_service") as auth_channel:
        feed = feed_entries(Config(auth_address=auth_feed.address), auth_channel, settle_seconds=0.2)
        server = build_server("127.0.0.1:0", app, feed, tls=pki.identity("parental_service"))
        await server.start()
        stub = PermittedStub(parental_pb2_grpc.ParentalServiceStub, SERVICE_NAME, PERMISSIONS, pki,
                             f"127.0.0.1:{server.port}", "parental_service")
        yield stub
        await stub.close()
        await server.stop(0)


def reason_of(error: grpc.aio.AioRpcError) -> str:
    return dict(error.trailing_metadata() or ()).get("error-reason", "")
