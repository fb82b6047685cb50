import base64
import json
import time

import jwt
import pytest

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from common.errors import Unauthenticated


@pytest.fixture
def codec():
    return AccessTokenCodec([SigningKey.generate()], ttl_seconds=900)


def issue(codec):
    return codec.issue("acc", "ses", "dev", 123, profile_id="p1", profile_kind="kids")


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_token_verifies_to_its_claims(codec):
    claims = codec.verify(issue(codec))
    assert (claims.account_id, claims.session_id, claims.device_id, claims.session_created_at_us) == (
        "acc",
        "ses",
        "dev",
        123,
    )
    assert (claims.profile_id, claims.profile_kind) == ("p1", "kids")
    assert claims.expires_at - claims.issued_at == 900


def test_the_token_is_a_standard_jwt_with_a_key_id(codec):
    token = issue(codec)
    assert jwt.get_unverified_header(token) == {"alg": "EdDSA", "kid": codec.current.key_id, "typ": "JWT"}
    assert jwt.decode(token, codec.current.public_key, algorithms=["EdDSA"], issuer="remote-signout")["sid"] == "ses"


def test_a_rotated_key_still_verifies_old_tokens_and_signs_new_ones():
    old = SigningKey.generate()
    token = AccessTokenCodec([old], 900).issue("acc", "ses", "dev", 1)
    rotated = AccessTokenCodec([old, SigningKey.generate()], 900)
    assert rotated.verify(token).session_id == "ses"
    assert jwt.get_unverified_header(rotated.issue("a", "s", "d", 1))["kid"] != old.key_id


def tampered(codec) -> list[str]:
    token = issue(codec)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    other_key = AccessTokenCodec([SigningKey.generate()], 900).issue("acc", "ses", "dev", 1)
    none_alg = b64({"alg": "none", "kid": codec.current.key_id}) + "." + payload + "."
    return [
        "",
        "garbage",
        "a.b.c",
        "a.b.c.d",
        token + "x",
        "x" * 5000,
        other_key,
        none_alg,
        header + "." + b64({**claims, "sub": "someone-else"}) + "." + signature,
        b64({"alg": "HS512", "kid": codec.current.key_id}) + "." + payload + "." + signature,
        token.replace(".", ".é", 1),
    ]


def test_every_forged_or_malformed_token_is_unauthenticated(codec):
    for token in tampered(codec):
        with pytest.raises(Unauthenticated):
            codec.verify(token)


def test_an_expired_token_is_refused_with_its_own_message(codec):
    token = codec.issue("acc", "ses", "dev", 1, ttl_seconds=-1)
    with pytest.raises(Unauthenticated) as error:
        codec.verify(token)
    assert "expired" in error.value.message


def test_a_token_missing_a_claim_is_refused(codec):
    now = int(time.time())
    token = jwt.encode(
        {"iss": "remote-signout", "sub": "a", "sid": "s", "exp": now + 60, "iat": now},
        codec.current.private_key,
        algorithm="EdDSA",
        headers={"kid": codec.current.key_id},
    )
    with pytest.raises(Unauthenticated):
        codec.verify(token)
