import pytest

from common.errors import InvalidArgument, NotFound, PermissionDenied, ResourceExhausted, Unauthenticated
from parental_service.domain import pins
from parental_service.domain.profiles import MaturityLevel, Profile, ProfileKind
from parental_service.service_layer import pins as service_pins
from parental_service.service_layer import rules
from tests.unit.parental_service.conftest import ACCOUNT, CATALOGUE, PARENT
from tests.unit.parental_service.fakes import FakePinHasher, legacy_fake_hash

DAY = 24 * 3600


@pytest.fixture
def set_pin(uow, clock, stops, hasher):
    """service_pins.set_profile_pin, by PARENT, on ACCOUNT unless told."""

    def set_pin(profile_id, pin, account=ACCOUNT):
        return service_pins.set_profile_pin(uow, clock, CATALOGUE, stops, hasher, account, profile_id, pin, PARENT)

    return set_pin


@pytest.fixture
def select(uow, clock, hasher):
    """service_pins.select_profile on ACCOUNT unless told."""

    def select(profile_id, pin, device_id, account=ACCOUNT):
        return service_pins.select_profile(uow, clock, hasher, account, profile_id, pin, device_id)

    return select


def profile_of(uow, profile_id):
    return rules.get_profile_rules(uow, ACCOUNT, profile_id).profile


@pytest.mark.parametrize("pin", ["12a4", "12345", "", "123", " 1234", "١٢٣٤"])
async def test_a_malformed_pin_is_refused_with_a_clear_message(uow, set_pin, family, pin):
    _owner, _, kid = family
    with pytest.raises(InvalidArgument) as error:
        await set_pin(kid.profile_id, pin)
    assert error.value.message == "A PIN is exactly 4 digits, such as 0427."
    assert not profile_of(uow, kid.profile_id).has_pin


async def test_the_pin_is_stored_only_as_a_hash(uow, set_pin, family):
    _, _, kid = family
    await set_pin(kid.profile_id, "0427")
    with uow:
        stored = uow.profiles.get(ACCOUNT, kid.profile_id)
    assert stored.has_pin and "0427" not in stored.pin_hash


async def test_a_profile_without_a_pin_is_entered_without_one(select, family):
    _, teen, _ = family
    assert (await select(teen.profile_id, "", "tv")).profile_id == teen.profile_id


async def test_a_profile_with_a_pin_needs_it(set_pin, select, family):
    _, _, kid = family
    await set_pin(kid.profile_id, "0427")
    with pytest.raises(PermissionDenied) as missing:
        await select(kid.profile_id, "", "tv")
    with pytest.raises(Unauthenticated) as wrong:
        await select(kid.profile_id, "1111", "tv")
    assert (missing.value.reason, wrong.value.reason) == ("pin_required", "wrong_pin")
    assert "4 tries left" in wrong.value.message
    assert (await select(kid.profile_id, "0427", "tv")).failed_pin_attempts == 0


async def test_five_wrong_pins_lock_the_profile_even_against_the_right_pin(clock, set_pin, select, family):
    _, _, kid = family
    await set_pin(kid.profile_id, "0427")
    for _ in range(4):
        with pytest.raises(Unauthenticated):
            await select(kid.profile_id, "9999", "tv")
    with pytest.raises(ResourceExhausted) as fifth:
        await select(kid.profile_id, "9999", "tv")
    assert fifth.value.reason == "pin_locked"
    assert "locked until 2026-01-05 12:01:00 UTC" in fifth.value.message
    with pytest.raises(ResourceExhausted):
        await select(kid.profile_id, "0427", "tv")
    clock.advance(60)
    assert (await select(kid.profile_id, "0427", "tv")).locked_until is None


async def test_a_locked_pin_says_how_many_seconds_to_wait_and_the_wait_decays(clock, set_pin, select, family):
    _, _, kid = family
    await set_pin(kid.profile_id, "0427")
    for _ in range(4):
        with pytest.raises(Unauthenticated):
            await select(kid.profile_id, "9999", "tv")
    with pytest.raises(ResourceExhausted) as locked:
        await select(kid.profile_id, "9999", "tv")
    assert locked.value.retry_after_seconds == 60
    clock.advance(45)
    with pytest.raises(ResourceExhausted) as later:
        await select(kid.profile_id, "0427", "tv")
    assert later.value.retry_after_seconds == 15


