import pytest

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.bootstrap import build
from auth_service.config import Config
from common.clock import now_us
from common.errors import Unauthenticated
from tests.unit.auth_service.bound import Auth
from tests.unit.auth_service.conftest import device
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY

DAY_US = 24 * 3600 * 1_000_000
PASSWORD = "correct horse battery"


@pytest.fixture
def clock():
    class Clock:
        offset = 0

        def __call__(self) -> int:
            return now_us() + self.offset

    return Clock()


@pytest.fixture
async def short_app(database, devices, clock):
    config = Config(
        session_idle_timeout_seconds=2 * 24 * 3600,
        session_max_lifetime_seconds=5 * 24 * 3600,
        refresh_token_key=TEST_REFRESH_TOKEN_KEY,
    )
    app = Auth(build(config, database.unit_of_work, AccessTokenCodec([SigningKey.generate()], 900), devices, clock))
    await app.create_account("ann@example.com", PASSWORD)
    return app


async def test_a_session_idle_longer_than_the_timeout_cannot_refresh(short_app, clock):
    pair = await short_app.sign_in("ann@example.com", PASSWORD, device(), "")
    clock.offset = 2 * DAY_US + 1
    with pytest.raises(Unauthenticated) as error:
        await short_app.refresh(pair.refresh_token)
    assert error.value.reason == "session_expired"


async def test_refreshing_keeps_a_session_alive_but_never_past_its_absolute_limit(short_app, clock):
    pair = await short_app.sign_in("ann@example.com", PASSWORD, device(), "")
    for day in range(1, 5):
        clock.offset = day * DAY_US
        pair = await short_app.refresh(pair.refresh_token)
    clock.offset = 5 * DAY_US - 30 * 1_000_000  # 30 s before the absolute limit
    pair = await short_app.refresh(pair.refresh_token)
    assert pair.expires_in <= 30  # the access token does not outlive the session
    clock.offset = 5 * DAY_US + 1
    with pytest.raises(Unauthenticated):
        await short_app.refresh(pair.refresh_token)
