import pytest

from auth_service.domain.model import DeviceInfo
from common.errors import AlreadyExists, InvalidArgument, NotFound, PermissionDenied, Unauthenticated
from common.revocation import Reason, Scope
from tests.unit.auth_service.conftest import device

PASSWORD = "correct horse battery"


async def signed_in(app, n=1, email="ann@example.com"):
    return await app.sign_in(email, PASSWORD, device(n), "127.0.0.1")


@pytest.fixture
async def account(app):
    return await app.create_account("Ann@Example.com ", PASSWORD)


async def test_creating_an_account_normalises_the_email_and_hashes_the_password(account, database):
    stored = database.accounts[account.account_id]
    assert stored.email == "ann@example.com"
    assert stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash


async def test_an_email_can_hold_only_one_account(app, account):
    with pytest.raises(AlreadyExists):
        await app.create_account("ann@example.com", "another password")


@pytest.mark.parametrize(
    "email,password", [("not-an-email", PASSWORD), ("a@b.co", "short"), ("x" * 250 + "@b.co", PASSWORD)]
)
async def test_bad_account_input_is_refused_with_a_clear_message(app, email, password):
    with pytest.raises(InvalidArgument) as error:
        await app.create_account(email, password)
    assert error.value.message


async def test_a_wrong_password_and_an_unknown_email_fail_alike(app, account):
    with pytest.raises(Unauthenticated) as wrong:
        await app.sign_in("ann@example.com", "wrong password", device(), "")
    with pytest.raises(Unauthenticated) as unknown:
        await app.sign_in("nobody@example.com", PASSWORD, device(), "")
    assert wrong.value.message == unknown.value.message
    assert wrong.value.reason == unknown.value.reason == "invalid_credentials"


async def test_signing_in_gives_a_token_that_validates_to_the_session(app, account):
    pair = await signed_in(app)
    claims = app.validate(pair.access_token)
    assert (claims.account_id, claims.session_id, claims.device_id) == (
        account.account_id,
        pair.session.session_id,
        pair.session.device_id,
    )


async def test_an_unknown_device_type_is_refused(app, account):
    with pytest.raises(InvalidArgument) as error:
        await app.sign_in("ann@example.com", PASSWORD, DeviceInfo("c", "n", "fridge"), "")
    assert error.value.reason == "invalid_device_type"


async def test_a_banned_device_cannot_sign_in_even_with_the_right_password(app, account, devices):
    devices.banned.add((account.account_id, "client-1"))
    with pytest.raises(PermissionDenied):
        await signed_in(app)


async def test_revoking_a_session_refuses_its_token_at_once_and_keeps_the_others(app, account):
    one, two = await signed_in(app, 1), await signed_in(app, 2)
    await app.revoke(account.account_id, Scope.SESSION, Reason.SIGN_OUT, one.session.session_id)
    with pytest.raises(Unauthenticated):
        app.validate(one.access_token)
    assert app.validate(two.access_token).session_id == two.session.session_id


async def test_sign_out_all_others_keeps_only_the_callers_session(app, account):
    mine, other, third = await signed_in(app, 1), await signed_in(app, 2), await signed_in(app, 3)
    revocation = await app.revoke(account.account_id, Scope.ALL_OTHERS, Reason.SIGN_OUT_ALL, mine.session.session_id)
    assert revocation.device_id == mine.session.device_id
    app.validate(mine.access_token)
    for pair in (other, third):
        with pytest.raises(Unauthenticated):
            app.validate(pair.access_token)


async def test_sign_out_all_refuses_every_token_and_a_new_sign_in_works(app, account):
    pairs = [await signed_in(app, n) for n in range(1, 4)]
    await app.revoke(account.account_id, Scope.ALL, Reason.SIGN_OUT_ALL)
    for pair in pairs:
        with pytest.raises(Unauthenticated):
            app.validate(pair.access_token)
    fresh = await signed_in(app, 4)
    assert app.validate(fresh.access_token).session_id == fresh.session.session_id


async def test_all_others_from_a_revoked_session_is_refused(app, account):
    mine = await signed_in(app, 1)
    await app.revoke(account.account_id, Scope.ALL, Reason.SIGN_OUT_ALL)
    with pytest.raises(Unauthenticated):
        await app.revoke(account.account_id, Scope.ALL_OTHERS, Reason.SIGN_OUT_ALL, mine.session.session_id)


