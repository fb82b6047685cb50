"""Wires the gateway to the real services: one mutual-TLS channel and one generated stub per service, and the
gateway's own validator (gateway.validation) with its link to the revocation feed (gateway.revocation_link)."""

from __future__ import annotations

from dataclasses import dataclass, field

from grpc import aio
from grpc_health.v1 import health_pb2_grpc
from remotesignout.auth.v1 import auth_pb2_grpc
from remotesignout.device.v1 import device_pb2_grpc
from remotesignout.parental.v1 import parental_pb2_grpc

from common import validator as validators
from common.access_tokens import AccessTokenVerifier
from common.revocation_index import RevocationIndex
from common.tls import TlsIdentity
from common.validator import Validator, new_validator_id
from gateway.config import Settings
from gateway.revocation_link import RevocationLink, make_link
from gateway.validation import EdgeValidation, SigningKeys

SERVICES = ("auth_service", "device_service", "parental_service")


@dataclass
class Backends:
    """The services behind the gateway. Every unary call passes `timeout=backends.timeout`, except a revoking one
    (`revocation_timeout`)."""

    auth: auth_pb2_grpc.AuthServiceAsyncStub
    device: device_pb2_grpc.DeviceServiceAsyncStub
    parental: parental_pb2_grpc.ParentalServiceAsyncStub
    health: dict[str, health_pb2_grpc.HealthStub]
    settings: Settings
    edge: EdgeValidation
    link: RevocationLink
    channels: list[aio.Channel] = field(default_factory=list)

    @property
    def timeout(self) -> float:
        return self.settings.rpc_timeout_seconds

    @property
    def revocation_timeout(self) -> float:
        """A revoking call waits, after its commit, for every validator's acknowledgement or for its lease to run
        out: up to one lease more than any other call."""
        return self.settings.rpc_timeout_seconds + self.settings.validator_lease_seconds

    async def close(self) -> None:
        for open_channel in self.channels:
            await open_channel.close()


def bootstrap(settings: Settings, tls: TlsIdentity) -> Backends:
    """Open one mutual-TLS channel per service. Must run inside the event loop that uses them."""
    auth = tls.channel(settings.auth_address, "auth_service")
    device = tls.channel(settings.device_address, "device_service")
    parental = tls.channel(settings.parental_address, "parental_service")
    auth_stub = auth_pb2_grpc.AuthServiceStub(auth)
    verifier = AccessTokenVerifier({}, settings.access_token_ttl_seconds)
    keys = SigningKeys(
        auth_stub, verifier, refresh_seconds=settings.signing_keys_refresh_seconds, timeout=settings.rpc_timeout_seconds
    )
    validator = Validator(
        new_validator_id(settings.validator_name), RevocationIndex(), lease_ttl_seconds=settings.validator_lease_seconds
    )
    validators.export(validator)
    link = make_link(
        validator,
        auth_stub,
        timeout=settings.rpc_timeout_seconds,
        redis_url=settings.revocation_redis_url,
        redis_prefix=settings.revocation_redis_prefix,
    )
    return Backends(
        auth=auth_stub,
        device=device_pb2_grpc.DeviceServiceStub(device),
        parental=parental_pb2_grpc.ParentalServiceStub(parental),
        health={
            name: health_pb2_grpc.HealthStub(channel)
            for name, channel in zip(SERVICES, (auth, device, parental), strict=True)
        },
        settings=settings,
        edge=EdgeValidation(keys, validator),
        link=link,
        channels=[auth, device, parental],
    )
