"""The sign-in throttle: per source, per account from unknown devices, per known device; before argon2."""

import asyncio

import pytest

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.adapters.throttle_store import InMemoryThrottleStore
from auth_service.bootstrap import build
from auth_service.config import Config
from auth_service.domain.throttle import Bucket, BucketNames, Limit, ThrottlePolicy, source_network
from auth_service.service_layer.throttle import SIGN_IN_THROTTLED
from common import passwords
from common.clock import now_us
from common.errors import ResourceExhausted, Unauthenticated
from tests.unit.auth_service.bound import Auth
from tests.unit.auth_service.conftest import device
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY

PASSWORD = "correct horse battery"
OWNER = "ann@example.com"
ATTACKER_IP = "203.0.113.7"
HOME_IP = "198.51.100.20"


class Clock:
    def __init__(self) -> None:
        self.now = now_us()

    def __call__(self) -> int:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += int(seconds * 1_000_000)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(database, devices, clock):
    codec = AccessTokenCodec([SigningKey.generate()], ttl_seconds=900)
    return Auth(build(Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY), database.unit_of_work, codec, devices, clock))


@pytest.fixture
def argon2_calls(monkeypatch):
    """How many argon2 verifications sign-in has made."""
    calls = []
    verify = passwords.verify_secret_async

    async def counting(stored_hash, secret):
        calls.append(1)
        return await verify(stored_hash, secret)

    monkeypatch.setattr(passwords, "verify_secret_async", counting)
    return calls


async def attempt(app, email, password="wrong password", client=99, ip=ATTACKER_IP):
    """'ok', 'wrong' or the seconds a throttled attempt must wait."""
    try:
        await app.sign_in(email, password, device(client), ip)
    except Unauthenticated:
        return "wrong"
    except ResourceExhausted as error:
        assert (error.message, error.reason) == (SIGN_IN_THROTTLED, "sign_in_throttled")
        return error.retry_after_seconds
    return "ok"


async def test_32_wrong_guesses_across_8_accounts_from_one_source_are_throttled(app):
    emails = [f"user{n}@example.com" for n in range(8)]
    for email in emails:
        await app.create_account(email, PASSWORD)
    answers = [await attempt(app, email, client=n) for n in range(4) for email in emails]  # 4 per account
    assert answers[:20] == ["wrong"] * 20  # no account reached its own limit of 5...
    assert all(isinstance(answer, int) and answer > 0 for answer in answers[20:])  # ...but the source did
    assert await attempt(app, emails[0], PASSWORD, ip="192.0.2.1") == "ok"  # another source is not throttled


async def test_the_owners_known_device_signs_in_while_an_attacker_is_throttled(app):
    await app.create_account(OWNER, PASSWORD)
    assert await attempt(app, OWNER, PASSWORD, client=1, ip=HOME_IP) == "ok"  # the TV, once
    answers = [await attempt(app, OWNER, client=100 + n) for n in range(15)]  # a new client_id every time
    assert answers[:5] == ["wrong"] * 5 and all(isinstance(a, int) for a in answers[5:])
    assert isinstance(await attempt(app, OWNER, PASSWORD, client=200), int)  # even the right password, elsewhere
    assert await attempt(app, OWNER, PASSWORD, client=1, ip=HOME_IP) == "ok"  # the TV still gets in
    assert await attempt(app, OWNER, PASSWORD, client=1, ip=ATTACKER_IP) == "ok"  # from any address


async def test_a_known_device_is_throttled_only_by_its_own_failures(app):
    await app.create_account(OWNER, PASSWORD)
    await app.sign_in(OWNER, PASSWORD, device(1), HOME_IP)
    answers = [await attempt(app, OWNER, client=1, ip=HOME_IP) for _ in range(11)]
    assert answers[:10] == ["wrong"] * 10 and answers[10] == 60
    assert await attempt(app, OWNER, PASSWORD, client=2, ip=HOME_IP) == "ok"  # another device is not


