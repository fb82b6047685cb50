"""ConfirmPassword and GetSession's recent authentication over gRPC, on a real database (SQLite and PostgreSQL),
with an injected clock."""

import grpc
import pytest
from grpc import aio
from remotesignout.auth.v1 import auth_pb2 as pb
from remotesignout.auth.v1 import auth_pb2_grpc

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.adapters.migrations import HISTORY
from auth_service.adapters.unit_of_work import unit_of_work_factory
from auth_service.bootstrap import build
from auth_service.config import Config
from auth_service.entrypoints.permissions import PERMISSIONS, SERVICE_NAME
from auth_service.entrypoints.server import create_auth_server
from auth_service.service_layer.revocations import load_index
from common.clock import now_us
from tests.grpc_clients import PermittedStub
from tests.schema import migrated_engine
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY, FakeDeviceRegistry

PASSWORD = "correct horse battery"
STEP_UP_US = 600 * 1_000_000


class Clock:
    offset = 0

    def __call__(self) -> int:
        return now_us() + self.offset


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def auth(database_url, pki, clock):
    engine = migrated_engine(database_url, HISTORY)
    config = Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY)
    codec = AccessTokenCodec([SigningKey.generate()], 900)
    deps = build(config, unit_of_work_factory(engine), codec, FakeDeviceRegistry(), clock)
    await load_index(deps.uow(), deps.index)
    server = create_auth_server(deps, "127.0.0.1:0", tls=pki.identity("auth_service"))
    await server.start()
    stub = PermittedStub(
        auth_pb2_grpc.AuthServiceStub, SERVICE_NAME, PERMISSIONS, pki, f"127.0.0.1:{server.port}", "auth_service"
    )
    yield stub
    await stub.close()
    await server.stop(None)
    engine.dispose()


@pytest.fixture
async def signed(auth):
    await auth.CreateAccount(pb.CreateAccountRequest(email="ann@example.com", password=PASSWORD))
    device = pb.Device(client_id="tablet", name="Tablet", type=pb.DEVICE_TYPE_TABLET)
    return await auth.SignIn(pb.SignInRequest(email="ann@example.com", password=PASSWORD, device=device))


async def session_of(auth, signed) -> pb.Session:
    reply = await auth.GetSession(pb.GetSessionRequest(account_id=signed.account_id, session_id=signed.session_id))
    return reply.session


async def select(auth, signed, profile_id: str, kind: str) -> None:
    await auth.SetSessionProfile(
        pb.SetSessionProfileRequest(
            account_id=signed.account_id, session_id=signed.session_id, profile_id=profile_id, profile_kind=kind
        )
    )


def confirm(auth, signed, profile_id: str = "", password: str = PASSWORD):
    return auth.ConfirmPassword(
        pb.ConfirmPasswordRequest(
            account_id=signed.account_id, session_id=signed.session_id, profile_id=profile_id, password=password
        )
    )


async def test_sign_in_counts_until_step_up_seconds_have_passed(auth, signed, clock):
    session = await session_of(auth, signed)
    assert session.recently_authenticated and session.HasField("password_confirmed_at")
    assert session.password_confirmed_at.ToMicroseconds() == pytest.approx(now_us(), abs=10_000_000)
    clock.offset = STEP_UP_US
    assert not (await session_of(auth, signed)).recently_authenticated


async def test_selecting_another_profile_ends_it_in_the_database_and_confirming_renews_it(auth, signed, clock):
    await select(auth, signed, "kid-1", "kids")
    await select(auth, signed, "teen-1", "standard")
    session = await session_of(auth, signed)
    assert (session.profile_id, session.recently_authenticated) == ("teen-1", False)
    assert not session.HasField("password_confirmed_at")

    with pytest.raises(aio.AioRpcError) as wrong:
        await confirm(auth, signed, "teen-1", "a guess")
    assert wrong.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert not (await session_of(auth, signed)).recently_authenticated

    clock.offset = 42_000_000
    reply = await confirm(auth, signed, "teen-1")
    assert reply.recently_authenticated_until.ToMicroseconds() == pytest.approx(
        now_us() + clock.offset + STEP_UP_US, abs=10_000_000
    )
    assert (await session_of(auth, signed)).recently_authenticated
    await select(auth, signed, "teen-1", "standard")  # the same profile again: still confirmed
    assert (await session_of(auth, signed)).recently_authenticated
    await select(auth, signed, "owner-1", "owner")
    assert not (await session_of(auth, signed)).recently_authenticated


async def test_a_token_of_a_profile_the_session_left_gets_other_profile(auth, signed):
    await select(auth, signed, "kid-1", "kids")
    with pytest.raises(aio.AioRpcError) as error:
        await confirm(auth, signed, "")
    assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert not (await session_of(auth, signed)).recently_authenticated
