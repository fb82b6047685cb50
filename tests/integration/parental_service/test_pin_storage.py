"""PIN hashes in a real database (SQLite and PostgreSQL): peppered, and legacy ones upgraded on the next right PIN."""

import grpc
import pytest
from remotesignout.parental.v1 import parental_pb2 as pb
from sqlalchemy import text

from common import passwords
from common.db import make_engine
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


def stored_hash(database_url: str, profile_id: str) -> str:
    engine = make_engine(database_url)
    try:
        with engine.connect() as db:
            query = text("select pin_hash from profiles where profile_id = :id")
            return str(db.execute(query, {"id": profile_id}).scalar_one())
    finally:
        engine.dispose()


def store_hash(database_url: str, profile_id: str, pin_hash: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.begin() as db:
            db.execute(
                text("update profiles set pin_hash = :hash where profile_id = :id"),
                {"hash": pin_hash, "id": profile_id},
            )
    finally:
        engine.dispose()


async def select(stub, kid, pin: str):
    return await stub.SelectProfile(
        pb.SelectProfileRequest(account_id=ACCOUNT, profile_id=kid.profile_id, pin=pin, device_id="tv")
    )


async def test_the_stored_hash_of_1234_is_not_argon2_of_1234(stub, kid, database_url):
    stored = stored_hash(database_url, kid.profile_id)
    assert stored.startswith(PEPPERED) and "1234" not in stored
    assert not passwords.verify_secret(stored[stored.index("$argon2id$") :], "1234")
    await select(stub, kid, "1234")


async def test_a_legacy_hash_is_peppered_after_a_right_pin_and_not_after_a_wrong_one(stub, kid, database_url):
    legacy = passwords.hash_secret("1234")
    store_hash(database_url, kid.profile_id, legacy)
    with pytest.raises(grpc.aio.AioRpcError) as wrong:
        await select(stub, kid, "4321")
    assert reason_of(wrong.value) == "wrong_pin"
    assert stored_hash(database_url, kid.profile_id) == legacy

    await select(stub, kid, "1234")
    upgraded = stored_hash(database_url, kid.profile_id)
    assert upgraded.startswith(PEPPERED) and not passwords.verify_secret(
        upgraded[upgraded.index("$argon2id$") :], "1234"
    )
    await select(stub, kid, "1234")  # the peppered hash verifies
    assert stored_hash(database_url, kid.profile_id) == upgraded
