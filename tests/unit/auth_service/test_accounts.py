import pytest
from argon2 import extract_parameters

from auth_service.domain.throttle import Bucket, Limit, take
from auth_service.service_layer.throttle import SIGN_IN_THROTTLED
from common.errors import InvalidArgument, NotFound, ResourceExhausted, Unauthenticated
from common.revocation import Reason
from tests.unit.auth_service.conftest import device

PASSWORD = "correct horse battery"
EMAIL = "ann@example.com"


@pytest.fixture
async def account(app):
    return await app.create_account(EMAIL, PASSWORD)


async def fail(app, email=EMAIL, password="wrong password", device_=None):
    with pytest.raises(Unauthenticated) as error:
        await app.sign_in(email, password, device_ or device(), "")
    return error.value


async def throttled_sign_in(app, email=EMAIL, password="wrong password", device_=None):
    with pytest.raises(ResourceExhausted) as error:
        await app.sign_in(email, password, device_ or device(), "")
    return error.value


def test_stored_password_hashes_meet_owasps_argon2id_minimum():
    from common.passwords import hash_secret

    params = extract_parameters(hash_secret("some password"))
    assert params.type.name == "ID"
    assert params.memory_cost >= 19 * 1024 and params.time_cost >= 2 and params.parallelism >= 1


def test_back_off_starts_after_the_threshold_then_allows_one_attempt_per_refill_and_never_grows():
    bucket = Bucket("b", Limit(burst=5, refill_seconds=60))
    full_at: dict[str, float] = {}
    waits = []
    for _ in range(8):
        wait, updated = take(full_at, [bucket], now=0.0)
        full_at.update(updated)
        waits.append(wait)
    assert waits == [0, 0, 0, 0, 0, 60, 60, 60]  # refused attempts take nothing: the wait does not grow
    assert take(full_at, [bucket], now=30.0)[0] == 30  # it decays
    assert take(full_at, [bucket], now=60.0)[0] == 0
    assert take(full_at, [bucket], now=10_000.0) == (0.0, {"b": 10_060.0})  # full again after the window


async def test_a_throttled_account_is_refused_even_with_the_right_password_and_says_the_same(app, account):
    for email in (EMAIL, "nobody@example.com"):
        first = await fail(app, email=email)
        for _ in range(4):
            assert (await fail(app, email=email)).reason == first.reason == "invalid_credentials"
    throttled = await throttled_sign_in(app, password=PASSWORD)  # a device that never signed in to it
    unknown = await throttled_sign_in(app, email="nobody@example.com", password=PASSWORD)
    assert (
        (throttled.message, throttled.reason)
        == (unknown.message, unknown.reason)
        == (
            SIGN_IN_THROTTLED,
            "sign_in_throttled",
        )
    )
    assert abs(throttled.retry_after_seconds - unknown.retry_after_seconds) <= 1
    assert throttled.retry_after_seconds > 0


async def test_a_success_resets_the_failure_count(app, account, database):
    await app.sign_in(EMAIL, PASSWORD, device(1), "")  # from now on a known device: its own bucket
    for _ in range(9):
        await fail(app, device_=device(1))
    await app.sign_in(EMAIL, PASSWORD, device(1), "")
    for _ in range(10):  # the whole count again
        await fail(app, device_=device(1))
    await throttled_sign_in(app, password=PASSWORD, device_=device(1))
    assert (account.account_id, "client-1") in database.known_devices


async def test_failures_on_unknown_emails_lock_nothing(app, account):
    for _ in range(10):  # an unknown email is throttled like a known one (after 5), which locks no account
        with pytest.raises((Unauthenticated, ResourceExhausted)):
            await app.sign_in("nobody@example.com", "wrong password", device(), "")
    await app.sign_in(EMAIL, PASSWORD, device(), "")


