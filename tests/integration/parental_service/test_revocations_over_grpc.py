import grpc
import pytest
from remotesignout.auth.v1 import auth_pb2
from remotesignout.parental.v1 import parental_pb2 as pb

from parental_service.domain.playback import ActivePlayback


def seed_playbacks(app, account, devices):
    with app.uow_factory() as uow:
        for device in devices:
            uow.playbacks.start(ActivePlayback(device, account, "p1", "t1", 1))
        uow.commit()


def playing(app, account):
    with app.uow_factory() as uow:
        return sorted(p.device_id for p in uow.playbacks.list_for_account(account))


def revocation(sequence, scope, device_id="", session_id="s1", account="acc-1"):
    return pb.ApplyRevocationRequest(
        revocation=auth_pb2.Revocation(
            sequence=sequence, account_id=account, scope=scope, device_id=device_id, session_id=session_id
        )
    )


async def test_signing_out_all_other_devices_stops_their_playback_once(stub, app):
    seed_playbacks(app, "acc-1", ["tv", "phone", "tablet"])
    seed_playbacks(app, "acc-2", ["other-tv"])
    first = await stub.ApplyRevocation(revocation(10, auth_pb2.REVOCATION_SCOPE_ALL_OTHERS, "phone"))
    again = await stub.ApplyRevocation(revocation(10, auth_pb2.REVOCATION_SCOPE_ALL_OTHERS, "phone"))
    assert (first.applied, first.stopped_playback_count) == (True, 2)
    assert (again.applied, again.stopped_playback_count) == (False, 0)
    assert playing(app, "acc-1") == ["phone"]
    assert playing(app, "acc-2") == ["other-tv"]


async def test_signing_out_one_device_stops_only_that_device(stub, app):
    seed_playbacks(app, "acc-1", ["tv", "phone"])
    response = await stub.ApplyRevocation(revocation(11, auth_pb2.REVOCATION_SCOPE_DEVICE, "tv"))
    assert response.stopped_playback_count == 1
    assert playing(app, "acc-1") == ["phone"]


async def test_a_revocation_applied_before_a_restart_is_not_applied_again(tmp_path, clock):
    from parental_service.bootstrap import bootstrap
    from parental_service.config import Config
    from parental_service.domain.revocations import Revocation, RevocationScope
    from tests.integration.parental_service.conftest import PIN_PEPPER

    config = Config(database_url=f"sqlite:///{tmp_path / 'restart.db'}", pin_pepper=PIN_PEPPER)
    before, after = bootstrap(config, clock=clock), bootstrap(config, clock=clock)
    try:
        assert (await before.apply_revocation(Revocation(5, "acc-1", RevocationScope.ALL))).applied
        assert not (await after.apply_revocation(Revocation(5, "acc-1", RevocationScope.ALL))).applied
    finally:
        before.close()
        after.close()


async def test_a_revocation_without_a_scope_is_invalid_argument(stub):
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await stub.ApplyRevocation(revocation(12, auth_pb2.REVOCATION_SCOPE_UNSPECIFIED))
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
