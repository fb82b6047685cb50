"""The verify path's strict rules (common.access_tokens, shared by auth_service and the gateway), each broken by a
token that breaks only that rule, and its cache."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from cryptography.hazmat.primitives import serialization

from auth_service.adapters.access_tokens import INVALID, AccessTokenCodec, SigningKey
from common.access_tokens import AccessTokenVerifier, UnknownKey, cache_key
from common.errors import Unauthenticated

TTL = 900
SKEW = 30


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Clock:
    def __init__(self) -> None:
        self.now = float(int(time.time()))

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def codec(clock: Clock) -> AccessTokenCodec:
    return AccessTokenCodec([SigningKey.generate()], TTL, clock_skew_seconds=SKEW, clock=clock)


def claims(now: float, **changes: object) -> dict:
    issued = int(now)
    base = {
        "iss": "remote-signout",
        "sub": "acc",
        "sid": "ses",
        "did": "dev",
        "sat": (issued - 60) * 1_000_000,
        "iat": issued,
        "exp": issued + TTL,
    }
    return {**base, **changes}


def sign(codec: AccessTokenCodec, payload: dict, header: dict | None = None) -> str:
    """A compact JWS signed with the codec's key, built by hand so each part can be bent."""
    header = header or {"alg": "EdDSA", "kid": codec.current.key_id, "typ": "JWT"}
    signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(payload).encode())
    return signing_input + "." + b64(codec.current.private_key.sign(signing_input.encode()))


def refused(codec: AccessTokenVerifier, token: str) -> str:
    with pytest.raises(Unauthenticated) as error:
        codec.verify(token)
    return error.value.message


def test_a_hand_made_token_within_every_rule_is_accepted(codec, clock):
    assert codec.verify(sign(codec, claims(clock.now))).session_id == "ses"
    edge = claims(
        clock.now, iat=int(clock.now) + SKEW, exp=int(clock.now) + SKEW + TTL, sat=(int(clock.now) + SKEW) * 1_000_000
    )
    assert codec.verify(sign(codec, edge)).account_id == "acc", "within the clock skew"


def test_a_session_time_in_the_future_is_refused(codec, clock):
    assert refused(codec, sign(codec, claims(clock.now, sat=(int(clock.now) + SKEW + 5) * 1_000_000))) == INVALID


def test_an_issue_time_in_the_future_is_refused(codec, clock):
    later = int(clock.now) + SKEW + 5
    assert refused(codec, sign(codec, claims(clock.now, iat=later, exp=later + TTL))) == INVALID


def test_a_lifetime_longer_than_the_access_token_ttl_is_refused(codec, clock):
    assert refused(codec, sign(codec, claims(clock.now, exp=int(clock.now) + TTL + 1))) == INVALID


def test_padding_is_refused_in_every_part(codec, clock):
    token = sign(codec, claims(clock.now))
    header, payload, signature = token.split(".")
    assert codec.verify(token)
    for bent in (
        f"{header}=.{payload}.{signature}",
        f"{header}.{payload}==.{signature}",
        f"{header}.{payload}.{signature}==",
        f"{header}.{payload}.{signature}=",
    ):
        assert refused(codec, bent) == INVALID, bent


def test_junk_characters_in_the_signature_are_refused(codec, clock):
    token = sign(codec, claims(clock.now))
    header, payload, signature = token.split(".")
    assert codec.verify(token)
    # Lenient base64 decoders skip characters outside the alphabet and accept the standard alphabet.
    assert base64.urlsafe_b64decode(signature + "!!==") == base64.urlsafe_b64decode(signature + "==")
    for junk in (
        signature + "!",
        signature[:10] + " " + signature[10:],
        signature + "\n",
        signature + "A",
        signature[:10] + "." + signature[10:],
        signature.replace("-", "+").replace("_", "/") + "+/",
    ):
        assert refused(codec, f"{header}.{payload}.{junk}") == INVALID, junk


def test_a_second_spelling_of_the_same_bytes_is_refused(codec, clock):
    """86 base64url characters carry 516 bits for 512: the last 4 bits must be zero, so one token, one string."""
    token = sign(codec, claims(clock.now))
    header, payload, signature = token.split(".")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(signature[-1])
    twin = signature[:-1] + alphabet[last | 0b1111 if last & 0b1111 == 0 else last & ~0b1111]
    assert twin != signature
    assert base64.urlsafe_b64decode(twin + "==") == base64.urlsafe_b64decode(signature + "==")
    assert refused(codec, f"{header}.{payload}.{twin}") == INVALID
    assert codec.verify(token), "the canonical spelling still verifies"