async def test_changing_the_password_signs_other_devices_out_and_keeps_this_one(app, account):
    mine = await app.sign_in(EMAIL, PASSWORD, device(1), "")
    other = await app.sign_in(EMAIL, PASSWORD, device(2), "")
    revocation = await app.change_password(
        account.account_id, mine.session.session_id, PASSWORD, "a brand new password", sign_out_others=True
    )
    assert revocation.reason is Reason.PASSWORD_CHANGED
    app.validate(mine.access_token)
    with pytest.raises(Unauthenticated):
        app.validate(other.access_token)
    await fail(app, password=PASSWORD)
    await app.sign_in(EMAIL, "a brand new password", device(3), "")


async def test_changing_the_password_can_keep_other_devices(app, account):
    mine = await app.sign_in(EMAIL, PASSWORD, device(1), "")
    other = await app.sign_in(EMAIL, PASSWORD, device(2), "")
    assert (
        await app.change_password(
            account.account_id, mine.session.session_id, PASSWORD, "a brand new password", sign_out_others=False
        )
        is None
    )
    app.validate(other.access_token)


async def test_changing_the_password_needs_the_current_one(app, account):
    with pytest.raises(Unauthenticated):
        await app.change_password(account.account_id, "s", "wrong password", "a brand new password", True)
    with pytest.raises(InvalidArgument):
        await app.change_password(account.account_id, "s", PASSWORD, "short", True)


async def test_closing_the_account_signs_everything_out_and_forbids_sign_in(app, account):
    pair = await app.sign_in(EMAIL, PASSWORD, device(1), "")
    revocation = await app.close_account(account.account_id, PASSWORD)
    assert revocation.reason is Reason.ACCOUNT_CLOSED
    with pytest.raises(Unauthenticated):
        app.validate(pair.access_token)
    await fail(app, password=PASSWORD)
    with pytest.raises(NotFound):
        await app.verify_password(account.account_id, PASSWORD)


async def test_introspection_describes_active_tokens_and_nothing_else(app, account):
    pair = await app.sign_in(EMAIL, PASSWORD, device(1), "")
    access = await app.introspect(pair.access_token, "")
    refresh = await app.introspect(pair.refresh_token, "refresh_token")
    assert access.token_type == "access_token" and access.session_id == pair.session.session_id
    assert refresh.token_type == "refresh_token" and refresh.account_id == account.account_id
    assert await app.introspect("garbage", "") is None
    await app.revoke_token(pair.refresh_token, "refresh_token")
    assert await app.introspect(pair.access_token, "") is None
    assert await app.introspect(pair.refresh_token, "") is None
    await app.revoke_token(pair.refresh_token, "")  # already revoked: fine
    await app.revoke_token("unknown", "")  # unknown: fine


async def test_introspection_names_the_accounts_email_and_the_sessions_profile_kind(app, account):
    pair = await app.sign_in(EMAIL, PASSWORD, device(1), "")
    access = await app.introspect(pair.access_token, "")
    refresh = await app.introspect(pair.refresh_token, "refresh_token")
    assert (access.email, access.profile_kind) == (EMAIL, "")
    assert (refresh.email, refresh.profile_kind) == (EMAIL, "")
    kids = await app.set_profile(account.account_id, pair.session.session_id, "p-kid", "kids")
    assert (await app.introspect(kids.access_token, "")).profile_kind == "kids"
    assert (await app.introspect(pair.refresh_token, "refresh_token")).profile_kind == "kids"


async def test_wrong_passwords_behind_a_session_are_throttled_but_never_block_sign_in(app, account):
    for _ in range(5):
        with pytest.raises(Unauthenticated):
            await app.verify_password(account.account_id, "wrong password")
    with pytest.raises(ResourceExhausted) as throttled:
        await app.verify_password(account.account_id, PASSWORD)
    assert throttled.value.reason == "password_throttled"
    assert throttled.value.retry_after_seconds == 60
    await app.sign_in(EMAIL, PASSWORD, device(7), "")  # sign-in has its own buckets: not throttled
