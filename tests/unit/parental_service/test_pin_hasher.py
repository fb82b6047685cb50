"""The real PIN hasher: argon2id over HMAC-SHA256(pepper, PIN), and the pepper it is given at start-up."""

import hashlib
import hmac

import pytest

from common import passwords
from common.errors import FailedPrecondition
from parental_service.adapters.pin_hasher import PEPPERED, Argon2PinHasher
from parental_service.config import Config

PEPPER = b"0123456789abcdef0123456789abcdef-test-pepper"
OTHER_PEPPER = b"fedcba9876543210fedcba9876543210-other-pepper"


async def test_a_stored_pin_hash_cannot_be_checked_without_the_pepper():
    stored = await Argon2PinHasher(PEPPER).hash("1234")
    assert stored.startswith(PEPPERED) and "1234" not in stored
    argon2_part = stored[stored.index("$argon2id$") :]
    # An attacker with the database but not the pepper tries argon2id of the PIN itself: no match.
    assert not passwords.verify_secret(argon2_part, "1234")
    assert not passwords.verify_secret(stored, "1234")
    # What the hash is really over: HMAC-SHA256(pepper, PIN).
    assert passwords.verify_secret(argon2_part, hmac.new(PEPPER, b"1234", hashlib.sha256).digest())
    assert await Argon2PinHasher(PEPPER).verify(stored, "1234")
    assert not await Argon2PinHasher(PEPPER).verify(stored, "1235")


async def test_a_hash_made_with_another_pepper_is_not_a_wrong_pin_but_an_error():
    stored = await Argon2PinHasher(OTHER_PEPPER).hash("1234")
    with pytest.raises(FailedPrecondition) as error:
        await Argon2PinHasher(PEPPER).verify(stored, "1234")
    assert error.value.reason == "pin_unverifiable"


async def test_a_legacy_hash_without_pepper_verifies_and_asks_to_be_rehashed():
    hasher = Argon2PinHasher(PEPPER)
    legacy = passwords.hash_secret("1234")
    assert await hasher.verify(legacy, "1234") and not await hasher.verify(legacy, "4321")
    assert hasher.needs_rehash(legacy)
    assert not hasher.needs_rehash(await hasher.hash("1234"))


def test_a_short_or_missing_pepper_is_refused():
    with pytest.raises(ValueError):
        Argon2PinHasher(b"")
    with pytest.raises(ValueError):
        Argon2PinHasher(b"x" * 31)


def test_the_service_does_not_start_without_its_pepper_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PARENTAL_PIN_PEPPER_FILE", str(tmp_path / "missing"))
    with pytest.raises(SystemExit, match="PARENTAL_PIN_PEPPER_FILE"):
        Config.from_env()
    (tmp_path / "short").write_bytes(b"too short")
    monkeypatch.setenv("PARENTAL_PIN_PEPPER_FILE", str(tmp_path / "short"))
    with pytest.raises(SystemExit, match="PARENTAL_PIN_PEPPER_FILE"):
        Config.from_env()


def test_the_pepper_is_read_from_its_file_and_never_shown(tmp_path, monkeypatch):
    (tmp_path / "pepper").write_bytes(PEPPER + b"\n")
    monkeypatch.setenv("PARENTAL_PIN_PEPPER_FILE", str(tmp_path / "pepper"))
    config = Config.from_env()
    assert config.pin_pepper == PEPPER and PEPPER.decode() not in repr(config)


def test_the_pepper_file_defaults_to_the_data_dirs_secrets_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("PARENTAL_PIN_PEPPER_FILE", raising=False)
    monkeypatch.setenv("REMOTESIGNOUT_DATA_DIR", str(tmp_path))
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "pin_pepper").write_bytes(PEPPER)
    assert Config.from_env().pin_pepper == PEPPER
