"""Wires the gateway's clients to the real services; tests point the addresses at fakes."""

from __future__ import annotations

from dataclasses import dataclass, field

from grpc import aio

from common.tls import TlsIdentity
from gateway.adapters.auth_client import AuthClient
from gateway.adapters.device_client import DeviceClient
from gateway.adapters.health_client import HealthClient
from gateway.adapters.parental_client import ParentalClient
from gateway.config import Settings


@dataclass
class Backends:
    """The services behind the gateway, one client each."""

    auth: AuthClient
    device: DeviceClient
    parental: ParentalClient
    health: dict[str, HealthClient]
    settings: Settings
    channels: list[aio.Channel] = field(default_factory=list)

    async def close(self) -> None:
        for open_channel in self.channels:
            await open_channel.close()


def bootstrap(settings: Settings, tls: TlsIdentity) -> Backends:
    """Open one mutual-TLS channel per service. Must run inside the event loop that uses them."""
    timeout = settings.rpc_timeout_seconds
    auth_channel = tls.channel(settings.auth_address, "auth_service")
    device_channel = tls.channel(settings.device_address, "device_service")
    parental_channel = tls.channel(settings.parental_address, "parental_service")
    return Backends(
        auth=AuthClient(auth_channel, timeout),
        device=DeviceClient(device_channel, timeout),
        parental=ParentalClient(parental_channel, timeout),
        health={
            "auth_service": HealthClient(auth_channel, timeout),
            "device_service": HealthClient(device_channel, timeout),
            "parental_service": HealthClient(parental_channel, timeout),
        },
        settings=settings,
        channels=[auth_channel, device_channel, parental_channel],
    )
