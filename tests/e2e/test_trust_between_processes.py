"""Every gRPC service of the running suite trusts only the suite's own processes.

An attacker on the same network has no certificate of the suite's CA: plaintext
and TLS without a client certificate are refused by every service, as are an
expired certificate and one from another CA (the service's log names the cause).
A process of the suite may call exactly the RPCs its service's table allows it;
a certificate of the CA with no suite identity may call nothing.
"""

from __future__ import annotations

import datetime
import pathlib
import time

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from remotesignout.auth.v1 import auth_pb2
from remotesignout.device.v1 import device_pb2
from remotesignout.parental.v1 import parental_pb2

from auth_service.entrypoints.permissions import PERMISSIONS as AUTH
from common import pki
from common.grpc_errors import REASON_KEY
from common.pki import PROCESSES, host_name
from device_service.entrypoints.permissions import PERMISSIONS as DEVICE
from parental_service.entrypoints.permissions import PERMISSIONS as PARENTAL

SERVICES = {
    "auth_service": (auth_pb2.DESCRIPTOR.services_by_name["AuthService"], AUTH),
    "device_service": (device_pb2.DESCRIPTOR.services_by_name["DeviceService"], DEVICE),
    "parental_service": (parental_pb2.DESCRIPTOR.services_by_name["ParentalService"], PARENTAL),
}
NO_IDENTITY = "no-identity"


def address_of(suite, service: str) -> str:  # type: ignore[no-untyped-def]
    return {
        "auth_service": suite.auth_address,
        "device_service": suite.device_address,
        "parental_service": suite.parental_address,
    }[service]


@pytest.fixture(scope="module")
def certificates(suite, tmp_path_factory):  # type: ignore[no-untyped-def]
    """(CA, key, certificate) PEMs by name: every process, a certificate of the suite's CA with no
    suite identity, an expired one, and one from another CA; all trust the suite's CA."""
    directory, scratch = suite.suite.config.pki_dir, tmp_path_factory.mktemp("certificates")
    ca_cert, ca_key = pki.load_ca(directory)
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=30)
    pki.write_pair(scratch, NO_IDENTITY, *pki.issue(ca_cert, ca_key, "gateway", identity=""))
    pki.write_pair(
        scratch,
        "expired",
        *pki.issue(ca_cert, ca_key, "gateway", not_before=past - datetime.timedelta(days=1), not_after=past),
    )
    foreign = pki.ensure_local_pki(scratch / "foreign")
    pki.write_pair(scratch, "foreign", *pki.issue(*pki.load_ca(foreign), "gateway"))
    ca = (directory / "ca.crt").read_bytes()

    def material(folder: pathlib.Path, name: str) -> tuple[bytes, bytes, bytes]:
        return ca, (folder / f"{name}.key").read_bytes(), (folder / f"{name}.crt").read_bytes()

    return {name: material(directory, name) for name in PROCESSES} | {
        name: material(scratch, name) for name in (NO_IDENTITY, "expired", "foreign")
    }


def secure(address: str, service: str, ca: bytes, key: bytes | None = None, cert: bytes | None = None) -> grpc.Channel:
    credentials = grpc.ssl_channel_credentials(ca, key, cert)
    return grpc.secure_channel(address, credentials, options=[("grpc.ssl_target_name_override", host_name(service))])


def health_check(channel: grpc.Channel) -> grpc.StatusCode:
    try:
        health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=3)
    except grpc.RpcError as error:
        return error.code()  # type: ignore[no-any-return]
    return grpc.StatusCode.OK


def call(channel: grpc.Channel, path: str, streaming: bool) -> tuple[grpc.StatusCode, str]:
    """Call `path` with an empty request; (status, error-reason)."""
    try:
        if streaming:
            for _ in channel.unary_stream(path)(b"", timeout=1):
                break
        else:
            channel.unary_unary(path)(b"", timeout=3)
    except grpc.RpcError as error:
        reason = dict(error.trailing_metadata() or ()).get(REASON_KEY, "")
        return error.code(), str(reason)
    return grpc.StatusCode.OK, ""


@pytest.mark.parametrize("service", list(SERVICES))
def test_plaintext_and_tls_without_a_client_certificate_are_refused(suite, certificates, service):
    address = address_of(suite, service)
    with grpc.insecure_channel(address) as plaintext:
        assert health_check(plaintext) == grpc.StatusCode.UNAVAILABLE
    with secure(address, service, certificates["gateway"][0]) as anonymous:
        assert health_check(anonymous) == grpc.StatusCode.UNAVAILABLE
    with secure(address, service, *certificates["operator"]) as operator:
        assert health_check(operator) == grpc.StatusCode.OK


@pytest.mark.parametrize("service", list(SERVICES))
def test_expired_and_foreign_certificates_are_refused_and_the_log_names_the_cause(suite, certificates, service):
    address = address_of(suite, service)
    for name in ("expired", "foreign"):
        with secure(address, service, *certificates[name]) as channel:
            assert health_check(channel) == grpc.StatusCode.UNAVAILABLE, name
    log = suite.suite.log_path(service)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if "certificate has expired" in text and "certificate signature failure" in text:
            break
        time.sleep(0.1)
    assert "certificate has expired" in text
    assert "certificate signature failure" in text  # signed by another CA


@pytest.mark.parametrize("service", list(SERVICES))
def test_each_identity_may_call_exactly_the_rpcs_its_table_allows(suite, certificates, service):
    descriptor, permissions = SERVICES[service]
    address = address_of(suite, service)
    for caller in [*PROCESSES, NO_IDENTITY]:
        with secure(address, service, *certificates[caller]) as channel:
            for method in descriptor.methods:
                path = f"/{descriptor.full_name}/{method.name}"
                code, reason = call(channel, path, method.server_streaming)
                refused = code == grpc.StatusCode.PERMISSION_DENIED and reason == "not_allowed"
                assert refused == (caller not in permissions[path]), (caller, path, code, reason)
            health = health_check(channel)
            assert (health == grpc.StatusCode.OK) == (caller != NO_IDENTITY), (caller, health)


def test_reflection_is_off_unless_enabled(suite, certificates):
    with secure(suite.auth_address, "auth_service", *certificates["operator"]) as channel:
        code, _ = call(channel, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", True)
    assert code == grpc.StatusCode.UNIMPLEMENTED


def test_the_refusals_are_logged_with_the_caller_and_method(suite, certificates):
    with secure(suite.device_address, "device_service", *certificates["operator"]) as channel:
        call(channel, "/remotesignout.device.v1.DeviceService/ListDevices", False)
    text = pathlib.Path(suite.suite.log_path("device_service")).read_text(errors="replace")
    assert "refused /remotesignout.device.v1.DeviceService/ListDevices to operator" in text
