"""The key directory: files and their modes, rotation, retirement, refusal to start, reloads."""

import contextlib
import io
import json
import logging
import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from auth_service.adapters import signing_keys
from auth_service.adapters.access_tokens import AccessTokenCodec
from auth_service.adapters.signing_keys import (
    LastKeyError,
    UnknownKeyError,
    ensure_signing_key,
    load_codec,
    load_signing_keys,
    load_signing_keys_or_exit,
    retire,
    rotate,
)
from common.errors import Unauthenticated
from common.runner import run


@pytest.fixture
def keys_dir(tmp_path):
    return tmp_path / "secrets" / "signing_keys"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@contextlib.contextmanager
def configured_logging():  # type: ignore[no-untyped-def]
    """`run` configures this process's logging (common.logs); put it back as pytest had it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        logging.captureWarnings(False)


def refusal(directory) -> str:
    """The one line auth_service stops with: the key directory's message, which common.runner prefixes."""
    with pytest.raises(SystemExit) as stop:
        load_signing_keys_or_exit(directory)
    assert str(stop.value.code).startswith("AUTH_SIGNING_KEYS_DIR: ")

    async def start() -> None:
        load_signing_keys_or_exit(directory)

    stderr = io.StringIO()
    with pytest.raises(SystemExit) as stop, contextlib.redirect_stderr(stderr), configured_logging():
        run("auth_service", start)
    assert stop.value.code == 1
    [line] = stderr.getvalue().removesuffix("\n").split("\n")  # one JSON object: common.logs
    message = str(json.loads(line)["message"])
    assert message.startswith("auth_service cannot start: AUTH_SIGNING_KEYS_DIR: ")
    return message


def test_ensure_creates_one_private_key_readable_by_its_owner_only(keys_dir):
    ensure_signing_key(keys_dir)
    ensure_signing_key(keys_dir)
    [key] = load_signing_keys(keys_dir)
    pem = keys_dir / f"{key.key_id}.pem"
    assert mode(keys_dir) == 0o700 and mode(pem) == 0o600 and mode(keys_dir / "manifest.json") == 0o600
    assert pem.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    manifest = json.loads((keys_dir / "manifest.json").read_text())
    assert [entry["kid"] for entry in manifest["keys"]] == [key.key_id]
    assert manifest["keys"][0]["retired_at"] is None


def test_rotation_appends_keys_in_creation_order_and_the_newest_signs(keys_dir):
    kids = [rotate(keys_dir).key_id for _ in range(3)]
    assert kids == sorted(kids), "key ids sort by creation time"
    loaded = load_signing_keys(keys_dir)
    assert [key.key_id for key in loaded] == kids
    codec = AccessTokenCodec(loaded, 900)
    assert codec.current.key_id == kids[-1]
    assert all(mode(keys_dir / f"{kid}.pem") == 0o600 for kid in kids)


def test_retiring_deletes_the_private_key_and_keeps_the_record(keys_dir):
    old, new = rotate(keys_dir).key_id, rotate(keys_dir).key_id
    entry = retire(keys_dir, old)
    assert entry.retired_at and not (keys_dir / f"{old}.pem").exists()
    assert [key.key_id for key in load_signing_keys(keys_dir)] == [new]
    assert [(e.kid, e.active) for e in signing_keys.read_manifest(keys_dir)] == [(old, False), (new, True)]
    assert retire(keys_dir, old).retired_at == entry.retired_at, "retiring twice changes nothing"


def test_retire_refuses_unknown_or_malformed_ids_and_the_last_active_key(keys_dir):
    only = rotate(keys_dir).key_id
    for bad in ("nope", "../manifest", "", "a" * 65):
        with pytest.raises(UnknownKeyError):
            retire(keys_dir, bad)
    with pytest.raises(LastKeyError):
        retire(keys_dir, only)
    assert load_signing_keys(keys_dir)[0].key_id == only


def test_no_directory_no_key_or_only_retired_keys_refuse_to_start(keys_dir):
    assert "keys rotate" in refusal(keys_dir)
    keys_dir.mkdir(parents=True, mode=0o700)
    assert "no signing key" in refusal(keys_dir) and "keys rotate" in refusal(keys_dir)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a key",
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
    ],
)
def test_a_malformed_key_file_refuses_to_start_naming_the_file_and_the_fix(keys_dir, content):
    kid = rotate(keys_dir).key_id
    (keys_dir / f"{kid}.pem").write_bytes(content)
    message = refusal(keys_dir)
    assert f"{kid}.pem" in message and "Ed25519" in message and f"keys retire {kid}" in message


def test_a_missing_key_file_or_a_malformed_manifest_refuses_to_start(keys_dir):
    kid = rotate(keys_dir).key_id
    (keys_dir / f"{kid}.pem").unlink()
    assert f"{kid}.pem" in refusal(keys_dir)
    (keys_dir / "manifest.json").write_text('{"version": 1, "keys": [{"kid": "../x"}]}')
    assert "manifest.json is malformed" in refusal(keys_dir)
    (keys_dir / "manifest.json").write_text("{")
    assert "manifest.json is malformed" in refusal(keys_dir)


def test_a_key_file_open_to_others_or_a_directory_writable_by_others_refuses_to_start(keys_dir):
    kid = rotate(keys_dir).key_id
    os.chmod(keys_dir / f"{kid}.pem", 0o644)
    assert f"chmod 600 {keys_dir / f'{kid}.pem'}" in refusal(keys_dir)
    os.chmod(keys_dir / f"{kid}.pem", 0o600)
    os.chmod(keys_dir, 0o777)
    assert f"chmod 700 {keys_dir}" in refusal(keys_dir)


def test_the_directory_comes_from_the_variable_or_the_data_dir():
    assert str(signing_keys.signing_keys_dir({"AUTH_SIGNING_KEYS_DIR": "/k"})) == "/k"
    assert str(signing_keys.signing_keys_dir({"REMOTESIGNOUT_DATA_DIR": "/d"})) == "/d/secrets/signing_keys"


def test_the_watcher_follows_rotation_and_retirement(keys_dir):
    first = rotate(keys_dir).key_id
    codec, watcher = load_codec(keys_dir, 900)
    old_token = codec.issue("acc", "ses", "dev", 1)
    assert not watcher.check()
    second = rotate(keys_dir).key_id
    assert watcher.check()
    assert codec.current.key_id == second and codec.key_ids() == [first, second]
    assert codec.verify(old_token).session_id == "ses"
    retire(keys_dir, first)
    assert watcher.check()
    assert codec.key_ids() == [second]
    with pytest.raises(Unauthenticated):
        codec.verify(old_token)


def test_a_malformed_file_at_reload_is_logged_and_the_keys_kept_but_retirements_still_apply(keys_dir, caplog):
    first, second = rotate(keys_dir).key_id, rotate(keys_dir).key_id
    codec, watcher = load_codec(keys_dir, 900)
    third = rotate(keys_dir).key_id
    (keys_dir / f"{third}.pem").write_bytes(b"garbage")
    with caplog.at_level(logging.ERROR):
        assert watcher.check()
    assert codec.key_ids() == [first, second]
    assert f"{third}.pem" in caplog.text and "keeping the keys" in caplog.text
    retire(keys_dir, first)
    watcher.check()
    assert codec.key_ids() == [second], "a retired key goes even while another file is bad"
    (keys_dir / "manifest.json").write_text("{")
    watcher.check()
    assert codec.key_ids() == [second]