async def test_another_accounts_session_cannot_be_revoked(app, account):
    await app.create_account("bob@example.com", PASSWORD)
    bob = await signed_in(app, 7, email="bob@example.com")
    with pytest.raises(NotFound):
        await app.revoke(account.account_id, Scope.SESSION, Reason.SIGN_OUT, bob.session.session_id)
    app.validate(bob.access_token)


async def test_refresh_rotates_and_a_reused_refresh_token_ends_the_session(app, account, database):
    first = await signed_in(app)
    second = await app.refresh(first.refresh_token)
    assert second.refresh_token != first.refresh_token
    with pytest.raises(Unauthenticated) as reuse:
        await app.refresh(first.refresh_token)
    assert reuse.value.reason == "token_reuse"
    assert database.revocations[-1].reason is Reason.TOKEN_REUSE
    with pytest.raises(Unauthenticated):
        await app.refresh(second.refresh_token)
    with pytest.raises(Unauthenticated):
        app.validate(second.access_token)


async def test_a_revoked_session_cannot_refresh(app, account):
    pair = await signed_in(app)
    await app.revoke(account.account_id, Scope.ALL, Reason.SIGN_OUT_ALL)
    with pytest.raises(Unauthenticated):
        await app.refresh(pair.refresh_token)


async def test_refresh_tokens_are_stored_only_as_hashes(app, account, database):
    pair = await signed_in(app)
    assert pair.refresh_token not in database.refresh_tokens
    assert len(pair.refresh_token) >= 43  # 256 bits, base64url


async def test_the_feed_lists_every_revocation_once_in_order(app, account):
    pair = await signed_in(app)
    await app.revoke(account.account_id, Scope.DEVICE, Reason.REMOTE_SIGN_OUT, device_id=pair.session.device_id)
    await app.revoke(account.account_id, Scope.ALL, Reason.SIGN_OUT_ALL)
    page, last = await app.feed(0, 10)
    assert [r.sequence for r in page] == [1, 2] and last == 2
    assert (await app.feed(1, 10))[0] == page[1:]


async def test_an_open_watch_hears_its_revocation_and_others_hear_a_device_change(app, account):
    one, two = await signed_in(app, 1), await signed_in(app, 2)
    q1 = app.subscribe(app.validate(one.access_token))
    q2 = app.subscribe(app.validate(two.access_token))
    revocation = await app.revoke(account.account_id, Scope.SESSION, Reason.REMOTE_SIGN_OUT, one.session.session_id)
    event = q1.queue.get_nowait()
    assert event.revocation == revocation and event.final
    other = q2.queue.get_nowait()
    assert other.revocation == revocation and not other.final


async def test_selecting_a_profile_scopes_the_new_token_and_later_refreshes(app, account):
    pair = await signed_in(app)
    scoped = await app.set_profile(account.account_id, pair.session.session_id, "kid-1", "kids")
    claims = app.validate(scoped.access_token)
    assert (claims.profile_id, claims.profile_kind) == ("kid-1", "kids")
    assert app.validate(pair.access_token).profile_kind == ""
    refreshed = await app.refresh(pair.refresh_token)
    assert app.validate(refreshed.access_token).profile_kind == "kids"


async def test_a_profile_kind_must_be_known_and_the_session_the_callers(app, account):
    pair = await signed_in(app)
    with pytest.raises(InvalidArgument):
        await app.set_profile(account.account_id, pair.session.session_id, "p", "admin")
    with pytest.raises(NotFound):
        await app.set_profile("another-account", pair.session.session_id, "p", "kids")


async def test_reusing_a_refresh_token_of_an_ended_session_adds_no_revocation(app, account, database):
    first = await signed_in(app)
    await app.refresh(first.refresh_token)
    await app.revoke(account.account_id, Scope.ALL, Reason.SIGN_OUT_ALL)
    feed_before = len(database.revocations)
    with pytest.raises(Unauthenticated):
        await app.refresh(first.refresh_token)
    assert len(database.revocations) == feed_before  # no phantom sign-out for a newer session downstream
