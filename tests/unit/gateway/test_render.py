from datetime import UTC, datetime, timedelta, timezone
from typing import get_args

from remotesignout.auth.v1 import auth_pb2
from remotesignout.device.v1 import device_pb2
from remotesignout.parental.v1 import parental_pb2

from common import revocation_proto
from common.revocation import Reason, Revocation, Scope
from gateway import models, render

WHEN = datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
WHEN_US = int(WHEN.timestamp()) * 1_000_000 + WHEN.microsecond


def test_times_are_iso_8601_in_utc_with_a_z():
    assert render.iso(WHEN) == "2025-01-02T03:04:05.678901Z"
    assert render.iso(WHEN.astimezone(timezone(timedelta(hours=2)))) == "2025-01-02T03:04:05.678901Z"
    assert render.iso(None) is None


def test_a_token_pair_is_a_bearer_pair_without_the_account_id():
    pair = auth_pb2.SignInResponse(
        access_token="at", refresh_token="rt", expires_in=900, session_id="s", device_id="d", account_id="acc"
    )
    assert render.render(models.TokenPair, pair) == {
        "access_token": "at",
        "refresh_token": "rt",
        "token_type": "Bearer",
        "expires_in": 900,
        "session_id": "s",
        "device_id": "d",
    }


def test_a_sign_out_answer_shows_the_revocation_its_propagation_and_its_receipt():
    revocation = Revocation(7, "acc", Scope.ALL, Reason.SIGN_OUT_ALL, "", "", WHEN_US)
    receipt = auth_pb2.RevocationReceipt(sequence=7, validators_acknowledged=3, validators_expired=1, waited_ms=12.5)
    assert render.render(
        models.SignOutResult,
        revocation=revocation,
        propagation={"device_service": "applied", "parental_service": "pending"},
        receipt=receipt,
    ) == {
        "revocation": {
            "sequence": 7,
            "scope": "all",
            "reason": "sign_out_all",
            "session_id": None,
            "device_id": None,
            "revoked_at": "2025-01-02T03:04:05.678901Z",
        },
        "propagation": {"device_service": "applied", "parental_service": "pending"},
        "receipt": {"sequence": 7, "validators_acknowledged": 3, "validators_expired": 1, "waited_ms": 12.5},
    }


def test_a_revocation_survives_the_round_trip_through_protobuf():
    revocation = Revocation(3, "acc", Scope.ALL_OTHERS, Reason.SIGN_OUT_ALL, "s-1", "d-1", WHEN_US)
    assert revocation_proto.from_proto(revocation_proto.to_proto(revocation)) == revocation


def test_every_proto_enum_value_but_unspecified_has_a_word_and_the_models_list_exactly_those():
    for enum, words in [
        (auth_pb2.DeviceType, models.DeviceType),
        (auth_pb2.RevocationScope, [scope.value for scope in Scope]),
        (auth_pb2.RevocationReason, [reason.value for reason in Reason]),
        (device_pb2.DeviceStatus, models.DeviceStatus),
        (device_pb2.StreamingActivityKind, models.ActivityKind),
        (device_pb2.DownloadStatus, models.DownloadStatus),
        (parental_pb2.ProfileKind, models.ProfileKind),
        (parental_pb2.MaturityLevel, models.MaturityLevel),
        (parental_pb2.DenyReason, models.DenyReason),
        (parental_pb2.Weekday, models.Weekday),
    ]:
        table = render.words(enum.DESCRIPTOR)
        assert set(table) == set(enum.values()) - {0}
        assert sorted(table.values()) == sorted(get_args(words) or words)
        assert all(enum.Value(render.enum_name(enum.DESCRIPTOR, word)) == value for value, word in table.items())


def test_unset_times_and_messages_are_null_where_the_model_allows_it_and_empty_strings_too():
    download = device_pb2.Download(
        download_id="dl",
        status=device_pb2.DOWNLOAD_STATUS_ACTIVE,
        downloaded_at=revocation_proto.to_proto(
            Revocation(1, "a", Scope.ALL, Reason.SIGN_OUT_ALL, revoked_at_us=WHEN_US)
        ).revoked_at,
    )
    rendered = render.render(models.Download, download)
    assert (rendered["status"], rendered["downloaded_at"], rendered["cancelled_at"], rendered["cancel_reason"]) == (
        "active",
        "2025-01-02T03:04:05.678901Z",
        None,
        None,
    )
    decision = render.render(models.PlaybackDecision, parental_pb2.DecidePlaybackResponse(allowed=True))
    assert decision == {"allowed": True, "reason": None, "message": "", "title": None}
