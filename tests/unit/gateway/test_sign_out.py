"""The sign-out flow against in-process fakes of the three services' stubs."""

import time
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from prometheus_client import REGISTRY
from remotesignout.auth.v1 import auth_pb2

from common import revocation_proto
from common.errors import NotFound
from common.revocation import Reason, Revocation, Scope
from gateway import flows

CALLER = auth_pb2.ValidateTokenResponse(account_id="acc", session_id="ses-1", device_id="dev-1")


@dataclass
class Log:
    calls: list[str] = field(default_factory=list)


class FakeAuth:
    def __init__(self, log):
        self.log = log
        self.requests = []

    async def RevokeSessions(self, request, timeout):
        self.log.calls.append("auth")
        scope = revocation_proto.scope_from_proto(request.scope)
        reason = revocation_proto.reason_from_proto(request.reason)
        self.requests.append((request.account_id, scope.value, reason.value, request.session_id, request.device_id))
        revocation = Revocation(1, request.account_id, scope, reason, request.session_id, request.device_id)
        return auth_pb2.RevokeSessionsResponse(revocation=revocation_proto.to_proto(revocation))


class FakeDevices:
    def __init__(self, log, owned=("dev-1", "dev-2"), fail=False, answer=True):
        self.log, self.owned, self.fail, self.answer = log, owned, fail, answer

    async def GetDevice(self, request, timeout):
        if request.device_id not in self.owned:
            raise NotFound("No such device.")

    async def ApplyRevocation(self, request, timeout):
        self.log.calls.append("device")
        if self.fail:
            raise ConnectionError("down")
        return SimpleNamespace(applied=self.answer)


class FakeParental:
    def __init__(self, log, fail=False, answer=True):
        self.log, self.fail, self.answer = log, fail, answer

    async def ApplyRevocation(self, request, timeout):
        self.log.calls.append("parental")
        if self.fail:
            raise ConnectionError("down")
        return SimpleNamespace(applied=self.answer)  # True also when it was already applied (the response's `applied`)


@dataclass
class Backends:
    auth: FakeAuth
    device: FakeDevices
    parental: FakeParental
    timeout: float = 1.0
    revocation_timeout: float = 3.0


def backends(device_fails=False, parental_fails=False, device_answer=True, parental_answer=True):
    log = Log()
    return Backends(
        FakeAuth(log),
        FakeDevices(log, fail=device_fails, answer=device_answer),
        FakeParental(log, fail=parental_fails, answer=parental_answer),
    ), log


def failures(service):
    return REGISTRY.get_sample_value("remotesignout_fanout_failures_total", {"service": service}) or 0.0


async def test_a_device_is_revoked_in_auth_before_the_fan_out():
    gateway, log = backends()
    result = await flows.sign_out_device(gateway, CALLER, "dev-2", time.perf_counter())
    assert log.calls[0] == "auth"
    assert sorted(log.calls[1:]) == ["device", "parental"]
    assert gateway.auth.requests == [("acc", "device", "remote_sign_out", "", "dev-2")]
    assert result["propagation"] == {"device_service": "applied", "parental_service": "applied"}


async def test_an_unknown_device_is_not_found_and_nothing_is_revoked():
    gateway, log = backends()
    with pytest.raises(NotFound):
        await flows.sign_out_device(gateway, CALLER, "dev-9", time.perf_counter())
    assert log.calls == []


async def test_a_failed_fan_out_call_leaves_that_service_pending():
    gateway, _ = backends(device_fails=True)
    before = failures("device_service")
    result = await flows.sign_out_session(gateway, CALLER, time.perf_counter())
    assert result["propagation"] == {"device_service": "pending", "parental_service": "applied"}
    assert failures("device_service") == before + 1


@pytest.mark.parametrize("answer", [False, None])
async def test_a_service_that_does_not_answer_applied_is_pending_and_counted(answer, caplog):
    gateway, _ = backends(parental_answer=answer)
    before = failures("parental_service")
    result = await flows.sign_out_device(gateway, CALLER, "dev-2", time.perf_counter())
    assert result["propagation"] == {"device_service": "applied", "parental_service": "pending"}
    assert failures("parental_service") == before + 1
    assert "parental_service did not confirm revocation 1 as applied" in caplog.text


async def test_applied_only_when_each_service_answers_applied():
    gateway, _ = backends(device_answer=False, parental_answer=True)
    result = await flows.sign_out_all(gateway, CALLER, True, time.perf_counter())
    assert result["propagation"] == {"device_service": "pending", "parental_service": "applied"}


async def test_sign_out_all_chooses_its_scope_from_include_current():
    gateway, _ = backends()
    await flows.sign_out_all(gateway, CALLER, True, time.perf_counter())
    await flows.sign_out_all(gateway, CALLER, False, time.perf_counter())
    assert gateway.auth.requests == [
        ("acc", "all", "sign_out_all", "", ""),
        ("acc", "all_others", "sign_out_all", "ses-1", ""),
    ]


async def test_the_revocation_answered_is_auth_services_in_the_shared_contract():
    gateway, _ = backends()
    result = await flows.sign_out_session(gateway, CALLER, time.perf_counter())
    assert result["revocation"] == Revocation(1, "acc", Scope.SESSION, Reason.SIGN_OUT, "ses-1", "")
