import base64

import pytest

from common.errors import InvalidArgument
from device_service.service_layer.paging import decode_token, encode_token


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_a_token_round_trips():
    assert decode_token(encode_token(123, "device-1")) == (123, "device-1")


@pytest.mark.parametrize(
    "raw", [b"[" * 50_000, b'[99999999999999999999999, "k"]', b'[-1, "k"]', b"[1, 2]", b"not json"]
)
def test_a_forged_token_is_invalid_argument(raw):
    with pytest.raises(InvalidArgument):
        decode_token(b64(raw))
