import random

import pytest

from common.revocation_index import RevocationIndex
from common.revocation import Reason, Revocation, Scope


def revocation(scope: Scope, at: int, session_id: str = "", device_id: str = "", account: str = "a1") -> Revocation:
    return Revocation(1, account, scope, Reason.SIGN_OUT_ALL, session_id, device_id, at)


def test_a_session_is_valid_until_something_revokes_it():
    assert RevocationIndex().revoked_reason("a1", "s1", "d1", 100) is None


def test_revoking_one_session_leaves_the_others_valid():
    index = RevocationIndex()
    index.apply(revocation(Scope.SESSION, 200, session_id="s1", device_id="d1"))
    assert index.revoked_reason("a1", "s1", "d1", 100) is Reason.SIGN_OUT_ALL
    assert index.revoked_reason("a1", "s2", "d1", 150) is None


def test_sign_out_all_revokes_sessions_created_before_it_but_not_after():
    index = RevocationIndex()
    index.apply(revocation(Scope.ALL, 200))
    assert index.revoked_reason("a1", "s1", "d1", 199) is not None
    assert index.revoked_reason("a1", "s9", "d1", 201) is None


def test_sign_out_all_of_one_account_does_not_touch_another_account():
    index = RevocationIndex()
    index.apply(revocation(Scope.ALL, 200, account="a1"))
    assert index.revoked_reason("a2", "s1", "d1", 100) is None


def test_all_others_keeps_the_callers_session():
    index = RevocationIndex()
    index.apply(revocation(Scope.ALL_OTHERS, 200, session_id="keep"))
    assert index.revoked_reason("a1", "keep", "d1", 100) is None
    assert index.revoked_reason("a1", "other", "d2", 100) is not None


def test_a_later_all_others_from_another_session_revokes_the_first_survivor():
    index = RevocationIndex()
    index.apply(revocation(Scope.ALL_OTHERS, 200, session_id="first"))
    index.apply(revocation(Scope.ALL_OTHERS, 300, session_id="second"))
    assert index.revoked_reason("a1", "first", "d1", 100) is not None
    assert index.revoked_reason("a1", "second", "d2", 250) is None


def test_a_device_cutoff_is_scoped_to_the_account():
    index = RevocationIndex()
    index.apply(revocation(Scope.DEVICE, 200, device_id="d1", account="a1"))
    assert index.revoked_reason("a1", "s1", "d1", 100) is not None
    assert index.revoked_reason("a2", "s2", "d1", 100) is None
    assert index.revoked_reason("a1", "s3", "d1", 300) is None


def test_forgetting_old_single_session_entries_keeps_recent_ones():
    index = RevocationIndex()
    index.apply(revocation(Scope.SESSION, 100, session_id="old"))
    index.apply(revocation(Scope.SESSION, 500, session_id="new"))
    assert index.forget_sessions_revoked_before(300) == 1
    assert index.revoked_reason("a1", "old", "d", 50) is None
    assert index.revoked_reason("a1", "new", "d", 50) is not None


def test_a_clock_stepping_back_never_revives_a_revoked_session():
    index = RevocationIndex()
    index.apply(revocation(Scope.ALL, 500))
    index.apply(revocation(Scope.ALL_OTHERS, 300, session_id="keep"))  # the clock went back
    assert index.revoked_reason("a1", "s1", "d1", 400) is not None
    assert index.revoked_reason("a1", "keep", "d1", 450) is None
    index.apply(revocation(Scope.DEVICE, 900, device_id="d1"))
    index.apply(revocation(Scope.DEVICE, 100, device_id="d1"))
    assert index.revoked_reason("a1", "s2", "d1", 800) is not None


# The index against the one rule of the suite (common.revocation.Revocation.covers_session).

ACCOUNTS, SESSIONS, DEVICES = ("a1", "a2"), ("s1", "s2", "s3"), ("d1", "d2")
AT = 1_000


def universe(times: tuple[int, ...]) -> list[tuple[str, str, str, int]]:
    """Every (account, session, device, signed in at) the comparison looks at."""
    return [(a, s, d, t) for a in ACCOUNTS for s in SESSIONS for d in DEVICES for t in times]


def signed_in_sessions(times: tuple[int, ...]) -> list[tuple[str, str, str, int]]:
    """Real sessions: a session id names one device and one sign-in time (the same ids in both accounts)."""
    return [(a, f"s-{d}-{t}", d, t) for a in ACCOUNTS for d in DEVICES for t in times]


def agree(index: RevocationIndex, applied: list[Revocation], sessions: list[tuple[str, str, str, int]]) -> None:
    for account, session, device, signed_in in sessions:
        by_rule = any(entry.covers_session(account, session, device, signed_in) for entry in applied)
        by_index = index.revoked_reason(account, session, device, signed_in) is not None
        assert by_index == by_rule, (account, session, device, signed_in, applied)


@pytest.mark.parametrize("scope", list(Scope))
@pytest.mark.parametrize("revoked_at", [AT, 0])
def test_one_entry_of_every_scope_covers_exactly_what_the_contract_says(scope, revoked_at):
    entry = Revocation(1, "a1", scope, Reason.REMOTE_SIGN_OUT, "s1", "d1", revoked_at)
    index = RevocationIndex()
    index.apply(entry)
    agree(index, [entry], universe((0, AT - 1, AT, AT + 1)))


@pytest.mark.parametrize("scope", list(Scope))
def test_sequences_of_entries_agree_with_the_contract_entry_by_entry(scope):
    """Random feeds with `scope` in every position, in feed order with rising times; an ALL_OTHERS is
    written only for a survivor that is valid then, as auth_service's revoke makes sure."""
    rng = random.Random(f"index-vs-contract-{scope.value}")
    for _ in range(200):
        index, applied, now = RevocationIndex(), [], 0
        sessions = signed_in_sessions((0, 150, 300, 450, 600, 750))
        for sequence in range(1, rng.randint(2, 7)):
            now += rng.choice((1, 50, 100, 150))
            kind = scope if sequence == 1 or rng.random() < 0.4 else rng.choice(list(Scope))
            account, session, device, _ = rng.choice(sessions)
            if kind is Scope.ALL_OTHERS:
                valid = [
                    s
                    for s in sessions
                    if s[0] == account and s[3] < now and not any(e.covers_session(*s) for e in applied)
                ]
                if not valid:
                    continue
                _, session, device, _ = rng.choice(valid)
            entry = Revocation(sequence, account, kind, Reason.SIGN_OUT, session, device, now)
            index.apply(entry)
            applied.append(entry)
            agree(index, applied, sessions)
