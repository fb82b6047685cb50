import datetime

import pytest

from parental_service.domain.audit import Actor
from parental_service.domain.profiles import MaturityLevel, ProfileKind
from parental_service.domain.titles import Title
from parental_service.service_layer import profiles
from parental_service.service_layer.catalogue import TitleCatalogue
from parental_service.service_layer.stop_hub import PlaybackStopHub
from tests.unit.parental_service.fakes import FakePinHasher, FakeUnitOfWork

ACCOUNT = "acc-1"
PARENT = Actor(device_id="parent-phone", profile_id="owner")
TITLES = [
    Title("t-all", "Puddle Jumpers", MaturityLevel.ALL),
    Title("t-13", "Hallway Legends", MaturityLevel.THIRTEEN_PLUS),
    Title("t-16", "Night Shift Precinct", MaturityLevel.SIXTEEN_PLUS),
    Title("t-18", "Blood Orchard", MaturityLevel.EIGHTEEN_PLUS),
]
CATALOGUE = TitleCatalogue(TITLES)


def micros(text: str) -> int:
    """Microseconds of an ISO time with offset, such as 2026-01-05T18:00:00-05:00."""
    return int(datetime.datetime.fromisoformat(text).timestamp()) * 1_000_000


class FakeClock:
    def __init__(self, now: int = micros("2026-01-05T12:00:00+00:00")) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += int(seconds * 1_000_000)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def uow():
    return FakeUnitOfWork()


@pytest.fixture
def stops():
    """Where handlers publish the playbacks they stop."""
    return PlaybackStopHub()


@pytest.fixture
def hasher():
    return FakePinHasher()


@pytest.fixture
def family(uow, clock):
    """An owner, a 13+ teen and a kids profile on ACCOUNT."""
    owner = profiles.create_profile(uow, clock, ACCOUNT, "Ana", None, None)
    teen = profiles.create_profile(uow, clock, ACCOUNT, "Teen", None, MaturityLevel.THIRTEEN_PLUS)
    kid = profiles.create_profile(uow, clock, ACCOUNT, "Kid", ProfileKind.KIDS, None)
    return owner, teen, kid
