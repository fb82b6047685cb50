"""Every RPC of every service has a row in its permission table, and nothing else does."""

from __future__ import annotations

import pytest
from remotesignout.auth.v1 import auth_pb2
from remotesignout.device.v1 import device_pb2
from remotesignout.parental.v1 import parental_pb2

from auth_service.entrypoints.permissions import PERMISSIONS as AUTH
from common.permissions import ANY_PROCESS, HEALTH_METHODS, REFLECTION_METHODS, table, with_standard_services
from device_service.entrypoints.permissions import PERMISSIONS as DEVICE
from parental_service.entrypoints.permissions import PERMISSIONS as PARENTAL

SERVICES = [
    (auth_pb2.DESCRIPTOR.services_by_name["AuthService"], AUTH),
    (device_pb2.DESCRIPTOR.services_by_name["DeviceService"], DEVICE),
    (parental_pb2.DESCRIPTOR.services_by_name["ParentalService"], PARENTAL),
]


@pytest.mark.parametrize(("service", "permissions"), SERVICES, ids=lambda value: getattr(value, "name", ""))
def test_every_rpc_in_the_proto_has_exactly_one_row_in_its_service_table(service, permissions):
    methods = {f"/{service.full_name}/{method.name}" for method in service.methods}
    assert set(permissions) == methods, "add the missing RPCs to <service>/entrypoints/permissions.py"
    for method, allowed in permissions.items():
        assert allowed, f"{method} allows no one"
        assert allowed <= ANY_PROCESS - {"operator"}, f"{method}: operator may call health only"


def test_health_answers_any_suite_process_and_reflection_only_when_enabled():
    off = with_standard_services({}, reflection_enabled=False)
    on = with_standard_services({}, reflection_enabled=True)
    assert set(off) == set(HEALTH_METHODS) and all(off[m] == ANY_PROCESS for m in HEALTH_METHODS)
    assert set(on) == {*HEALTH_METHODS, *REFLECTION_METHODS}


def test_a_table_naming_an_unknown_process_is_refused():
    with pytest.raises(ValueError, match="mallory"):
        table("pkg.Service", {"Method": ("gateway", "mallory")})
