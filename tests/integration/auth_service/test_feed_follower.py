"""A downstream service follows the feed from a stored cursor: nothing lost, nothing twice."""

import asyncio
import contextlib

import pytest
from grpc import aio
from remotesignout.auth.v1 import auth_pb2 as pb

from common.revocation_feed import CursorStore, FeedFollower
from device_service.adapters.migrations import HISTORY as DEVICE_HISTORY
from tests.schema import migrated_engine

PASSWORD = "correct horse battery"


async def revoke_all(auth, account_id: str, times: int) -> None:
    for _ in range(times):
        await auth.RevokeSessions(
            pb.RevokeSessionsRequest(
                account_id=account_id, scope=pb.REVOCATION_SCOPE_ALL, reason=pb.REVOCATION_REASON_SIGN_OUT_ALL
            )
        )


@pytest.fixture
def cursor(tmp_path):
    return CursorStore(migrated_engine(f"sqlite:///{tmp_path / 'downstream.db'}", DEVICE_HISTORY))


async def test_a_follower_applies_each_entry_once_and_resumes_after_a_failure(auth, cursor):
    account = await auth.CreateAccount(pb.CreateAccountRequest(email="ann@example.com", password=PASSWORD))
    await revoke_all(auth, account.account_id, 3)
    applied: list[int] = []
    fail_on = {2}

    def apply(revocation: pb.Revocation) -> None:
        if revocation.sequence in fail_on:
            fail_on.clear()
            raise RuntimeError("downstream crashed")
        applied.append(revocation.sequence)

    follower = FeedFollower(auth.channel_as("device_service"), apply, cursor, timeout_seconds=2, page_size=2)
    with pytest.raises(RuntimeError):
        await follower.catch_up()
    assert applied == [1] and cursor.load() == 1

    assert await follower.catch_up() == 2
    await revoke_all(auth, account.account_id, 2)
    assert await follower.catch_up() == 2
    assert applied == [1, 2, 3, 4, 5] and cursor.load() == 5
    assert await follower.catch_up() == 0


async def test_a_follower_survives_auth_service_being_down(cursor):
    channel = aio.insecure_channel("127.0.0.1:1")
    follower = FeedFollower(channel, lambda r: None, cursor, timeout_seconds=0.2)
    with pytest.raises(aio.AioRpcError):
        await follower.catch_up()
    assert cursor.load() == 0
    await channel.close()


async def test_a_follower_keeps_running_after_apply_fails_and_catches_up(auth, cursor):
    account = await auth.CreateAccount(pb.CreateAccountRequest(email="ann@example.com", password=PASSWORD))
    await revoke_all(auth, account.account_id, 2)
    attempts: list[int] = []
    applied = asyncio.Event()

    def apply(revocation: pb.Revocation) -> None:
        attempts.append(revocation.sequence)
        if len(attempts) == 1:
            raise RuntimeError("database is locked")
        if revocation.sequence == 2:
            applied.set()

    follower = FeedFollower(auth.channel_as("device_service"), apply, cursor, timeout_seconds=2, poll_seconds=0.01)
    task = asyncio.create_task(follower.run())
    try:
        await asyncio.wait_for(applied.wait(), 10)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert attempts[:3] == [1, 1, 2] and cursor.load() == 2
