"""Recent authentication: the account password entered on this session, under the profile selected now, within
STEP_UP_SECONDS. Signing in counts; ConfirmPassword renews it; selecting another profile ends it."""

import pytest

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.bootstrap import build
from auth_service.config import Config
from common.clock import now_us
from common.errors import NotFound, PermissionDenied, ResourceExhausted, Unauthenticated
from common.revocation import Reason, Scope
from tests.unit.auth_service.bound import Auth
from tests.unit.auth_service.conftest import device
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY

PASSWORD = "correct horse battery"
SECOND = 1_000_000
STEP_UP = 600 * SECOND


class Clock:
    """now_us() moved by `offset` microseconds: time passes without sleeping."""

    offset = 0

    def __call__(self) -> int:
        return now_us() + self.offset


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def app(database, devices, clock) -> Auth:
    config = Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY)
    app = Auth(build(config, database.unit_of_work, AccessTokenCodec([SigningKey.generate()], 900), devices, clock))
    await app.create_account("ann@example.com", PASSWORD)
    return app


async def signed_in(app: Auth, n: int = 1):  # type: ignore[no-untyped-def]
    return (await app.sign_in("ann@example.com", PASSWORD, device(n), "")).session


async def recent(app: Auth, session) -> bool:  # type: ignore[no-untyped-def]
    return await app.recently_authenticated_until(session.account_id, session.session_id) is not None


def test_the_window_is_600_seconds_by_default_and_step_up_seconds_sets_it(monkeypatch) -> None:
    assert Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY).step_up_seconds == 600
    monkeypatch.setenv("STEP_UP_SECONDS", "120")
    assert Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY).step_up_seconds == 120
    monkeypatch.setenv("STEP_UP_SECONDS", "0")
    with pytest.raises(ValueError):
        Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY)


async def test_signing_in_counts_as_entering_the_password_for_600_seconds(app, clock):
    session = await signed_in(app)
    assert await recent(app, session)
    clock.offset = STEP_UP - SECOND
    assert await recent(app, session)
    clock.offset = STEP_UP
    assert not await recent(app, session)


async def test_confirming_the_password_renews_it_for_600_seconds_from_then(app, clock):
    session = await signed_in(app)
    clock.offset = 2 * STEP_UP
    assert not await recent(app, session)
    until = await app.confirm_password(session.account_id, session.session_id, "", PASSWORD)
    assert until == pytest.approx(now_us() + clock.offset + STEP_UP, abs=5 * SECOND)
    assert await recent(app, session)
    clock.offset = 3 * STEP_UP - SECOND
    assert await recent(app, session)
    clock.offset = 3 * STEP_UP
    assert not await recent(app, session)


async def test_selecting_another_profile_ends_it_and_going_back_does_not_bring_it_back(app):
    session = await signed_in(app)
    await app.set_profile(session.account_id, session.session_id, "owner-1", "owner")
    assert not await recent(app, session)
    await app.confirm_password(session.account_id, session.session_id, "owner-1", PASSWORD)
    assert await recent(app, session)
    await app.set_profile(session.account_id, session.session_id, "owner-1", "owner")  # the same profile again
    assert await recent(app, session)
    await app.set_profile(session.account_id, session.session_id, "teen-1", "standard")
    assert not await recent(app, session)
    await app.set_profile(session.account_id, session.session_id, "owner-1", "owner")
    assert not await recent(app, session)


async def test_a_kids_profile_switching_to_an_unlocked_standard_profile_is_not_recently_authenticated(app):
    session = await signed_in(app)  # the parents signed the tablet in a minute ago
    await app.set_profile(session.account_id, session.session_id, "kid-1", "kids")
    await app.set_profile(session.account_id, session.session_id, "teen-1", "standard")  # no PIN on it
    assert not await recent(app, session)


async def test_a_confirmation_is_per_session(app):
    one, two = await signed_in(app, 1), await signed_in(app, 2)
    await app.set_profile(two.account_id, two.session_id, "teen-1", "standard")
    assert await recent(app, one)
    assert not await recent(app, two)


async def test_a_wrong_password_is_wrong_password_and_records_nothing(app, database):
    session = await signed_in(app)
    await app.set_profile(session.account_id, session.session_id, "owner-1", "owner")
    with pytest.raises(Unauthenticated) as error:
        await app.confirm_password(session.account_id, session.session_id, "owner-1", "not the password")
    assert error.value.reason == "wrong_password"
    assert database.sessions[session.session_id].password_confirmed_at_us is None
    assert not await recent(app, session)


async def test_wrong_passwords_are_throttled_but_never_block_the_owners_sign_in(app):
    session = await signed_in(app)
    for _ in range(5):
        with pytest.raises(Unauthenticated):
            await app.confirm_password(session.account_id, session.session_id, "", "not the password")
    with pytest.raises(ResourceExhausted):
        await app.confirm_password(session.account_id, session.session_id, "", PASSWORD)
    # the password-check bucket is the account's own, never sign-in's (a child's token can't lock the owner out)
    assert (await app.sign_in("ann@example.com", PASSWORD, device(3), "")).access_token


async def test_a_token_of_a_profile_the_session_has_left_cannot_confirm(app, database):
    session = await signed_in(app)
    await app.set_profile(session.account_id, session.session_id, "kid-1", "kids")
    with pytest.raises(PermissionDenied) as error:  # an older token still scoped to no profile
        await app.confirm_password(session.account_id, session.session_id, "", PASSWORD)
    assert error.value.reason == "other_profile"
    assert database.sessions[session.session_id].password_confirmed_at_us is None


async def test_a_revoked_or_another_accounts_session_cannot_confirm(app):
    session = await signed_in(app)
    with pytest.raises(NotFound):
        await app.confirm_password("another-account", session.session_id, "", PASSWORD)
    await app.revoke(session.account_id, Scope.SESSION, Reason.SIGN_OUT, session.session_id)
    with pytest.raises(Unauthenticated):
        await app.confirm_password(session.account_id, session.session_id, "", PASSWORD)
    assert not await recent(app, session)
