"""The order that makes a revocation instant and safe (service_layer/revocations.py): enforced before its
commit, durable before the call answers, and finished even when the call is cancelled."""

import asyncio
import threading

import pytest

from common.errors import Unauthenticated
from common.revocation import Reason, Scope
from tests.unit.auth_service.conftest import device
from tests.unit.auth_service.fakes import FakeAuthUnitOfWork

PASSWORD = "correct horse battery"


@pytest.fixture
async def signed(app):
    account = await app.create_account("ann@example.com", PASSWORD)
    return account, await app.sign_in("ann@example.com", PASSWORD, device(), "")


def refused(app, token: str) -> bool:
    try:
        app.validate(token)
    except Unauthenticated:
        return True
    return False


@pytest.mark.parametrize("scope", list(Scope))
async def test_the_index_refuses_the_token_before_the_commit_and_the_answer_waits_for_the_commit(
    app, signed, database, monkeypatch, scope
):
    account, pair = signed
    at_commit: list[bool] = []
    commit = FakeAuthUnitOfWork.commit

    def watched_commit(self: FakeAuthUnitOfWork) -> None:
        if self.holds_feed_lock:  # the revoking transaction
            at_commit.append(refused(app, pair.access_token))
        commit(self)

    monkeypatch.setattr(FakeAuthUnitOfWork, "commit", watched_commit)
    other = await app.sign_in("ann@example.com", PASSWORD, device(2), "")
    session_id = other.session.session_id if scope is Scope.ALL_OTHERS else pair.session.session_id
    commits = database.commits
    revocation = await app.revoke(account.account_id, scope, Reason.REMOTE_SIGN_OUT, session_id, pair.session.device_id)
    assert at_commit == [True], "enforced while the commit was still to come"
    assert database.commits == commits + 1 and database.revocations[-1] == revocation, "durable when it answered"
    assert refused(app, pair.access_token)


async def test_a_cancelled_revocation_still_commits_and_stays_enforced(app, signed, database, monkeypatch):
    account, pair = signed
    entered, release = threading.Event(), threading.Event()
    commit = FakeAuthUnitOfWork.commit

    def slow_commit(self: FakeAuthUnitOfWork) -> None:
        if self.holds_feed_lock:
            entered.set()
            release.wait(5)
        commit(self)

    monkeypatch.setattr(FakeAuthUnitOfWork, "commit", slow_commit)
    call = asyncio.create_task(app.revoke(account.account_id, Scope.ALL, Reason.SIGN_OUT_ALL))
    assert await asyncio.to_thread(entered.wait, 5)
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    assert refused(app, pair.access_token)
    commits = database.commits
    release.set()
    for _ in range(100):
        if database.commits > commits:
            break
        await asyncio.sleep(0.01)
    assert database.commits == commits + 1 and [r.scope for r in database.revocations] == [Scope.ALL]
    assert not database.feed_lock.locked(), "the transaction ended in its thread"
