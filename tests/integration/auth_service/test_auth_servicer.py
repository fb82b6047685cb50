import asyncio

import grpc
import pytest
from grpc import aio
from remotesignout.auth.v1 import auth_pb2 as pb

PASSWORD = "correct horse battery"
ALL = pb.REVOCATION_SCOPE_ALL


async def sign_in(auth, n=1, email="ann@example.com"):
    device = pb.Device(client_id=f"c{n}", name=f"Device {n}", type=pb.DEVICE_TYPE_TV)
    return await auth.SignIn(pb.SignInRequest(email=email, password=PASSWORD, device=device))


async def expect(code, call):
    with pytest.raises(aio.AioRpcError) as error:
        await call
    assert error.value.code() == code
    return error.value


@pytest.fixture
async def account(auth):
    return await auth.CreateAccount(pb.CreateAccountRequest(email="ann@example.com", password=PASSWORD))


async def test_sign_in_then_validate_names_the_session(auth, account):
    signed = await sign_in(auth)
    valid = await auth.ValidateToken(pb.ValidateTokenRequest(access_token=signed.access_token))
    assert (valid.account_id, valid.session_id) == (account.account_id, signed.session_id)
    assert signed.expires_in == 900


async def test_bad_input_gets_invalid_argument_with_a_message(auth):
    error = await expect(
        grpc.StatusCode.INVALID_ARGUMENT, auth.CreateAccount(pb.CreateAccountRequest(email="nope", password=PASSWORD))
    )
    assert "email" in error.details()
    await expect(grpc.StatusCode.INVALID_ARGUMENT, auth.RevokeSessions(pb.RevokeSessionsRequest(account_id="x")))


async def test_a_duplicate_email_is_already_exists(auth, account):
    await expect(
        grpc.StatusCode.ALREADY_EXISTS,
        auth.CreateAccount(pb.CreateAccountRequest(email="ANN@example.com", password=PASSWORD)),
    )


async def test_garbage_tokens_are_unauthenticated(auth):
    for token in ["", "garbage", "a.b.c", "x" * 5000]:
        await expect(grpc.StatusCode.UNAUTHENTICATED, auth.ValidateToken(pb.ValidateTokenRequest(access_token=token)))


async def test_once_revoke_answers_the_token_is_unauthenticated_and_others_still_work(auth, account):
    one, two = await sign_in(auth, 1), await sign_in(auth, 2)
    await auth.RevokeSessions(
        pb.RevokeSessionsRequest(
            account_id=account.account_id,
            scope=pb.REVOCATION_SCOPE_SESSION,
            reason=pb.REVOCATION_REASON_SIGN_OUT,
            session_id=one.session_id,
        )
    )
    await expect(
        grpc.StatusCode.UNAUTHENTICATED, auth.ValidateToken(pb.ValidateTokenRequest(access_token=one.access_token))
    )
    await auth.ValidateToken(pb.ValidateTokenRequest(access_token=two.access_token))
    session = await auth.GetSession(pb.GetSessionRequest(account_id=account.account_id, session_id=one.session_id))
    assert session.session.revoked


async def test_the_feed_survives_a_restart_of_the_index(auth, account):
    await sign_in(auth)
    revoked = await auth.RevokeSessions(
        pb.RevokeSessionsRequest(account_id=account.account_id, scope=ALL, reason=pb.REVOCATION_REASON_SIGN_OUT_ALL)
    )
    feed = await auth.ListRevocations(pb.ListRevocationsRequest(after_sequence=0))
    assert [r.sequence for r in feed.revocations] == [revoked.revocation.sequence]
    assert feed.last_sequence == revoked.revocation.sequence


async def test_watch_session_receives_its_revocation(auth, account):
    signed = await sign_in(auth)
    stream = auth.WatchSession(pb.WatchSessionRequest(access_token=signed.access_token))
    first = await stream.read()
    assert first.subscribed
    await auth.RevokeSessions(
        pb.RevokeSessionsRequest(account_id=account.account_id, scope=ALL, reason=pb.REVOCATION_REASON_SIGN_OUT_ALL)
    )
    event = await asyncio.wait_for(stream.read(), 5)
    assert event.revocation.reason == pb.REVOCATION_REASON_SIGN_OUT_ALL
    assert await stream.read() == aio.EOF


