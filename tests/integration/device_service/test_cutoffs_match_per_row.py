"""Account cutoffs give every answer that writing every reached row gave, over random histories.

Hypothesis draws histories of sign-ins, revocations of every scope (times before, at and after
sign-ins, "whenever", a sequence delivered twice), removals and allowals, playbacks, downloads, and a
device_service clock that may step back. Each step runs through the handlers on the SQL repositories
(account-wide revocations kept as one cutoff per account, device_service.domain.cutoffs) and on the
in-memory fakes (every reached row written, as device_service did before); after each step every read
must agree: the handler's result or error, ListDevices with and without inactive devices, every device,
every download and its licence check. On SQLite, and on PostgreSQL with fewer examples; derandomized
under CI=true.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from common.db import make_engine, make_session_factory
from common.errors import DomainError
from common.migrations import upgrade
from common.revocation import Reason, Revocation, Scope
from device_service.adapters.migrations import HISTORY
from device_service.adapters.orm import Base
from device_service.adapters.unit_of_work import SqlAlchemyUnitOfWork
from device_service.domain.model import DeviceDetails, DeviceType
from device_service.service_layer import activity, devices, downloads, removal
from device_service.service_layer.revocations import apply_revocation
from device_service.service_layer.unit_of_work import UnitOfWork
from tests.postgres import postgres_schema_url
from tests.support import IN_CI
from tests.unit.device_service.fakes import FakeClock, FakeLocator, FakeUnitOfWork

ACCOUNTS = ("acc-1", "acc-2")
CLIENTS = ("tv", "phone", "tablet")
T0 = 1_700_000_000_000_000

account = st.sampled_from(("acc-1", "acc-1", "acc-1", "acc-2"))  # mostly one account, sometimes the other
client = st.sampled_from(CLIENTS)
revoked_at = st.one_of(
    st.just(("whenever",)),
    st.tuples(st.just("now"), st.integers(-3, 3)),
    st.tuples(st.just("signed in"), client, st.integers(-1, 1)),  # around when that device last signed in
)
step = st.one_of(
    st.tuples(st.just("sign_in"), account, client),
    st.tuples(st.just("revoke"), st.sampled_from(Scope), account, client, revoked_at),
    st.tuples(st.just("revoke"), st.sampled_from([Scope.ALL, Scope.ALL_OTHERS]), account, client, revoked_at),
    st.tuples(st.just("deliver_again"), st.integers(0, 20)),
    st.tuples(st.sampled_from(["remove", "allow", "play", "download"]), account, client),
    st.tuples(st.just("clock"), st.integers(-2, 3)),
)
histories = st.lists(step, min_size=1, max_size=30)

# Histories that must be among the examples, whatever Hypothesis draws.
KEPT_AFTER_ALL = [  # all_others keeps a device an earlier all signed out: it stays signed out
    ("sign_in", "acc-1", "tv"),
    ("sign_in", "acc-1", "phone"),
    ("revoke", Scope.ALL, "acc-1", "tv", ("now", 0)),
    ("revoke", Scope.ALL_OTHERS, "acc-1", "tv", ("now", 0)),
    ("play", "acc-1", "tv"),
]
EARLIER_AFTER_LATER = [  # a cutoff arriving after a later one: what the later one signed out stays so
    ("sign_in", "acc-1", "tv"),
    ("clock", 3),
    ("sign_in", "acc-1", "phone"),
    ("download", "acc-1", "phone"),
    ("revoke", Scope.ALL, "acc-1", "tv", ("now", 0)),
    ("revoke", Scope.ALL, "acc-1", "tv", ("signed in", "tv", 1)),
    ("sign_in", "acc-1", "tv"),
]
WHENEVER_THEN_AGAIN = [  # "whenever", then a sign-in at an earlier clock: signed in again all the same
    ("sign_in", "acc-1", "tv"),
    ("sign_in", "acc-2", "tv"),
    ("revoke", Scope.ALL, "acc-1", "tv", ("whenever",)),
    ("clock", -3),
    ("sign_in", "acc-1", "tv"),
    ("deliver_again", 0),
    ("revoke", Scope.DEVICE, "acc-1", "tv", ("now", 1)),
]
COVERED_THEN_ONE = [  # a device revocation of a device a cutoff signed out signs out nothing more
    ("sign_in", "acc-1", "tv"),
    ("download", "acc-1", "tv"),
    ("revoke", Scope.ALL_OTHERS, "acc-1", "phone", ("now", 1)),
    ("revoke", Scope.SESSION, "acc-1", "tv", ("now", 1)),
    ("remove", "acc-1", "tv"),
    ("allow", "acc-1", "tv"),
    ("sign_in", "acc-1", "tv"),
]


class World:
    """One device_service's handlers on one unit of work; devices named by (account, client_id)."""

    def __init__(self, uow: UnitOfWork, clock: FakeClock) -> None:
        self.uow, self.clock, self.locator = uow, clock, FakeLocator()
        self.ids: dict[tuple[str, str], str] = {}

    def device_id(self, account_id: str, client_id: str) -> str:
        return self.ids.get((account_id, client_id), f"no-such-device-{client_id}")

    def run(self, op: tuple[Any, ...], revocation: Revocation | None) -> object:
        """What the step answers, in terms both worlds share (client ids, not device ids), or its error."""
        kind = op[0]
        try:
            if revocation is not None:
                result = apply_revocation(self.uow, self.clock, revocation)
                names = {v: k for k, v in self.ids.items()}
                return (result.applied, result.already_applied, sorted(names[d] for d in result.signed_out_device_ids))
            account_id, client_id = op[1], op[2]
            if kind == "sign_in":
                details = DeviceDetails(client_id, client_id.upper(), DeviceType.TV)
                device = devices.register_device(self.uow, self.clock, self.locator, account_id, details, "")
                self.ids[account_id, client_id] = device.device_id
                return shown(device)
            device_id = self.device_id(account_id, client_id)
            if kind == "remove":
                return shown(removal.remove_device(self.uow, self.clock, account_id, device_id))
            if kind == "allow":
                return shown(removal.allow_device(self.uow, account_id, device_id))
            if kind == "play":
                played = activity.record_playback(
                    self.uow, self.clock, self.locator, account_id, device_id, "Ana", "Dark", ""
                )
                return shown(played)
            title = f"title-{self.clock()}"
            return shown(downloads.record_download(self.uow, self.clock, account_id, device_id, "Ana", title))
        except DomainError as error:
            return type(error).__name__, error.reason

    def reads(self) -> dict[str, object]:
        """Every answer device_service gives about the accounts."""
        answers: dict[str, object] = {}
        for account_id in ACCOUNTS:
            for include_inactive in (True, False):
                page = devices.list_devices(
                    self.uow, self.clock, account_id, 100, "", include_inactive, inactive_days=0
                )
                # Newest first; between devices seen at one moment, the order is by device id, which differs.
                listed = sorted(page.devices, key=lambda d: (-d.last_seen_at, d.client_id))
                assert [d.last_seen_at for d in listed] == [d.last_seen_at for d in page.devices]
                answers[f"{account_id} list {include_inactive}"] = [shown(d) for d in listed]
            for (owner, client_id), device_id in sorted(self.ids.items()):
                if owner != account_id:
                    continue
                answers[f"{account_id} {client_id}"] = shown(devices.get_device(self.uow, account_id, device_id))
                found, _ = downloads.list_downloads(self.uow, account_id, device_id, 100, "")
                for download in found:
                    _, check = downloads.check_download_license(self.uow, account_id, download.download_id)
                    answers[f"{account_id} {client_id} {download.title}"] = (shown(download), check)
        return answers


