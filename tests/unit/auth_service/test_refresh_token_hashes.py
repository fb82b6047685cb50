"""Refresh tokens are stored as HMAC-SHA256 under a key outside the database; rows from before that still work once."""

import dataclasses
import hashlib
import hmac

import pytest

from auth_service.adapters.access_tokens import AccessTokenCodec, SigningKey
from auth_service.bootstrap import build
from auth_service.config import Config
from auth_service.domain.tokens import RefreshTokenHashes, hash_refresh_token, legacy_refresh_token_hash
from common.errors import Unauthenticated
from common.revocation import Reason
from tests.unit.auth_service.conftest import device
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY

PASSWORD = "correct horse battery"


@pytest.fixture
async def account(app):
    return await app.create_account("ann@example.com", PASSWORD)


async def signed_in(app):
    return await app.sign_in("ann@example.com", PASSWORD, device(), "127.0.0.1")


def as_legacy_row(database, token: str) -> None:
    """Store `token`'s row as a release before keyed hashes did: under its bare SHA-256."""
    row = database.refresh_tokens.pop(hash_refresh_token(token, TEST_REFRESH_TOKEN_KEY))
    legacy = legacy_refresh_token_hash(token)
    database.refresh_tokens[legacy] = dataclasses.replace(row, token_hash=legacy)


async def test_a_stored_refresh_token_hash_is_keyed_not_bare_sha256(app, account, database):
    pair = await signed_in(app)
    assert set(database.refresh_tokens) == {
        hmac.new(TEST_REFRESH_TOKEN_KEY, pair.refresh_token.encode(), hashlib.sha256).hexdigest()
    }
    assert hashlib.sha256(pair.refresh_token.encode()).hexdigest() not in database.refresh_tokens
    refreshed = await app.refresh(pair.refresh_token)
    assert legacy_refresh_token_hash(refreshed.refresh_token) not in database.refresh_tokens
    assert hash_refresh_token(refreshed.refresh_token, TEST_REFRESH_TOKEN_KEY) in database.refresh_tokens


async def test_a_legacy_sha256_row_refreshes_once_and_the_new_token_is_stored_keyed(app, account, database):
    pair = await signed_in(app)
    as_legacy_row(database, pair.refresh_token)
    assert await app.introspect(pair.refresh_token, "refresh_token") is not None

    refreshed = await app.refresh(pair.refresh_token)
    assert database.refresh_tokens[legacy_refresh_token_hash(pair.refresh_token)].used_at_us is not None
    assert hash_refresh_token(refreshed.refresh_token, TEST_REFRESH_TOKEN_KEY) in database.refresh_tokens
    assert legacy_refresh_token_hash(refreshed.refresh_token) not in database.refresh_tokens
    assert (await app.refresh(refreshed.refresh_token)).session.session_id == pair.session.session_id


async def test_reusing_a_spent_legacy_token_ends_the_session_as_any_reuse_does(app, account, database):
    pair = await signed_in(app)
    as_legacy_row(database, pair.refresh_token)
    refreshed = await app.refresh(pair.refresh_token)
    with pytest.raises(Unauthenticated) as reuse:
        await app.refresh(pair.refresh_token)
    assert reuse.value.reason == "token_reuse"
    assert database.revocations[-1].reason is Reason.TOKEN_REUSE
    with pytest.raises(Unauthenticated):
        await app.refresh(refreshed.refresh_token)


async def test_a_legacy_row_can_be_revoked_by_token(app, account, database):
    pair = await signed_in(app)
    as_legacy_row(database, pair.refresh_token)
    await app.revoke_token(pair.refresh_token, "refresh_token")
    assert await app.introspect(pair.access_token, "") is None
    with pytest.raises(Unauthenticated):
        await app.refresh(pair.refresh_token)


async def test_a_token_hashed_under_another_key_is_not_found(app, account, database):
    pair = await signed_in(app)
    other = RefreshTokenHashes(b"another refresh-token key, 32+ bytes long")
    row = database.refresh_tokens.pop(hash_refresh_token(pair.refresh_token, TEST_REFRESH_TOKEN_KEY))
    database.refresh_tokens[other.keyed(pair.refresh_token)] = row
    with pytest.raises(Unauthenticated):
        await app.refresh(pair.refresh_token)


def test_auth_service_does_not_build_without_a_refresh_token_key(database, devices):
    codec = AccessTokenCodec([SigningKey.generate()], ttl_seconds=900)
    for key in (b"", b"k" * 31):
        with pytest.raises(ValueError, match="AUTH_REFRESH_TOKEN_KEY_FILE"):
            build(Config(refresh_token_key=key), database.unit_of_work, codec, devices)


def test_auth_service_does_not_start_without_its_key_file(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTH_REFRESH_TOKEN_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(SystemExit, match="AUTH_REFRESH_TOKEN_KEY_FILE"):
        Config.from_env()
    assert not (tmp_path / "missing").exists(), "the service never creates its own key"
    (tmp_path / "key").write_bytes(TEST_REFRESH_TOKEN_KEY + b"\n")
    monkeypatch.setenv("AUTH_REFRESH_TOKEN_KEY_FILE", str(tmp_path / "key"))
    config = Config.from_env()
    assert config.refresh_token_key == TEST_REFRESH_TOKEN_KEY
    assert TEST_REFRESH_TOKEN_KEY.decode() not in repr(config)