async def test_watch_session_with_a_revoked_token_is_refused(auth, account):
    signed = await sign_in(auth)
    await auth.RevokeSessions(
        pb.RevokeSessionsRequest(account_id=account.account_id, scope=ALL, reason=pb.REVOCATION_REASON_SIGN_OUT_ALL)
    )
    stream = auth.WatchSession(pb.WatchSessionRequest(access_token=signed.access_token))
    await expect(grpc.StatusCode.UNAUTHENTICATED, stream.read())


async def test_concurrent_refreshes_with_one_token_give_exactly_one_success(auth, account):
    signed = await sign_in(auth)
    results = await asyncio.gather(
        *[auth.RefreshToken(pb.RefreshTokenRequest(refresh_token=signed.refresh_token)) for _ in range(5)],
        return_exceptions=True,
    )
    successes = [r for r in results if not isinstance(r, Exception)]
    assert len(successes) == 1
    assert all(r.code() == grpc.StatusCode.UNAUTHENTICATED for r in results if isinstance(r, Exception))


async def test_watch_session_hears_other_devices_signing_out_then_its_own_end(auth, account):
    mine, other = await sign_in(auth, 1), await sign_in(auth, 2)
    stream = auth.WatchSession(pb.WatchSessionRequest(access_token=mine.access_token))
    assert (await stream.read()).subscribed
    await auth.RevokeSessions(
        pb.RevokeSessionsRequest(
            account_id=account.account_id,
            scope=pb.REVOCATION_SCOPE_SESSION,
            reason=pb.REVOCATION_REASON_REMOTE_SIGN_OUT,
            session_id=other.session_id,
        )
    )
    change = await asyncio.wait_for(stream.read(), 5)
    assert change.WhichOneof("event") == "account_revocation"
    assert change.account_revocation.session_id == other.session_id
    await auth.RevokeSessions(
        pb.RevokeSessionsRequest(account_id=account.account_id, scope=ALL, reason=pb.REVOCATION_REASON_SIGN_OUT_ALL)
    )
    end = await asyncio.wait_for(stream.read(), 5)
    assert end.WhichOneof("event") == "revocation"
    assert await stream.read() == aio.EOF


def trailing(error, key):
    return dict(error.trailing_metadata() or ()).get(key)


async def test_a_throttled_sign_in_is_resource_exhausted_with_retry_after_alike_for_an_unknown_email(auth, account):
    answers = {}
    for email in ("ann@example.com", "nobody@example.com"):
        device = pb.Device(client_id="attacker", name="Attacker", type=pb.DEVICE_TYPE_TV)
        request = pb.SignInRequest(email=email, password="wrong password", device=device, ip_address="203.0.113.7")
        for _ in range(5):
            await expect(grpc.StatusCode.UNAUTHENTICATED, auth.SignIn(request))
        error = await expect(grpc.StatusCode.RESOURCE_EXHAUSTED, auth.SignIn(request))
        answers[email] = (error.details(), trailing(error, "error-reason"), trailing(error, "retry-after"))
    assert answers["ann@example.com"] == answers["nobody@example.com"]
    assert answers["ann@example.com"][1] == "sign_in_throttled"
    assert int(answers["ann@example.com"][2]) in (299, 300)


async def test_a_common_password_is_invalid_argument_with_its_reason(auth):
    for password, reason in (("password", "password_too_common"), (" " * 8, "password_too_short")):
        error = await expect(
            grpc.StatusCode.INVALID_ARGUMENT,
            auth.CreateAccount(pb.CreateAccountRequest(email="ann@example.com", password=password)),
        )
        assert trailing(error, "error-reason") == reason


async def test_the_known_device_is_remembered_in_the_database(auth, account):
    await sign_in(auth, 1)
    await sign_in(auth, 1)  # already known: remembered once
    device = pb.Device(client_id="attacker", name="Attacker", type=pb.DEVICE_TYPE_TV)
    wrong = pb.SignInRequest(email="ann@example.com", password="wrong", device=device, ip_address="203.0.113.7")
    for _ in range(5):
        await expect(grpc.StatusCode.UNAUTHENTICATED, auth.SignIn(wrong))
    await expect(grpc.StatusCode.RESOURCE_EXHAUSTED, auth.SignIn(wrong))
    await sign_in(auth, 1)  # the known device still signs in
