"""Reaching every replica of a service: the gRPC target an address setting names, and the service
config every client channel carries.

An address setting (AUTH_ADDRESS, DEVICE_ADDRESS, PARENTAL_ADDRESS, as callers read them) is one of:

    host:port                 one name: grpc's DNS resolver gives every address it has (several A records
                              are several replicas), and follows it when it changes
    dns:///name:port          the same, said explicitly; any target with a scheme (`ipv4:`, `ipv6:`,
                              `unix:`, `dns://server/...`) is passed to grpc as it is
    h1:p1,h2:p2,...           a fixed list of replicas. IP literals become grpc's own list target
                              (`ipv4:a:1,b:2`, `ipv6:[a]:1,[b]:2`); a host name in the list is resolved here,
                              once, when the channel is made (its IPv4 addresses, or its IPv6 ones when it
                              has none), since grpc's DNS resolver takes a single name. A list whose
                              addresses mix IPv4 and IPv6 is refused, and so is a name that does not
                              resolve: use `dns:///name:port` for replicas whose addresses change.

Every channel gets the same service config (`grpc.service_config`): `round_robin` over the addresses
(grpc's default, pick_first, would send every call to one replica), and a retry policy, on
UNAVAILABLE only, for exactly the methods the .proto files mark `idempotency_level = NO_SIDE_EFFECTS`
or `IDEMPOTENT` (reads, and ApplyRevocation, idempotent by sequence). A new RPC is tried once unless
its proto says a second try is harmless; streaming RPCs are never retried. Every replica of a service
holds a certificate with the same DNS name, so checking it (common.tls) works whichever one answers.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Iterable, Iterator

from google.protobuf.descriptor import FileDescriptor, MethodDescriptor
from google.protobuf.descriptor_pb2 import MethodOptions
from remotesignout.auth.v1 import auth_pb2
from remotesignout.device.v1 import device_pb2
from remotesignout.parental.v1 import parental_pb2

PROTO_FILES: tuple[FileDescriptor, ...] = (auth_pb2.DESCRIPTOR, device_pb2.DESCRIPTOR, parental_pb2.DESCRIPTOR)
GRPC_SCHEMES = ("dns:", "ipv4:", "ipv6:", "unix:", "unix-abstract:", "vsock:")
"""Targets that name their resolver; passed to grpc as they are."""
SAFE_TO_RETRY = frozenset({MethodOptions.NO_SIDE_EFFECTS, MethodOptions.IDEMPOTENT})
RETRY_POLICY = {
    "maxAttempts": 3,
    "initialBackoff": "0.05s",
    "maxBackoff": "0.5s",
    "backoffMultiplier": 2,
    "retryableStatusCodes": ["UNAVAILABLE"],
}
"""Three tries at most, 50 ms then up to 100 ms apart (grpc randomises each pause below its bound):
enough to step over a replica that stopped, well inside a call's 2 s deadline (RPC_TIMEOUT_SECONDS)."""


def _methods(files: Iterable[FileDescriptor]) -> Iterator[MethodDescriptor]:
    for file in files:
        for service in file.services_by_name.values():
            yield from service.methods


def retried_methods(files: Iterable[FileDescriptor] = PROTO_FILES) -> list[tuple[str, str]]:
    """(full service name, method) of every unary method its proto marks as safe to try again."""
    return [
        (method.containing_service.full_name, method.name)
        for method in _methods(files)
        if method.GetOptions().idempotency_level in SAFE_TO_RETRY
        and not method.client_streaming
        and not method.server_streaming
    ]


def service_config(files: Iterable[FileDescriptor] = PROTO_FILES) -> str:
    """The JSON service config of every client channel: round_robin, and retries of `retried_methods`."""
    names = [{"service": service, "method": method} for service, method in retried_methods(files)]
    return json.dumps(
        {
            "loadBalancingConfig": [{"round_robin": {}}],
            "methodConfig": [{"name": names, "retryPolicy": RETRY_POLICY}] if names else [],
        }
    )


def channel_options() -> list[tuple[str, object]]:
    """The channel arguments that apply `service_config` (and keep a DNS TXT record from replacing it)."""
    return [("grpc.service_config", service_config()), ("grpc.service_config_disable_resolution", 1)]


def _split(address: str) -> tuple[str, int]:
    """("host", port) of "host:port" or "[v6]:port"; ValueError otherwise."""
    host, _colon, port = address.rpartition(":")
    bracketed = host.startswith("[") and host.endswith("]")
    if bracketed:
        host = host[1:-1]
    valid_host = bool(host) and (_is_ip(host) if bracketed or ":" in host else "[" not in host)
    if not valid_host or (":" in host and not bracketed) or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{address!r} is not host:port (an IPv6 address goes in brackets: [::1]:50051)")
    return host, int(port)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """`host`'s addresses: itself if an IP literal, else what the system resolver answers: its IPv4
    addresses, or its IPv6 ones when it has none (`localhost` is 127.0.0.1, not also ::1)."""
    if _is_ip(host):
        return [ipaddress.ip_address(host)]
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise ValueError(f"{host!r} does not resolve ({error}); use dns:///{host}:{port} to resolve it later") from None
    found = [ipaddress.ip_address(str(answer[4][0]).split("%")[0]) for answer in answers]
    v4: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [address for address in found if address.version == 4]
    return v4 or found


def _has_scheme(address: str) -> bool:
    return "://" in address or address.startswith(GRPC_SCHEMES)


def target(address: str) -> str:
    """The grpc target of an address setting (this module's docstring); ValueError for a malformed one."""
    address = address.strip()
    if _has_scheme(address):
        return address
    if "," not in address:
        _split(address)  # a malformed address fails when the channel is made, not at its first call
        return address
    endpoints: list[str] = []
    families: set[int] = set()
    for entry in (part.strip() for part in address.split(",")):
        if not entry:
            continue
        host, port = _split(entry)
        for ip in _resolve(host, port):
            families.add(ip.version)
            endpoint = f"{ip}:{port}" if ip.version == 4 else f"[{ip}]:{port}"
            if endpoint not in endpoints:
                endpoints.append(endpoint)
    if not endpoints:
        raise ValueError(f"{address!r} names no address")
    if len(families) > 1:
        raise ValueError(f"{address!r} mixes IPv4 and IPv6 addresses; list one family, or use a dns:/// name")
    return f"ipv{families.pop()}:{','.join(endpoints)}"
