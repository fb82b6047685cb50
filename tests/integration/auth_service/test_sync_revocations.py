"""SyncRevocations over real gRPC (mutual TLS): a fake validator follows the feed, holds a lease, and a
revocation answers only once it acknowledged the entry, or its lease ran out."""

from __future__ import annotations

import asyncio
import time

import grpc
import pytest
from grpc import aio
from remotesignout.auth.v1 import auth_pb2 as pb
from remotesignout.auth.v1 import auth_pb2_grpc

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.adapters.migrations import HISTORY
from auth_service.adapters.unit_of_work import unit_of_work_factory
from auth_service.bootstrap import Service, build, revocation_transport
from auth_service.config import Config
from auth_service.entrypoints.permissions import PERMISSIONS, SERVICE_NAME
from auth_service.entrypoints.server import create_auth_server
from auth_service.service_layer.revocations import load_index
from tests.grpc_clients import PermittedStub
from tests.schema import migrated_engine
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY, FakeDeviceRegistry

TTL = 0.6
PASSWORD = "correct horse battery"
EMAIL = "sync@example.com"


@pytest.fixture
async def auth(database_url, pki):
    """A real AuthService with a short lease (VALIDATOR_LEASE_SECONDS=0.6), wired as `bootstrap` does."""
    engine = migrated_engine(database_url, HISTORY)
    config = Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY, validator_lease_seconds=TTL)
    deps = build(
        config, unit_of_work_factory(engine), AccessTokenCodec([SigningKey.generate()], 900), FakeDeviceRegistry()
    )
    await load_index(deps.uow(), deps.index)
    service = revocation_transport(config, Service(deps, key_watcher=None))  # type: ignore[arg-type]
    server = create_auth_server(service.deps, "127.0.0.1:0", tls=pki.identity("auth_service"))
    await server.start()
    stub = PermittedStub(
        auth_pb2_grpc.AuthServiceStub, SERVICE_NAME, PERMISSIONS, pki, f"127.0.0.1:{server.port}", "auth_service"
    )
    yield stub
    await stub.close()
    await server.stop(None)
    engine.dispose()


class FakeValidator:
    """A gateway's side of SyncRevocations, driven by hand."""

    def __init__(self, auth: PermittedStub, validator_id: str = "gateway-0123456789ab") -> None:
        self.validator_id = validator_id
        self.call = auth.SyncRevocations()
        self.entries: list[pb.Revocation] = []
        self.grants: list[pb.LeaseGrant] = []

    async def report(self, applied_sequence: int, leaving: bool = False) -> None:
        await self.call.write(
            pb.SyncRevocationsRequest(
                validator_id=self.validator_id, applied_sequence=applied_sequence, leaving=leaving
            )
        )

    async def next(self, timeout: float = 5.0) -> pb.SyncRevocationsResponse:
        response = await asyncio.wait_for(self.call.read(), timeout)
        assert response is not aio.EOF
        if response.HasField("revocation"):
            self.entries.append(response.revocation)
        else:
            self.grants.append(response.lease)
        return response

    async def next_grant(self) -> pb.LeaseGrant:
        while not (await self.next()).HasField("lease"):
            pass
        return self.grants[-1]

    async def next_entry(self) -> pb.Revocation:
        while not (await self.next()).HasField("revocation"):
            pass
        return self.entries[-1]


async def signed_in(auth, sessions: int) -> tuple[str, list[pb.SignInResponse]]:
    account = await auth.CreateAccount(pb.CreateAccountRequest(email=EMAIL, password=PASSWORD))
    signed = []
    for n in range(sessions):
        device = pb.Device(client_id=f"c{n}", name=f"Device {n}", type=pb.DEVICE_TYPE_PHONE)
        signed.append(await auth.SignIn(pb.SignInRequest(email=EMAIL, password=PASSWORD, device=device)))
    return account.account_id, signed


async def revoke(auth, account_id: str, session: pb.SignInResponse) -> pb.RevokeSessionsResponse:
    return await auth.RevokeSessions(
        pb.RevokeSessionsRequest(
            account_id=account_id,
            scope=pb.REVOCATION_SCOPE_SESSION,
            reason=pb.REVOCATION_REASON_REMOTE_SIGN_OUT,
            session_id=session.session_id,
        )
    )


async def test_with_no_validator_a_revocation_waits_for_nobody(auth):
    account_id, signed = await signed_in(auth, 1)
    answer = await revoke(auth, account_id, signed[0])
    receipt = answer.receipt
    assert receipt.sequence == answer.revocation.sequence
    assert (receipt.validators_acknowledged, receipt.validators_expired) == (0, 0)
    assert receipt.waited_ms < 50


async def test_a_validator_gets_the_feed_after_its_report_then_live_entries_in_order(auth):
    account_id, signed = await signed_in(auth, 8)
    for session in signed[:3]:
        await revoke(auth, account_id, session)
    validator = FakeValidator(auth)
    await validator.report(1)
    grant = await validator.next_grant()
    assert (grant.applied_sequence, grant.head_sequence) == (1, 3)
    assert grant.ttl.ToTimedelta().total_seconds() == pytest.approx(TTL)
    assert [(await validator.next_entry()).sequence for _ in range(2)] == [2, 3]

    async def acknowledge_each() -> None:
        while True:
            entry = await validator.next_entry()
            await validator.report(entry.sequence)

    acknowledging = asyncio.create_task(acknowledge_each())
    answers = await asyncio.gather(*(revoke(auth, account_id, session) for session in signed[3:]))
    acknowledging.cancel()
    assert [entry.sequence for entry in validator.entries] == list(range(2, 9))
    assert all(answer.receipt.validators_acknowledged == 1 for answer in answers)
    assert all(answer.receipt.validators_expired == 0 for answer in answers)
    validator.call.cancel()