def shown(thing: Any) -> Any:
    """A device or download as both worlds show it: without the identifiers each world drew at random."""
    fields = {f.name for f in dataclasses.fields(thing)}
    return dataclasses.replace(thing, **{name: "" for name in ("device_id", "download_id") if name in fields})


def moment(world: World, when: tuple[Any, ...], account_id: str) -> int:
    """A revocation time: "whenever" (0), around now, or around when one of the account's devices signed in."""
    if when[0] == "whenever":
        return 0
    if when[0] == "now":
        return max(1, world.clock() + when[1])
    key = (account_id, when[1])
    if key not in world.ids:
        return max(1, world.clock() + when[2])
    return max(1, devices.get_device(world.uow, account_id, world.ids[key]).signed_in_at + when[2])


def replay(new_uow: Any, history: list[tuple[Any, ...]]) -> None:
    clock = FakeClock(T0)
    worlds = (World(new_uow(), clock), World(FakeUnitOfWork(), clock))
    sql, fake = worlds
    delivered: list[tuple[Revocation, Revocation]] = []  # each sequence as delivered to each world
    for op in history:
        if op[0] == "clock":
            clock.advance(op[1])
            continue
        revocations: tuple[Revocation, ...] | tuple[None, None] = (None, None)
        if op[0] == "deliver_again":
            if not delivered:
                continue
            revocations = delivered[op[1] % len(delivered)]
        elif op[0] == "revoke":
            _, scope, account_id, client_id, when = op
            at = moment(fake, when, account_id)
            sequence = len(delivered) + 1
            revocations = tuple(
                Revocation(
                    sequence,
                    account_id,
                    scope,
                    Reason.SIGN_OUT_ALL,
                    "s",
                    "" if scope is Scope.ALL else world.device_id(account_id, client_id),
                    at,
                )
                for world in worlds
            )
            delivered.append((revocations[0], revocations[1]))
        answers = [world.run(op, revocation) for world, revocation in zip(worlds, revocations, strict=True)]
        assert answers[0] == answers[1], op
        assert sql.reads() == fake.reads(), op
        clock.advance(1)


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with postgres_schema_url() as url:
        yield url


def _fresh(engine: Engine) -> Any:
    """An empty database at head: every table dropped (the version table too), then the migrations."""
    Base.metadata.drop_all(engine)
    with engine.begin() as db:
        db.execute(text(f"DROP TABLE IF EXISTS {HISTORY.version_table}"))
    upgrade(engine, HISTORY)
    sessions = make_session_factory(engine)
    return lambda: SqlAlchemyUnitOfWork(sessions)


@settings(max_examples=150, deadline=None, derandomize=IN_CI, suppress_health_check=[HealthCheck.too_slow])
@example(history=KEPT_AFTER_ALL)
@example(history=EARLIER_AFTER_LATER)
@example(history=WHENEVER_THEN_AGAIN)
@example(history=COVERED_THEN_ONE)
@given(history=histories)
def test_on_sqlite_cutoffs_answer_as_writing_every_reached_row(history):
    engine = make_engine("sqlite://")
    try:
        replay(_fresh(engine), history)
    finally:
        engine.dispose()


@pytest.mark.postgres
@settings(
    max_examples=25,
    deadline=None,
    derandomize=IN_CI,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@example(history=KEPT_AFTER_ALL)
@example(history=EARLIER_AFTER_LATER)
@example(history=WHENEVER_THEN_AGAIN)
@example(history=COVERED_THEN_ONE)
@given(history=histories)
def test_on_postgresql_cutoffs_answer_as_writing_every_reached_row(postgres_url, history):
    engine = make_engine(postgres_url)
    try:
        replay(_fresh(engine), history)
    finally:
        engine.dispose()
