"""PIN hashes in a real SQLite file: peppered, and legacy ones upgraded on the next right PIN."""

import sqlite3

import grpc
import pytest
from remotesignout.parental.v1 import parental_pb2 as pb

from common import passwords
from parental_service.adapters.pin_hasher import PEPPERED
from tests.integration.parental_service.conftest import reason_of

ACCOUNT = "acc-1"
PARENT = pb.Actor(device_id="parent-phone", profile_id="owner")


@pytest.fixture
async def kid(stub):
    await stub.CreateProfile(pb.CreateProfileRequest(account_id=ACCOUNT, name="Ana"))
    response = await stub.CreateProfile(
        pb.CreateProfileRequest(account_id=ACCOUNT, name="Kid", kind=pb.PROFILE_KIND_KIDS)
    )
    await stub.SetProfilePin(
        pb.SetProfilePinRequest(account_id=ACCOUNT, profile_id=response.profile.profile_id, pin="1234", actor=PARENT)
    )
    return response.profile


def stored_hash(tmp_path, profile_id: str) -> str:
    with sqlite3.connect(tmp_path / "parental.db") as db:
        (pin_hash,) = db.execute("select pin_hash from profiles where profile_id = ?", (profile_id,)).fetchone()
    return str(pin_hash)


def store_hash(tmp_path, profile_id: str, pin_hash: str) -> None:
    with sqlite3.connect(tmp_path / "parental.db") as db:
        db.execute("update profiles set pin_hash = ? where profile_id = ?", (pin_hash, profile_id))


async def select(stub, kid, pin: str):
    return await stub.SelectProfile(
        pb.SelectProfileRequest(account_id=ACCOUNT, profile_id=kid.profile_id, pin=pin, device_id="tv")
    )


async def test_the_stored_hash_of_1234_is_not_argon2_of_1234(stub, kid, tmp_path):
    stored = stored_hash(tmp_path, kid.profile_id)
    assert stored.startswith(PEPPERED) and "1234" not in stored
    assert not passwords.verify_secret(stored[stored.index("$argon2id$") :], "1234")
    await select(stub, kid, "1234")


async def test_a_legacy_hash_is_peppered_after_a_right_pin_and_not_after_a_wrong_one(stub, kid, tmp_path):
    legacy = passwords.hash_secret("1234")
    store_hash(tmp_path, kid.profile_id, legacy)
    with pytest.raises(grpc.aio.AioRpcError) as wrong:
        await select(stub, kid, "4321")
    assert reason_of(wrong.value) == "wrong_pin"
    assert stored_hash(tmp_path, kid.profile_id) == legacy

    await select(stub, kid, "1234")
    upgraded = stored_hash(tmp_path, kid.profile_id)
    assert upgraded.startswith(PEPPERED) and not passwords.verify_secret(
        upgraded[upgraded.index("$argon2id$") :], "1234"
    )
    await select(stub, kid, "1234")  # the peppered hash verifies
    assert stored_hash(tmp_path, kid.profile_id) == upgraded
