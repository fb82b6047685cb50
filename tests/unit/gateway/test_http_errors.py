import grpc
import pytest

from common import errors
from gateway import errors as http_errors
from gateway.errors import MalformedBody, missing_bearer_token


def test_every_grpc_status_code_has_an_http_status():
    assert set(http_errors.HTTP_STATUS_FOR_CODE) == set(grpc.StatusCode)


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("INVALID_ARGUMENT", 422),
        ("OUT_OF_RANGE", 400),
        ("UNAUTHENTICATED", 401),
        ("PERMISSION_DENIED", 403),
        ("NOT_FOUND", 404),
        ("ALREADY_EXISTS", 409),
        ("ABORTED", 409),
        ("FAILED_PRECONDITION", 409),
        ("RESOURCE_EXHAUSTED", 429),
        ("UNAVAILABLE", 503),
        ("DEADLINE_EXCEEDED", 504),
        ("CANCELLED", 503),
        ("UNIMPLEMENTED", 501),
        ("INTERNAL", 500),
        ("UNKNOWN", 500),
        ("DATA_LOSS", 500),
    ],
)
def test_each_status_code_maps_to_the_agreed_http_status(code, status):
    assert http_errors.HTTP_STATUS_FOR_CODE[grpc.StatusCode[code]] == status


def _rpc_error(code, details, reason=""):
    trailing = grpc.aio.Metadata(("error-reason", reason)) if reason else grpc.aio.Metadata()
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), trailing, details=details)


def test_a_service_error_uses_its_reason_as_code_and_its_details_as_message():
    response = http_errors.from_rpc_error(
        _rpc_error(grpc.StatusCode.PERMISSION_DENIED, "This device was removed.", "device_banned")
    )
    assert response.status == 403
    assert response.text == '{"error": {"code": "device_banned", "message": "This device was removed."}}'


def test_a_service_error_without_a_reason_uses_the_lowercase_status_name():
    response = http_errors.from_rpc_error(_rpc_error(grpc.StatusCode.NOT_FOUND, "No such device."))
    assert response.status == 404
    assert '"code": "not_found"' in response.text


def test_an_internal_error_hides_its_details():
    response = http_errors.from_rpc_error(_rpc_error(grpc.StatusCode.INTERNAL, "Traceback: secret=hunter2"))
    assert response.status == 500
    assert "hunter2" not in response.text


def test_an_invalid_token_answers_with_the_invalid_token_challenge():
    response = http_errors.from_rpc_error(_rpc_error(grpc.StatusCode.UNAUTHENTICATED, "Expired."))
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_a_missing_token_answers_with_the_plain_bearer_challenge():
    response = http_errors.from_domain_error(missing_bearer_token())
    assert response.status == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_malformed_body_is_400_and_a_bad_field_is_422():
    assert http_errors.from_domain_error(MalformedBody("bad", reason="invalid_json")).status == 400
    assert http_errors.from_domain_error(errors.InvalidArgument("bad", reason="invalid_argument")).status == 422


def _throttled(retry_after):
    trailing = grpc.aio.Metadata(("error-reason", "sign_in_throttled"), ("retry-after", retry_after))
    return grpc.aio.AioRpcError(grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.aio.Metadata(), trailing, details="Wait.")


def test_a_throttled_answer_is_429_with_the_seconds_to_wait_in_retry_after():
    response = http_errors.from_rpc_error(_throttled("42"))
    assert (response.status, response.headers["Retry-After"]) == (429, "42")
    assert '"code": "sign_in_throttled"' in response.text


@pytest.mark.parametrize("garbage", ["", "-1", "1.5", "soon", "1" * 12, "٣"])
def test_a_retry_after_that_is_not_whole_seconds_is_left_out(garbage):
    response = http_errors.from_rpc_error(_throttled(garbage))
    assert response.status == 429 and "Retry-After" not in response.headers


def test_a_domain_resource_exhausted_carries_retry_after_too():
    response = http_errors.from_domain_error(errors.ResourceExhausted("Wait.", "x", retry_after_seconds=7))
    assert (response.status, response.headers["Retry-After"]) == (429, "7")


@pytest.mark.parametrize("reason", ["password_too_short", "password_too_long", "password_too_common"])
def test_the_password_policy_is_400_and_other_invalid_arguments_stay_422(reason):
    assert http_errors.from_rpc_error(_rpc_error(grpc.StatusCode.INVALID_ARGUMENT, "No.", reason)).status == 400
    assert http_errors.from_domain_error(errors.InvalidArgument("No.", reason=reason)).status == 400
    assert http_errors.from_rpc_error(_rpc_error(grpc.StatusCode.INVALID_ARGUMENT, "No.", "invalid_pin")).status == 422
