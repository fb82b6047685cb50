"""GET /.well-known/jwks.json from a real gateway in front of a real AuthService (keys in a key
directory): a standard JWT library verifies access tokens with nothing but that document."""

from __future__ import annotations

import asyncio
import pathlib

import jwt
import pytest
from aiohttp.test_utils import TestClient

from auth_service.adapters.migrations import HISTORY
from auth_service.adapters.signing_keys import KeyWatcher, ensure_signing_key, load_codec, retire, rotate
from auth_service.adapters.unit_of_work import unit_of_work_factory
from auth_service.bootstrap import build
from auth_service.config import Config
from auth_service.entrypoints.server import create_auth_server
from tests.integration.gateway.conftest import gateway_before
from tests.schema import migrated_engine
from tests.unit.auth_service.fakes import TEST_REFRESH_TOKEN_KEY, FakeDeviceRegistry

PASSWORD = "correct horse"


class RealAuthStack:
    def __init__(self, client: TestClient, keys: pathlib.Path, watcher: KeyWatcher) -> None:
        self.client, self.keys, self.watcher = client, keys, watcher

    @property
    def jwks_url(self) -> str:
        return str(self.client.make_url("/.well-known/jwks.json"))

    async def access_token(self, email: str, client_id: str = "tv-1") -> str:
        created = await self.client.post("/v1/accounts", json={"email": email, "password": PASSWORD})
        assert created.status == 201
        signed = await self.client.post(
            "/v1/sign-in",
            json={"email": email, "password": PASSWORD, "device": {"client_id": client_id, "name": "TV", "type": "tv"}},
        )
        assert signed.status == 200, await signed.text()
        return str((await signed.json())["access_token"])


@pytest.fixture
async def real(tmp_path, pki):
    keys = tmp_path / "signing_keys"
    ensure_signing_key(keys)
    codec, watcher = load_codec(keys, 900)
    engine = migrated_engine(f"sqlite:///{tmp_path / 'auth.db'}", HISTORY)
    deps = build(
        Config(refresh_token_key=TEST_REFRESH_TOKEN_KEY), unit_of_work_factory(engine), codec, FakeDeviceRegistry()
    )
    auth = create_auth_server(deps, "127.0.0.1:0", tls=pki.identity("auth_service"), metrics=False)
    try:
        async with gateway_before(pki, auth, rpc_timeout_seconds=2.0) as client:
            yield RealAuthStack(client, keys, watcher)
    finally:
        engine.dispose()


def verify_with_jwks(url: str, token: str) -> dict:
    """What a resource server does: fetch the JWK Set over HTTP, pick the token's key by kid, verify."""
    key = jwt.PyJWKClient(url, cache_keys=False).get_signing_key_from_jwt(token)
    return jwt.decode(token, key, algorithms=["EdDSA"], issuer="remote-signout")  # type: ignore[no-any-return]


async def test_pyjwt_verifies_an_access_token_with_only_the_jwks_document(real):
    token = await real.access_token("ada@example.com")
    claims = await asyncio.to_thread(verify_with_jwks, real.jwks_url, token)
    assert claims["iss"] == "remote-signout" and claims["sid"] and claims["exp"] - claims["iat"] == 900

    response = await real.client.get("/.well-known/jwks.json")
    assert response.status == 200
    assert response.content_type == "application/json"
    assert response.headers["Cache-Control"] == "public, max-age=60"
    [key] = (await response.json())["keys"]
    assert key.keys() == {"kty", "crv", "x", "kid", "alg", "use"}
    assert (key["kty"], key["crv"], key["alg"], key["use"]) == ("OKP", "Ed25519", "EdDSA", "sig")
    assert key["kid"] == jwt.get_unverified_header(token)["kid"]
    assert "d" not in key, "never the private part"


async def test_the_jwks_follows_rotation_and_retirement(real):
    old_token = await real.access_token("ada@example.com")
    old = jwt.get_unverified_header(old_token)["kid"]
    new = rotate(real.keys).key_id
    real.watcher.check()
    new_token = await real.access_token("bob@example.com", "tv-2")
    assert jwt.get_unverified_header(new_token)["kid"] == new
    document = await (await real.client.get("/.well-known/jwks.json")).json()
    assert [key["kid"] for key in document["keys"]] == [old, new]
    for token in (old_token, new_token):
        assert (await asyncio.to_thread(verify_with_jwks, real.jwks_url, token))["sub"]

    retire(real.keys, old)
    real.watcher.check()
    document = await (await real.client.get("/.well-known/jwks.json")).json()
    assert [key["kid"] for key in document["keys"]] == [new]
    with pytest.raises(jwt.PyJWKClientError):
        await asyncio.to_thread(verify_with_jwks, real.jwks_url, old_token)
