"""Signing a device in with a code (RFC 8628) through AuthService's RPCs, on SQLite and on PostgreSQL: the
statuses and reasons each answer carries, a code that lives only as keyed hashes in the database, exactly one
winner of two concurrent approvals (or polls), and only the gateway may call them."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from remotesignout.auth.v1 import auth_pb2 as pb
from remotesignout.auth.v1 import auth_pb2_grpc
from sqlalchemy import text

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

SECOND = 1_000_000
TV = pb.Device(client_id="tv-install-1", name="Living room TV", type=pb.DEVICE_TYPE_TV)
TV_ADDRESS, PHONE_ADDRESS = "192.0.2.1", "198.51.100.9"
PLACES = {TV_ADDRESS: ("Portugal", "Portugal"), PHONE_ADDRESS: ("Spain", "Spain")}


class Clock:
    def __init__(self) -> None:
        self.offset = 0

    def __call__(self) -> int:
        return now_us() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += int(seconds * SECOND)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def registry() -> FakeDeviceRegistry:
    return FakeDeviceRegistry()


@pytest.fixture
def engine(database_url):
    engine = migrated_engine(database_url, HISTORY)
    yield engine
    engine.dispose()


@pytest.fixture
async def auth(engine, pki, clock, registry):
    """A real AuthService on a real database, with a clock the test moves and a table of locations."""
    config = Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY, device_code_interval_seconds=2)
    codec = AccessTokenCodec([SigningKey.generate()], 900)
    deps = build(
        config, unit_of_work_factory(engine), codec, registry, clock=clock, locator=lambda ip: PLACES.get(ip, ("", ""))
    )
    await load_index(deps.uow(), deps.index)
    server = create_auth_server(deps, "127.0.0.1:0", tls=pki.identity("auth_service"), metrics=False)
    await server.start()
    stub = PermittedStub(
        auth_pb2_grpc.AuthServiceStub, SERVICE_NAME, PERMISSIONS, pki, f"127.0.0.1:{server.port}", "auth_service"
    )
    yield stub
    await stub.close()
    await server.stop(None)


@pytest.fixture
async def account_id(auth) -> str:
    created = await auth.CreateAccount(pb.CreateAccountRequest(email="ann@example.com", password="Ann-password-1"))
    return str(created.account_id)


async def start(auth) -> pb.StartDeviceAuthorizationResponse:
    return await auth.StartDeviceAuthorization(
        pb.StartDeviceAuthorizationRequest(client_id="tv-app", device=TV, ip_address=TV_ADDRESS)
    )


def poll(auth, device_code: str, client_id: str = "tv-app"):
    return auth.PollDeviceAuthorization(pb.PollDeviceAuthorizationRequest(device_code=device_code, client_id=client_id))


def code_request(account_id: str, user_code: str, session_id: str = "phone-session") -> dict[str, str]:
    return {"user_code": user_code, "account_id": account_id, "session_id": session_id, "ip_address": PHONE_ADDRESS}


async def refused(call) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await call
    return error.value.code(), str(dict(error.value.trailing_metadata() or ()).get("error-reason", ""))


async def test_a_device_polls_until_approved_then_gets_its_tokens_once(auth, account_id, clock, registry):
    started = await start(auth)
    assert (len(started.user_code), started.expires_in, started.interval) == (8, 600, 2)

    assert await refused(poll(auth, started.device_code)) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "authorization_pending",
    )
    assert await refused(poll(auth, started.device_code)) == (grpc.StatusCode.RESOURCE_EXHAUSTED, "slow_down")
    seen = await auth.GetDeviceAuthorization(
        pb.GetDeviceAuthorizationRequest(**code_request(account_id, started.user_code.lower()))
    )
    approved = await auth.ApproveDeviceAuthorization(
        pb.ApproveDeviceAuthorizationRequest(
            **code_request(account_id, f"{started.user_code[:4]}-{started.user_code[4:]}")
        )
    )
    pair = await poll(auth, started.device_code)
    again = await refused(poll(auth, started.device_code))

    shown = seen.authorization
    assert (shown.user_code, shown.status, shown.device.name, shown.device.type, shown.device.client_id) == (
        started.user_code,
        pb.DEVICE_AUTHORIZATION_STATUS_PENDING,
        "Living room TV",
        pb.DEVICE_TYPE_TV,
        "",  # the device's own install id is not the approver's business
    )
    assert (shown.location.description, shown.approver_location.description, shown.location_differs) == (
        "Portugal",
        "Spain",
        True,
    )
    assert shown.expires_at.ToMicroseconds() - shown.requested_at.ToMicroseconds() == 600 * SECOND
    assert registry.devices == {(account_id, "tv-install-1"): approved.device_id}
    assert (pair.device_id, pair.account_id) == (approved.device_id, account_id)
    assert pair.access_token and pair.refresh_token and pair.expires_in == 900
    assert again == (grpc.StatusCode.NOT_FOUND, "invalid_grant")
    refreshed = await auth.RefreshToken(pb.RefreshTokenRequest(refresh_token=pair.refresh_token))
    assert refreshed.session_id == pair.session_id


async def test_each_wrong_code_gets_its_own_answer(auth, account_id, clock):
    started, used = await start(auth), await start(auth)
    await auth.DenyDeviceAuthorization(pb.DenyDeviceAuthorizationRequest(**code_request(account_id, used.user_code)))
    unknown = next(code for code in ("BCDFGHJK", "CDFGHJKL") if code not in (started.user_code, used.user_code))

    def get(code: str):
        return auth.GetDeviceAuthorization(pb.GetDeviceAuthorizationRequest(**code_request(account_id, code)))

    assert await refused(get("ABCD-1234")) == (grpc.StatusCode.INVALID_ARGUMENT, "invalid_user_code")
    assert await refused(get(unknown)) == (grpc.StatusCode.NOT_FOUND, "unknown_user_code")
    assert await refused(get(used.user_code)) == (grpc.StatusCode.FAILED_PRECONDITION, "user_code_used")
    assert await refused(poll(auth, used.device_code)) == (grpc.StatusCode.PERMISSION_DENIED, "access_denied")
    assert await refused(poll(auth, started.device_code, "another-app")) == (
        grpc.StatusCode.PERMISSION_DENIED,
        "invalid_client",
    )
    clock.advance(600)
    assert await refused(get(started.user_code)) == (grpc.StatusCode.FAILED_PRECONDITION, "expired_user_code")
    assert await refused(poll(auth, started.device_code)) == (grpc.StatusCode.FAILED_PRECONDITION, "expired_token")


async def test_the_database_holds_neither_code_nor_the_device_s_address_in_clear_beyond_its_own_column(
    auth, engine, account_id
):
    started = await start(auth)

    with engine.connect() as db:
        rows = [dict(row._mapping) for row in db.execute(text("SELECT * FROM device_authorizations"))]
    (row,) = rows
    values = " ".join(str(value) for value in row.values())
    assert started.device_code not in values and started.user_code not in values
    assert started.user_code.lower() not in values.lower()
    assert row["ip_address"] == TV_ADDRESS and row["status"] == "pending"


async def test_of_two_concurrent_approvals_one_wins_and_the_device_gets_one_session(auth, engine, account_id):
    started = await start(auth)

    def approve(session_id: str):
        return auth.ApproveDeviceAuthorization(
            pb.ApproveDeviceAuthorizationRequest(**code_request(account_id, started.user_code, session_id))
        )

    results = await asyncio.gather(approve("phone-1"), approve("phone-2"), return_exceptions=True)

    won = [r for r in results if isinstance(r, pb.ApproveDeviceAuthorizationResponse)]
    lost = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(won) == 1 and len(lost) == 1
    assert lost[0].code() is grpc.StatusCode.FAILED_PRECONDITION
    with engine.connect() as db:
        sessions = db.execute(text("SELECT count(*) FROM sessions WHERE device_id = :d"), {"d": won[0].device_id})
        assert sessions.scalar() == 1
    polls = await asyncio.gather(
        poll(auth, started.device_code), poll(auth, started.device_code), return_exceptions=True
    )
    assert sum(isinstance(p, pb.PollDeviceAuthorizationResponse) for p in polls) == 1


async def test_of_two_accounts_approving_at_once_the_loser_has_no_device(auth, engine, account_id, registry):
    other = await auth.CreateAccount(pb.CreateAccountRequest(email="bob@example.com", password="Bob-password-1"))
    started = await start(auth)
    registry.hold = asyncio.Event()  # an approval that registers the device waits there

    def approve(account: str):
        return auth.ApproveDeviceAuthorization(
            pb.ApproveDeviceAuthorizationRequest(**code_request(account, started.user_code, f"{account}-phone"))
        )

    calls = {account: asyncio.ensure_future(approve(account)) for account in (account_id, other.account_id)}
    for _ in range(2000):  # until both are registering (the defect), or one has lost before registering
        if registry.waiting == 2 or any(call.done() for call in calls.values()):
            break
        await asyncio.sleep(0.005)
    registry.hold.set()
    results = dict(zip(calls, await asyncio.gather(*calls.values(), return_exceptions=True), strict=True))

    (winner,) = [a for a, r in results.items() if isinstance(r, pb.ApproveDeviceAuthorizationResponse)]
    (loser,) = [a for a, r in results.items() if isinstance(r, grpc.aio.AioRpcError)]
    assert results[loser].code() is grpc.StatusCode.FAILED_PRECONDITION
    assert registry.devices == {(winner, "tv-install-1"): results[winner].device_id}  # none on the loser's account
    with engine.connect() as db:
        counts = db.execute(text("SELECT account_id, count(*) FROM sessions GROUP BY account_id")).all()
        assert dict(counts) == {winner: 1}
    assert (await poll(auth, started.device_code)).account_id == winner


async def test_a_code_approved_but_first_polled_after_it_expired_leaves_no_session_alive(auth, account_id, clock):
    started = await start(auth)
    approved = await auth.ApproveDeviceAuthorization(
        pb.ApproveDeviceAuthorizationRequest(**code_request(account_id, started.user_code))
    )
    clock.advance(600)

    assert await refused(poll(auth, started.device_code)) == (grpc.StatusCode.FAILED_PRECONDITION, "expired_token")

    feed = await auth.ListRevocations(pb.ListRevocationsRequest(after_sequence=0, page_size=10))
    (entry,) = feed.revocations
    assert (entry.account_id, entry.scope, entry.reason, entry.device_id) == (
        account_id,
        pb.REVOCATION_SCOPE_SESSION,
        pb.REVOCATION_REASON_SIGN_OUT,
        approved.device_id,
    )
    session = await auth.GetSession(pb.GetSessionRequest(account_id=account_id, session_id=entry.session_id))
    assert session.session.revoked


async def test_a_removed_device_cannot_come_back_through_a_code(auth, account_id, registry):
    registry.banned.add((account_id, "tv-install-1"))
    started = await start(auth)

    approval = auth.ApproveDeviceAuthorization(
        pb.ApproveDeviceAuthorizationRequest(**code_request(account_id, started.user_code))
    )

    assert await refused(approval) == (grpc.StatusCode.PERMISSION_DENIED, "device_banned")
    assert await refused(poll(auth, started.device_code)) == (grpc.StatusCode.PERMISSION_DENIED, "access_denied")


async def test_guesses_are_throttled_per_session_with_retry_after(auth, account_id):
    started = await start(auth)
    wrong = next(code for code in ("BCDFGHJK", "CDFGHJKL") if code != started.user_code)

    def get(code: str):
        return auth.GetDeviceAuthorization(pb.GetDeviceAuthorizationRequest(**code_request(account_id, code)))

    for _ in range(10):  # USER_CODE_THROTTLE_AFTER
        assert (await refused(get(wrong)))[1] == "unknown_user_code"
    with pytest.raises(grpc.aio.AioRpcError) as throttled:
        await get(started.user_code)

    metadata = dict(throttled.value.trailing_metadata() or ())
    assert throttled.value.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
    assert metadata["error-reason"] == "too_many_attempts" and int(metadata["retry-after"]) >= 1


@pytest.mark.parametrize("process", ["device_service", "parental_service", "operator"])
async def test_only_the_gateway_may_start_or_approve(auth, process):
    stub = auth.as_process(process)

    for call in (
        stub.StartDeviceAuthorization(pb.StartDeviceAuthorizationRequest(client_id="tv-app", device=TV)),
        stub.ApproveDeviceAuthorization(pb.ApproveDeviceAuthorizationRequest(user_code="BCDFGHJK")),
    ):
        assert (await refused(call))[0] is grpc.StatusCode.PERMISSION_DENIED