def test_an_unknown_or_retired_key_id_is_refused_even_after_a_cached_success(codec, clock):
    token = sign(codec, claims(clock.now))
    assert codec.verify(token) and codec.cached_tokens == 1
    stranger = AccessTokenCodec([SigningKey.generate()], TTL, clock=clock)
    assert refused(codec, stranger.issue("acc", "ses", "dev", 1)) == INVALID
    old = codec.current
    new = SigningKey.generate()
    codec.replace_keys([old, new])
    assert codec.verify(token), "rotation keeps the old key"
    codec.replace_keys([new])
    assert codec.cached_tokens == 0, "retiring a key purges its cached verifications"
    assert refused(codec, token) == INVALID


def test_a_key_id_that_now_names_another_key_drops_its_cached_verifications(codec, clock):
    token = sign(codec, claims(clock.now))
    assert codec.verify(token)
    codec.replace_keys([SigningKey.generate(codec.current.key_id)])
    assert refused(codec, token) == INVALID


def test_hs256_signed_with_the_public_key_is_refused(codec, clock):
    """The classic algorithm confusion: an HMAC keyed with the public key bytes."""
    public = codec.current.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    header = b64(json.dumps({"alg": "HS256", "kid": codec.current.key_id}).encode())
    payload = b64(json.dumps(claims(clock.now)).encode())
    mac = hmac.new(public, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert refused(codec, f"{header}.{payload}.{b64(mac)}") == INVALID


def test_a_cached_token_still_expires(codec, clock):
    token = sign(codec, claims(clock.now, exp=int(clock.now) + 10))
    assert codec.verify(token) and codec.cached_tokens == 1
    clock.now += 10
    assert "expired" in refused(codec, token)
    assert codec.cached_tokens == 0


def test_the_cache_is_bounded_and_keeps_the_most_recent(clock):
    codec = AccessTokenCodec([SigningKey.generate()], TTL, cache_size=3, clock=clock)
    tokens = [codec.issue("acc", f"ses-{n}", "dev", 1) for n in range(5)]
    for token in tokens:
        codec.verify(token)
    assert codec.cached_tokens == 3
    assert list(codec._verified) == [cache_key(token) for token in tokens[2:]]


def test_only_verified_tokens_are_cached(codec, clock):
    token = sign(codec, claims(clock.now))
    header, payload, _ = token.split(".")
    for bad in ("garbage", f"{header}.{payload}.{b64(bytes(64))}", sign(codec, claims(clock.now, iss="else"))):
        refused(codec, bad)
    assert codec.cached_tokens == 0


def test_a_verifier_with_only_the_public_keys_accepts_what_the_codec_accepts(codec, clock):
    verifier = AccessTokenVerifier({codec.current.key_id: codec.current.public_key}, TTL, clock=clock)
    token = sign(codec, claims(clock.now, sxp=(int(clock.now) + 86_400) * 1_000_000))
    assert verifier.verify(token) == codec.verify(token)
    assert verifier.verify(token).session_expires_at_us == (int(clock.now) + 86_400) * 1_000_000


def test_an_unknown_kid_is_its_own_refusal_so_a_verifier_can_fetch_keys_and_retry(codec, clock):
    verifier = AccessTokenVerifier({}, TTL, clock=clock)
    token = sign(codec, claims(clock.now))
    with pytest.raises(UnknownKey) as error:
        verifier.verify(token)
    assert error.value.kid == codec.current.key_id and error.value.message == INVALID
    verifier.replace_public_keys({codec.current.key_id: codec.current.public_key})
    assert verifier.verify(token).account_id == "acc"


def test_a_key_that_leaves_the_verifier_takes_its_cached_verifications_with_it(codec, clock):
    verifier = AccessTokenVerifier({codec.current.key_id: codec.current.public_key}, TTL, clock=clock)
    token = sign(codec, claims(clock.now))
    verifier.verify(token)
    verifier.replace_public_keys({codec.current.key_id: SigningKey.generate().public_key})
    assert refused(verifier, token) == INVALID
    assert verifier.cached_tokens == 0


def test_a_non_integer_session_expiry_is_refused(codec, clock):
    assert refused(codec, sign(codec, claims(clock.now, sxp="soon"))) == INVALID


def test_minted_tokens_carry_the_session_expiry(codec):
    token = codec.issue("acc", "ses", "dev", 1, session_expires_at_us=2_000_000_000_000_000)
    assert codec.verify(token).session_expires_at_us == 2_000_000_000_000_000
    assert codec.verify(codec.issue("acc", "ses", "dev", 1)).session_expires_at_us == 0
