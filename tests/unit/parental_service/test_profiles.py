import itertools

import pytest

from common.errors import AlreadyExists, FailedPrecondition, InvalidArgument
from parental_service.domain.profiles import MaturityLevel, ProfileKind
from parental_service.service_layer import profiles
from tests.unit.parental_service.fakes import FakeUnitOfWork

ACCOUNT = "acc-1"


@pytest.fixture
def uow():
    return FakeUnitOfWork()


@pytest.fixture
def clock():
    ticks = itertools.count(1_000_000)
    return lambda: next(ticks)


def create(uow, clock, name, kind=None, maturity=None, account=ACCOUNT):
    return profiles.create_profile(uow, clock, account, name, kind, maturity)


def test_an_accounts_first_profile_becomes_the_owner(uow, clock):
    profile = create(uow, clock, "Ana")
    assert profile.kind is ProfileKind.OWNER
    assert profile.maturity_level is MaturityLevel.EIGHTEEN_PLUS


def test_a_first_profile_asked_as_kids_is_refused_until_the_owner_exists(uow, clock):
    with pytest.raises(FailedPrecondition) as error:
        create(uow, clock, "Kid", ProfileKind.KIDS)
    assert error.value.reason == "owner_profile_first"
    assert profiles.list_profiles(uow, ACCOUNT) == []


def test_a_second_owner_is_refused(uow, clock):
    create(uow, clock, "Ana")
    with pytest.raises(FailedPrecondition) as error:
        create(uow, clock, "Bob", ProfileKind.OWNER)
    assert "already has an owner" in error.value.message


def test_later_profiles_are_standard_unless_kids_and_kids_default_to_seven_plus(uow, clock):
    create(uow, clock, "Ana")
    standard = create(uow, clock, "Bob")
    kids = create(uow, clock, "Kid", ProfileKind.KIDS)
    assert (standard.kind, standard.maturity_level) == (ProfileKind.STANDARD, MaturityLevel.EIGHTEEN_PLUS)
    assert (kids.kind, kids.maturity_level) == (ProfileKind.KIDS, MaturityLevel.SEVEN_PLUS)


def test_an_explicit_maturity_level_is_kept(uow, clock):
    create(uow, clock, "Ana")
    teen = create(uow, clock, "Teen", ProfileKind.STANDARD, MaturityLevel.THIRTEEN_PLUS)
    assert teen.maturity_level is MaturityLevel.THIRTEEN_PLUS


def test_a_sixth_profile_is_refused_with_a_clear_message(uow, clock):
    for name in ["Ana", "Bob", "Cy", "Di", "Ed"]:
        create(uow, clock, name)
    with pytest.raises(FailedPrecondition) as error:
        create(uow, clock, "Fay")
    assert error.value.message == "An account has at most 5 profiles; delete one to add another."
    assert len(profiles.list_profiles(uow, ACCOUNT)) == 5


def test_the_limit_counts_each_account_separately(uow, clock):
    for name in ["Ana", "Bob", "Cy", "Di", "Ed"]:
        create(uow, clock, name)
    assert create(uow, clock, "Ana", account="acc-2").kind is ProfileKind.OWNER


def test_names_are_unique_per_account_regardless_of_case(uow, clock):
    create(uow, clock, "Ana")
    with pytest.raises(AlreadyExists):
        create(uow, clock, "  aNA ")


@pytest.mark.parametrize("name", ["", "   ", "x" * 51])
def test_a_name_must_be_1_to_50_characters(uow, clock, name):
    with pytest.raises(InvalidArgument):
        create(uow, clock, name)


def test_a_name_of_exactly_50_characters_is_accepted(uow, clock):
    assert create(uow, clock, "x" * 50).name == "x" * 50


def test_profiles_are_listed_owner_first_then_in_creation_order(uow, clock):
    create(uow, clock, "Ana")
    create(uow, clock, "Bob")
    create(uow, clock, "Cy", ProfileKind.KIDS)
    assert [p.name for p in profiles.list_profiles(uow, ACCOUNT)] == ["Ana", "Bob", "Cy"]
    assert profiles.list_profiles(uow, "acc-other") == []