async def test_throttled_attempts_cost_no_argon2_work(app, argon2_calls):
    await app.create_account(OWNER, PASSWORD)
    for email in (OWNER, "nobody@example.com"):
        for _ in range(5):
            assert await attempt(app, email) == "wrong"
    assert len(argon2_calls) == 10
    for _ in range(50):
        assert isinstance(await attempt(app, OWNER), int)
        assert isinstance(await attempt(app, "nobody@example.com"), int)
    assert len(argon2_calls) == 10


async def test_a_flood_of_concurrent_attempts_gets_no_more_argon2_work_than_the_limit(app, argon2_calls):
    await app.create_account(OWNER, PASSWORD)
    answers = await asyncio.gather(*(attempt(app, OWNER, client=n) for n in range(40)))
    assert answers.count("wrong") == 5 and len(argon2_calls) == 5


async def test_retry_after_decays_and_the_bucket_refills(app, clock):
    await app.create_account(OWNER, PASSWORD)
    for _ in range(5):
        assert await attempt(app, OWNER) == "wrong"
    assert await attempt(app, OWNER) == 300  # one attempt back every 5 minutes
    clock.advance(100)
    assert await attempt(app, OWNER) == 200  # refused attempts do not make it longer
    clock.advance(200)
    assert await attempt(app, OWNER) == "wrong"
    assert await attempt(app, OWNER) == 300
    clock.advance(1500)  # the whole window: every token back
    assert [await attempt(app, OWNER) for _ in range(6)][4:] == ["wrong", 300]


async def test_a_throttled_unknown_email_gets_exactly_the_answer_of_a_known_one(app):
    await app.create_account(OWNER, PASSWORD)
    answers = {}
    for email in (OWNER, "nobody@example.com"):
        answers[email] = [await attempt(app, email, ip=ip) for ip in ("192.0.2.1", "192.0.2.2") for _ in range(4)]
    assert answers[OWNER] == answers["nobody@example.com"] == ["wrong"] * 5 + [300] * 3


async def test_a_right_password_gives_its_attempt_back(app):
    await app.create_account(OWNER, PASSWORD)
    for n in range(20):  # 20 sign-ins of new devices from one address: none counts
        assert await attempt(app, OWNER, PASSWORD, client=n, ip=HOME_IP) == "ok"
    assert [await attempt(app, OWNER, client=99, ip=HOME_IP) for _ in range(6)][4:] == ["wrong", 300]


async def test_profile_password_failures_never_block_sign_in(app):
    account = await app.create_account(OWNER, PASSWORD)
    for _ in range(5):
        with pytest.raises(Unauthenticated):
            await app.verify_password(account.account_id, "wrong password")
    for _ in range(20):
        with pytest.raises(ResourceExhausted) as throttled:
            await app.verify_password(account.account_id, "wrong password")
    assert (throttled.value.reason, throttled.value.retry_after_seconds) == ("password_throttled", 60)
    assert await attempt(app, OWNER, PASSWORD, client=5) == "ok"  # a new device, the same account


async def test_sign_in_failures_never_block_the_password_check(app):
    account = await app.create_account(OWNER, PASSWORD)
    for _ in range(10):
        await attempt(app, OWNER)
    assert (await app.verify_password(account.account_id, PASSWORD)).account_id == account.account_id


async def test_a_closed_accounts_right_password_counts_as_a_failure(app):
    account = await app.create_account(OWNER, PASSWORD)
    await app.close_account(account.account_id, PASSWORD)
    assert [await attempt(app, OWNER, PASSWORD) for _ in range(6)][4:] == ["wrong", 300]


