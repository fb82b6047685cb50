import grpc
import pytest
from remotesignout.parental.v1 import parental_pb2 as pb

from tests.integration.parental_service.conftest import reason_of


async def create(stub, name, account="acc-1", **fields):
    response = await stub.CreateProfile(pb.CreateProfileRequest(account_id=account, name=name, **fields))
    return response.profile


async def test_creating_profiles_and_listing_them_owner_first(stub):
    owner = await create(stub, "Ana")
    kid = await create(stub, "Kid", kind=pb.PROFILE_KIND_KIDS)
    teen = await create(stub, "Teen", maturity_level=pb.MATURITY_LEVEL_13_PLUS)
    listed = (await stub.ListProfiles(pb.ListProfilesRequest(account_id="acc-1"))).profiles
    assert [p.profile_id for p in listed] == [owner.profile_id, kid.profile_id, teen.profile_id]
    assert (owner.kind, owner.maturity_level) == (pb.PROFILE_KIND_OWNER, pb.MATURITY_LEVEL_18_PLUS)
    assert (kid.kind, kid.maturity_level) == (pb.PROFILE_KIND_KIDS, pb.MATURITY_LEVEL_7_PLUS)
    assert (teen.kind, teen.maturity_level) == (pb.PROFILE_KIND_STANDARD, pb.MATURITY_LEVEL_13_PLUS)
    assert all(p.account_id == "acc-1" for p in listed)


async def test_a_sixth_profile_is_failed_precondition_with_a_clear_message(stub):
    for name in ["Ana", "Bob", "Cy", "Di", "Ed"]:
        await create(stub, name)
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await create(stub, "Fay")
    assert error.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error.value.details() == "An account has at most 5 profiles; delete one to add another."
    assert reason_of(error.value) == "profile_limit"


async def test_a_duplicate_name_in_another_case_is_already_exists(stub):
    await create(stub, "Ana")
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await create(stub, "ANA")
    assert error.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert len((await stub.ListProfiles(pb.ListProfilesRequest(account_id="acc-1"))).profiles) == 1


async def test_a_second_owner_is_failed_precondition(stub):
    await create(stub, "Ana")
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await create(stub, "Bob", kind=pb.PROFILE_KIND_OWNER)
    assert error.value.code() == grpc.StatusCode.FAILED_PRECONDITION


@pytest.mark.parametrize("fields", [{"name": ""}, {"name": "x" * 51}, {"name": "Ana", "maturity_level": 9}])
async def test_a_malformed_request_is_invalid_argument(stub, fields):
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await stub.CreateProfile(pb.CreateProfileRequest(account_id="acc-1", **fields))
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_concurrent_creations_never_exceed_five_profiles(stub):
    import asyncio

    results = await asyncio.gather(*(create(stub, f"P{i}") for i in range(8)), return_exceptions=True)
    refused = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(refused) == 3
    assert {r.code() for r in refused} == {grpc.StatusCode.FAILED_PRECONDITION}
    listed = (await stub.ListProfiles(pb.ListProfilesRequest(account_id="acc-1"))).profiles
    assert len(listed) == 5
    assert sum(p.kind == pb.PROFILE_KIND_OWNER for p in listed) == 1