async def test_a_revocation_answers_only_after_the_validator_acknowledged(auth):
    account_id, signed = await signed_in(auth, 1)
    validator = FakeValidator(auth)
    await validator.report(0)
    await validator.next_grant()
    revoking = asyncio.create_task(revoke(auth, account_id, signed[0]))
    entry = await validator.next_entry()
    await asyncio.sleep(TTL / 3)
    assert not revoking.done()  # the validator has not acknowledged: the call still waits
    await validator.report(entry.sequence)
    grant = await validator.next_grant()
    assert (grant.applied_sequence, grant.head_sequence) == (entry.sequence, entry.sequence)
    answer = await asyncio.wait_for(revoking, TTL)
    assert answer.revocation.sequence == entry.sequence
    assert (answer.receipt.validators_acknowledged, answer.receipt.validators_expired) == (1, 0)
    assert TTL / 3 * 1000 <= answer.receipt.waited_ms < TTL * 1000
    validator.call.cancel()


async def test_a_silent_validator_delays_a_revocation_by_at_most_its_lease(auth):
    account_id, signed = await signed_in(auth, 1)
    validator = FakeValidator(auth)
    await validator.report(0)
    await validator.next_grant()
    started = time.perf_counter()
    answer = await revoke(auth, account_id, signed[0])  # the validator never reports again
    elapsed = time.perf_counter() - started
    assert (answer.receipt.validators_acknowledged, answer.receipt.validators_expired) == (0, 1)
    assert TTL * 1000 * 0.5 < answer.receipt.waited_ms <= TTL * 1000
    assert elapsed < TTL + 0.5
    # It was sent the entry all the same, and its next report is granted with the new head.
    assert (await validator.next_entry()).sequence == answer.revocation.sequence
    await validator.report(0)
    assert (await validator.next_grant()).head_sequence == answer.revocation.sequence
    validator.call.cancel()


async def test_a_validator_that_renews_but_never_applies_is_waited_for_at_most_one_lease(auth):
    account_id, signed = await signed_in(auth, 1)
    validator = FakeValidator(auth)
    await validator.report(0)
    await validator.next_grant()

    async def renew_without_applying() -> None:
        while True:
            await asyncio.sleep(TTL / 4)
            await validator.report(0)

    renewing = asyncio.create_task(renew_without_applying())
    started = time.perf_counter()
    answer = await revoke(auth, account_id, signed[0])
    elapsed = time.perf_counter() - started
    renewing.cancel()
    assert (answer.receipt.validators_acknowledged, answer.receipt.validators_expired) == (0, 1)
    assert elapsed < TTL + 0.5
    validator.call.cancel()


async def test_leaving_ends_the_lease_at_once(auth):
    account_id, signed = await signed_in(auth, 1)
    validator = FakeValidator(auth)
    await validator.report(0)
    await validator.next_grant()
    await validator.report(0, leaving=True)
    grant = await validator.next_grant()
    assert grant.ttl.ToTimedelta().total_seconds() == 0
    answer = await revoke(auth, account_id, signed[0])
    assert (answer.receipt.validators_acknowledged, answer.receipt.validators_expired) == (0, 0)
    assert answer.receipt.waited_ms < 5
    await validator.call.done_writing()


async def test_every_revoking_call_carries_a_receipt(auth):
    account_id, signed = await signed_in(auth, 3)
    change = await auth.ChangePassword(
        pb.ChangePasswordRequest(
            account_id=account_id,
            session_id=signed[0].session_id,
            current_password=PASSWORD,
            new_password="another horse battery",
        )
    )
    assert change.receipt.sequence == change.revocation.sequence > 0
    revoked = await auth.RevokeToken(pb.RevokeTokenRequest(token=signed[0].access_token))
    assert revoked.HasField("receipt") and revoked.receipt.sequence == change.revocation.sequence + 1
    again = await auth.RevokeToken(pb.RevokeTokenRequest(token=signed[0].access_token))
    assert not again.HasField("receipt")  # nothing left to revoke
    closed = await auth.CloseAccount(pb.CloseAccountRequest(account_id=account_id, password="another horse battery"))
    assert closed.receipt.sequence == closed.revocation.sequence


async def test_a_bad_report_ends_the_stream(auth):
    validator = FakeValidator(auth, validator_id="")
    await validator.report(0)
    with pytest.raises(aio.AioRpcError) as refused:
        await validator.next()
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_only_the_gateway_may_sync(auth):
    call = auth.as_process("device_service").SyncRevocations()
    await call.write(pb.SyncRevocationsRequest(validator_id="device-1", applied_sequence=0))
    with pytest.raises(aio.AioRpcError) as refused:
        await call.read()
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