async def test_each_wrong_pin_after_a_lock_doubles_it_up_to_a_day():
    assert [pins.lock_duration_us(n) // 60_000_000 for n in range(4, 9)] == [0, 1, 2, 4, 8]
    assert pins.lock_duration_us(16) == DAY * 1_000_000
    assert pins.lock_duration_us(500) == DAY * 1_000_000


async def test_unlocking_after_the_password_check_clears_the_lock(uow, clock, set_pin, select, family):
    _, _, kid = family
    await set_pin(kid.profile_id, "0427")
    for _ in range(5):
        with pytest.raises((Unauthenticated, ResourceExhausted)):
            await select(kid.profile_id, "9999", "tv")
    unlocked = service_pins.unlock_profile(uow, clock, ACCOUNT, kid.profile_id, PARENT).profile
    assert (unlocked.locked_until, unlocked.failed_pin_attempts) == (None, 0)
    assert (await select(kid.profile_id, "0427", "tv")).profile_id == kid.profile_id


async def test_an_attacker_gets_well_under_100_pin_tries_in_24_hours(uow, clock, set_pin, select, family):
    _, _, kid = family
    await set_pin(kid.profile_id, "0427")
    end = clock.now + DAY * 1_000_000
    tries = 0
    guesses = (f"{n:04d}" for n in range(1000, 10000))
    while clock.now < end:
        try:
            tries += 1
            await select(kid.profile_id, next(guesses), "attacker-tv")
        except Unauthenticated:
            pass
        except ResourceExhausted:
            profile = profile_of(uow, kid.profile_id)
            if profile.locked_until is not None and profile.locked_until > clock.now:
                clock.now = profile.locked_until  # the attacker waits exactly as long as needed
            else:
                tries -= 1
    assert 5 < tries <= 20


async def test_a_locked_profile_refuses_guesses_without_counting_them():
    profile = Profile("p", ACCOUNT, "Kid", ProfileKind.KIDS, MaturityLevel.SEVEN_PLUS, 0, pin_hash="h")
    for _attempt in range(5):
        pins.record_wrong_pin(profile, now=0)
    with pytest.raises(ResourceExhausted):
        pins.ensure_may_try_pin(profile, "1234", now=59_999_999)
    assert profile.failed_pin_attempts == 5
    pins.ensure_may_try_pin(profile, "1234", now=60_000_000)


async def test_pin_calls_for_another_accounts_profile_are_not_found_and_change_nothing(
    uow, clock, set_pin, select, family
):
    _, _, kid = family
    for call in (
        lambda: set_pin(kid.profile_id, "0427", account="acc-2"),
        lambda: service_pins.remove_pin(uow, clock, "acc-2", kid.profile_id, PARENT),
        lambda: service_pins.unlock_profile(uow, clock, "acc-2", kid.profile_id, PARENT),
        lambda: select(kid.profile_id, "0427", "tv", account="acc-2"),
    ):
        with pytest.raises(NotFound):
            result = call()
            if hasattr(result, "__await__"):
                await result
    assert not profile_of(uow, kid.profile_id).has_pin


def _store_legacy_pin(uow, profile_id: str, pin: str) -> None:
    with uow:
        profile = uow.profiles.get(ACCOUNT, profile_id)
        profile.pin_hash = legacy_fake_hash(pin)
        uow.profiles.save(profile)
        uow.commit()


def _stored_hash(uow, profile_id: str) -> str:
    with uow:
        return uow.profiles.get(ACCOUNT, profile_id).pin_hash


async def test_a_pin_is_stored_peppered(uow, hasher, set_pin, family):
    _, _, kid = family
    await set_pin(kid.profile_id, "0427")
    assert not hasher.needs_rehash(_stored_hash(uow, kid.profile_id))
    assert not await FakePinHasher(pepper=b"another pepper, also 32 bytes long").verify(
        _stored_hash(uow, kid.profile_id), "0427"
    )


async def test_a_legacy_pin_hash_still_verifies_and_is_peppered_on_the_next_right_pin(
    uow, hasher, set_pin, select, family
):
    _, _, kid = family
    await set_pin(kid.profile_id, "0427")
    _store_legacy_pin(uow, kid.profile_id, "0427")
    with pytest.raises(Unauthenticated):
        await select(kid.profile_id, "1111", "tv")
    assert _stored_hash(uow, kid.profile_id) == legacy_fake_hash("0427"), "a wrong PIN changes no hash"

    entered = await select(kid.profile_id, "0427", "tv")
    assert (entered.profile_id, entered.failed_pin_attempts) == (kid.profile_id, 0)
    upgraded = _stored_hash(uow, kid.profile_id)
    assert upgraded == await FakePinHasher().hash("0427") and not hasher.needs_rehash(upgraded)
    assert (await select(kid.profile_id, "0427", "tv")).profile_id == kid.profile_id


async def test_a_legacy_pin_hash_keeps_the_lock_out(uow, set_pin, select, family):
    _, _, kid = family
    await set_pin(kid.profile_id, "0427")
    _store_legacy_pin(uow, kid.profile_id, "0427")
    for _ in range(4):
        with pytest.raises(Unauthenticated):
            await select(kid.profile_id, "9999", "tv")
    with pytest.raises(ResourceExhausted):
        await select(kid.profile_id, "9999", "tv")
    with pytest.raises(ResourceExhausted):
        await select(kid.profile_id, "0427", "tv")
    assert _stored_hash(uow, kid.profile_id) == legacy_fake_hash("0427")


async def test_a_rehash_does_not_overwrite_a_pin_changed_while_it_was_checked(uow, clock, hasher, set_pin, family):
    _, _, kid = family
    await set_pin(kid.profile_id, "0427")
    new_hash = _stored_hash(uow, kid.profile_id)
    guess = service_pins.PinGuess(profile_of(uow, kid.profile_id), legacy_fake_hash("1111"), Unauthenticated(""), False)
    service_pins.finish_pin_check(uow, clock, ACCOUNT, "tv", guess, True, await hasher.hash("1111"))
    assert _stored_hash(uow, kid.profile_id) == new_hash


async def test_a_lock_out_is_counted_once_not_every_refused_guess(set_pin, select, family):
    from prometheus_client import REGISTRY

    def lockouts() -> float:
        return REGISTRY.get_sample_value("remotesignout_pin_lockouts_total") or 0.0

    _, _, kid = family
    await set_pin(kid.profile_id, "0427")
    before = lockouts()
    for _ in range(4):
        with pytest.raises(Unauthenticated):
            await select(kid.profile_id, "9999", "tv")
    assert lockouts() == before
    for _ in range(3):  # the fifth wrong guess locks; the next ones are refused while locked
        with pytest.raises(ResourceExhausted):
            await select(kid.profile_id, "9999", "tv")
    assert lockouts() == before + 1
