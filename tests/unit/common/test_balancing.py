"""Address settings become grpc targets, and the one service config retries only what the protos mark
as safe to try again (common.balancing)."""

from __future__ import annotations

import json

import pytest
from google.protobuf import descriptor_pb2, descriptor_pool
from google.protobuf.descriptor_pb2 import MethodOptions

from common import balancing
from common.pki import host_name

NEVER_RETRIED = {
    # Each one changes something a second time, or counts a guess: a retry could double it.
    "remotesignout.auth.v1.AuthService": {
        "CreateAccount",
        "SignIn",
        "RefreshToken",
        "RevokeSessions",
        "ChangePassword",
        "CloseAccount",
        "VerifyPassword",
        "ConfirmPassword",
        "RevokeToken",
        "SetSessionProfile",
        "WatchSession",
    },
    "remotesignout.device.v1.DeviceService": {"RegisterDevice", "RecordPlayback", "RecordDownload"},
    "remotesignout.parental.v1.ParentalService": {
        "CreateProfile",
        "SelectProfile",
        "SetProfilePin",
        "UnlockProfile",
        "DeleteProfile",
        "DecidePlayback",
        "WatchPlaybackStops",
    },
}


def methods_by_service() -> dict[str, dict[str, object]]:
    return {
        service.full_name: {method.name: method for method in service.methods}
        for file in balancing.PROTO_FILES
        for service in file.services_by_name.values()
    }


@pytest.mark.parametrize(
    ("address", "target"),
    [
        ("127.0.0.1:50051", "127.0.0.1:50051"),
        ("auth-service:50051", "auth-service:50051"),
        ("dns:///auth-service:50051", "dns:///auth-service:50051"),
        ("ipv4:10.0.0.1:1,10.0.0.2:1", "ipv4:10.0.0.1:1,10.0.0.2:1"),
        ("10.0.0.1:50051,10.0.0.2:50052", "ipv4:10.0.0.1:50051,10.0.0.2:50052"),
        (" 10.0.0.1:1 , 10.0.0.2:1 ,", "ipv4:10.0.0.1:1,10.0.0.2:1"),
        ("10.0.0.1:1,10.0.0.1:1", "ipv4:10.0.0.1:1"),
        ("[::1]:50051,[fd00::2]:50051", "ipv6:[::1]:50051,[fd00::2]:50051"),
        ("localhost:50051,127.0.0.2:50051", "ipv4:127.0.0.1:50051,127.0.0.2:50051"),
    ],
)
def test_an_address_setting_becomes_a_grpc_target(address, target):
    assert balancing.target(address) == target


@pytest.mark.parametrize(
    "address",
    [
        "auth-service",
        "auth-service:",
        "auth-service:port",
        "auth-service:0",
        "auth-service:70000",
        "::1:50051",
        "[auth-service]:50051",
        "10.0.0.1:1,[::1]:1",
        ",",
        "10.0.0.1:1,no-such-host.invalid:1",
    ],
)
def test_a_malformed_address_is_refused_when_the_channel_is_made(address):
    with pytest.raises(ValueError):
        balancing.target(address)


def test_every_channel_balances_round_robin():
    config = json.loads(balancing.service_config())
    assert config["loadBalancingConfig"] == [{"round_robin": {}}]
    assert ("grpc.service_config", balancing.service_config()) in balancing.channel_options()


def test_only_methods_the_protos_mark_are_retried_and_each_exists():
    (method_config,) = json.loads(balancing.service_config())["methodConfig"]
    retried = {(name["service"], name["method"]) for name in method_config["name"]}
    known = methods_by_service()
    for service, method in retried:
        descriptor = known[service][method]  # every retried method exists
        assert descriptor.GetOptions().idempotency_level in (MethodOptions.NO_SIDE_EFFECTS, MethodOptions.IDEMPOTENT)
        assert not descriptor.server_streaming and not descriptor.client_streaming
    marked_unary = {
        (service, name)
        for service, methods in known.items()
        for name, descriptor in methods.items()
        if descriptor.GetOptions().idempotency_level != MethodOptions.IDEMPOTENCY_UNKNOWN
        and not descriptor.server_streaming
    }
    assert retried == marked_unary
    for service, never in NEVER_RETRIED.items():
        assert never <= set(known[service]), "a method this test names was renamed"
        assert not {(service, name) for name in never} & retried
    assert ("remotesignout.device.v1.DeviceService", "ApplyRevocation") in retried
    assert ("remotesignout.auth.v1.AuthService", "ValidateToken") in retried


def test_the_retry_policy_retries_unavailable_only_a_few_times():
    (method_config,) = json.loads(balancing.service_config())["methodConfig"]
    policy = method_config["retryPolicy"]
    assert policy["retryableStatusCodes"] == ["UNAVAILABLE"]
    assert 3 <= policy["maxAttempts"] <= 4
    assert float(policy["maxBackoff"].rstrip("s")) <= 1.0


def test_a_new_rpc_is_tried_once_unless_its_proto_marks_it():
    proto = descriptor_pb2.FileDescriptorProto(name="test/v1/new.proto", package="test.v1", syntax="proto3")
    proto.message_type.add(name="Empty")
    service = proto.service.add(name="NewService")
    service.method.add(name="Plain", input_type=".test.v1.Empty", output_type=".test.v1.Empty")
    read = service.method.add(name="Read", input_type=".test.v1.Empty", output_type=".test.v1.Empty")
    read.options.idempotency_level = MethodOptions.NO_SIDE_EFFECTS
    watch = service.method.add(
        name="Watch", input_type=".test.v1.Empty", output_type=".test.v1.Empty", server_streaming=True
    )
    watch.options.idempotency_level = MethodOptions.NO_SIDE_EFFECTS
    pool = descriptor_pool.DescriptorPool()
    file = pool.Add(proto) or pool.FindFileByName("test/v1/new.proto")
    assert balancing.retried_methods([file]) == [("test.v1.NewService", "Read")]
    plain = descriptor_pb2.FileDescriptorProto(name="test/v1/plain.proto", package="test.v2", syntax="proto3")
    plain.message_type.add(name="Empty")
    plain.service.add(name="Plain").method.add(name="Do", input_type=".test.v2.Empty", output_type=".test.v2.Empty")
    pool.Add(plain)
    config = json.loads(balancing.service_config([pool.FindFileByName("test/v1/plain.proto")]))
    assert config == {"loadBalancingConfig": [{"round_robin": {}}], "methodConfig": []}


def test_a_channel_checks_the_process_name_whatever_the_addresses(pki):
    options = dict(pki.identity("gateway")._options("auth_service"))
    assert options["grpc.ssl_target_name_override"] == host_name("auth_service") == "auth-service"
    assert options["grpc.service_config"] == balancing.service_config()


def test_a_malformed_address_stops_the_process_with_one_line_naming_the_setting(pki):
    with pytest.raises(SystemExit) as stopped:
        pki.identity("gateway").sync_channel("device-service", "device_service")
    assert str(stopped.value).startswith("DEVICE_ADDRESS: 'device-service' is not host:port")
