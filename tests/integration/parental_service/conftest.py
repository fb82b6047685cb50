import grpc
import pytest
from remotesignout.parental.v1 import parental_pb2_grpc

from common.grpc_server import channel
from parental_service.bootstrap import bootstrap
from parental_service.config import Config
from parental_service.entrypoints.server import build_server

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
async def stub(app):
    server = build_server("127.0.0.1:0", app)
    await server.start()
    async with channel(f"127.0.0.1:{server.port}") as chan:
        yield parental_pb2_grpc.ParentalServiceStub(chan)
    await server.stop(0)


def reason_of(error: grpc.aio.AioRpcError) -> str:
    return dict(error.trailing_metadata() or ()).get("error-reason", "")