def test_an_ipv6_source_is_its_64_network_and_an_ipv4_mapped_one_its_ipv4_address():
    assert source_network("2001:db8:1:2:aaaa::1") == source_network("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert source_network("2001:db8:1:3::1") != source_network("2001:db8:1:2::1")
    assert source_network("::ffff:192.0.2.1") == source_network("192.0.2.1") == "192.0.2.1"
    assert source_network("") == "" and source_network("not an address") == "not an address"


def test_bucket_names_hold_no_email_address_or_client_id():
    names = BucketNames(b"k" * 32, ThrottlePolicy())
    buckets = [*names.sign_in(OWNER, ATTACKER_IP, "", "tv-1", False), names.device("acc", "tv-1")]
    for bucket in buckets:
        assert OWNER not in bucket.name and ATTACKER_IP not in bucket.name and "tv-1" not in bucket.name
    other_key = BucketNames(b"j" * 32, ThrottlePolicy()).sign_in(OWNER, ATTACKER_IP, "", "tv-1", False)
    assert {b.name for b in buckets}.isdisjoint(b.name for b in other_key)


def test_the_limits_come_from_the_settings(monkeypatch):
    monkeypatch.setenv("SOURCE_THROTTLE_AFTER", "7")
    monkeypatch.setenv("SOURCE_THROTTLE_REFILL_SECONDS", "2.5")
    monkeypatch.setenv("SIGN_IN_THROTTLE_REFILL_SECONDS", "30")
    monkeypatch.setenv("DEVICE_THROTTLE_AFTER", "3")
    monkeypatch.setenv("DEVICE_THROTTLE_REFILL_SECONDS", "9")
    monkeypatch.setenv("PASSWORD_CHECK_THROTTLE_AFTER", "4")
    monkeypatch.setenv("PASSWORD_CHECK_THROTTLE_REFILL_SECONDS", "11")
    monkeypatch.setenv("AUTH_THROTTLE_REDIS_URL", "redis://:hunter2@127.0.0.1:6379/0")
    config = Config.from_env(refresh_token_key=TEST_REFRESH_TOKEN_KEY)
    policy = build(config, lambda: None, None, None).rules.throttle
    assert policy == ThrottlePolicy(Limit(7, 2.5), Limit(5, 30), Limit(3, 9), Limit(4, 11))
    assert config.throttle_redis_url.startswith("redis://") and "hunter2" not in repr(config)


def test_defaults_of_the_limits():
    config = Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY)
    policy = build(config, lambda: None, None, None).rules.throttle
    assert policy == ThrottlePolicy(Limit(20, 60), Limit(5, 300), Limit(10, 60), Limit(5, 60))
    assert config.throttle_redis_url == ""


async def test_the_in_memory_store_stays_bounded_and_forgets_full_buckets_first():
    store = InMemoryThrottleStore(max_buckets=100)
    limit = Limit(1, 10)
    await store.take([Bucket("old-but-full", Limit(1, 0.5))], now=0.0)
    for n in range(150):
        await store.take([Bucket(f"b{n}", limit)], now=1.0)
    assert len(store) <= 100
    assert await store.take([Bucket("b149", limit)], now=1.0) > 0  # the newest are kept


async def test_the_in_memory_store_takes_from_all_buckets_or_none():
    store = InMemoryThrottleStore()
    empty, fresh = Bucket("empty", Limit(1, 10)), Bucket("fresh", Limit(2, 10))
    assert await store.take([empty], now=0.0) == 0
    assert await store.take([fresh, empty], now=0.0) == 10
    assert await store.take([fresh], now=0.0) == 0 and await store.take([fresh], now=0.0) == 0  # both still there


async def test_every_throttled_attempt_is_counted_by_reason_and_no_other(app):
    from prometheus_client import REGISTRY

    def throttled() -> float:
        return REGISTRY.get_sample_value("remotesignout_sign_in_throttled_total", {"reason": "sign_in_throttled"}) or 0

    emails = [f"count{n}@example.com" for n in range(8)]
    for email in emails:
        await app.create_account(email, PASSWORD)
    before = throttled()
    answers = [await attempt(app, email, client=n) for n in range(4) for email in emails]
    assert throttled() - before == sum(1 for answer in answers if isinstance(answer, int)) == 12
