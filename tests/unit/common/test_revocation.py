"""The one rule of what a revocation covers, and its proto round trip."""

from __future__ import annotations

import pytest
from remotesignout.auth.v1 import auth_pb2

from common.errors import InvalidArgument
from common.revocation import Reason, Revocation, Scope
from common.revocation_proto import from_proto, to_proto

AT = 1_000


def entry(scope: Scope, session_id: str = "s-tv", device_id: str = "tv") -> Revocation:
    return Revocation(7, "acc", scope, Reason.REMOTE_SIGN_OUT, session_id, device_id, AT)


@pytest.mark.parametrize(
    ("scope", "covered"),
    [
        (Scope.SESSION, {"tv"}),
        (Scope.DEVICE, {"tv"}),
        (Scope.ALL, {"tv", "phone"}),
        (Scope.ALL_OTHERS, {"phone"}),
    ],
)
def test_which_devices_each_scope_signs_out(scope, covered):
    revocation = entry(scope)
    assert {d for d in ("tv", "phone") if revocation.covers_device("acc", d)} == covered
    assert not revocation.covers_device("another-account", "tv")


def test_sessions_signed_in_after_the_revocation_are_not_covered():
    revocation = entry(Scope.ALL)
    assert revocation.covers_session("acc", "old", "tv", AT - 1)
    assert not revocation.covers_session("acc", "new", "tv", AT)
    assert revocation.reaches("acc", "tv", None) and not revocation.reaches("acc", "tv", AT + 1)


def test_all_others_spares_exactly_the_surviving_session():
    revocation = entry(Scope.ALL_OTHERS, session_id="keep", device_id="phone")
    assert not revocation.covers_session("acc", "keep", "phone", 0)
    assert revocation.covers_session("acc", "other", "tv", 0)


def test_an_incomplete_entry_is_invalid():
    with pytest.raises(InvalidArgument, match="device_id"):
        Revocation(1, "acc", Scope.DEVICE, Reason.SIGN_OUT).validate()
    with pytest.raises(InvalidArgument, match="sequence"):
        Revocation(0, "acc", Scope.ALL, Reason.SIGN_OUT).validate()


@pytest.mark.parametrize("scope", list(Scope))
def test_every_scope_and_reason_survives_the_proto_round_trip(scope):
    for reason in Reason:
        revocation = Revocation(9, "acc", scope, reason, "s", "d", 123_456)
        assert from_proto(to_proto(revocation)) == revocation


def test_an_unknown_scope_from_the_wire_is_invalid_argument():
    with pytest.raises(InvalidArgument):
        from_proto(auth_pb2.Revocation(sequence=1, account_id="a", scope=0, reason=1))
