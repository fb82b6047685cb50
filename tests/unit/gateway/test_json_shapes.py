from datetime import UTC, datetime, timedelta, timezone

from gateway.adapters import convert
from gateway.domain import json_shapes
from gateway.domain.model import Revocation, SignOutResult, TokenPair

WHEN = datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


def test_times_are_iso_8601_in_utc_with_a_z():
    assert json_shapes.iso(WHEN) == "2025-01-02T03:04:05.678901Z"
    assert json_shapes.iso(WHEN.astimezone(timezone(timedelta(hours=2)))) == "2025-01-02T03:04:05.678901Z"
    assert json_shapes.iso(None) is None


def test_a_token_pair_is_a_bearer_pair_without_the_account_id():
    pair = TokenPair("at", "rt", 900, "s", "d", "acc")
    assert json_shapes.token_pair_json(pair) == {
        "access_token": "at", "refresh_token": "rt", "token_type": "Bearer", "expires_in": 900,
        "session_id": "s", "device_id": "d"}


def test_a_sign_out_answer_shows_the_revocation_and_its_propagation():
    result = SignOutResult(Revocation(7, "acc", "all", "sign_out_all", "", "", WHEN),
                           {"device_service": "applied", "parental_service": "pending"})
    assert json_shapes.sign_out_json(result) == {
        "revocation": {"sequence": 7, "scope": "all", "reason": "sign_out_all", "session_id": None,
                       "device_id": None, "revoked_at": "2025-01-02T03:04:05.678901Z"},
        "propagation": {"device_service": "applied", "parental_service": "pending"},
    }


def test_a_revocation_survives_the_round_trip_through_protobuf():
    revocation = Revocation(3, "acc", "all_others", "sign_out_all", "s-1", "d-1", WHEN)
    assert convert.revocation_from_proto(convert.revocation_to_proto(revocation)) == revocation


def test_every_proto_enum_value_but_unspecified_has_a_word():
    from remotesignout.auth.v1 import auth_pb2
    from remotesignout.device.v1 import device_pb2
    from remotesignout.parental.v1 import parental_pb2

    for enum, words in [(auth_pb2.DeviceType, convert.DEVICE_TYPE_WORDS),
                        (auth_pb2.RevocationScope, convert.SCOPE_WORDS),
                        (auth_pb2.RevocationReason, convert.REASON_WORDS),
                        (device_pb2.DeviceStatus, convert.STATUS_WORDS),
                        (parental_pb2.ProfileKind, convert.KIND_WORDS),
                        (parental_pb2.MaturityLevel, convert.MATURITY_WORDS)]:
        assert set(words) == set(enum.values()) - {0}
