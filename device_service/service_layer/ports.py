"""What device_service's handlers need besides the unit of work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from device_service.domain.model import Location

Clock = Callable[[], int]
"""Microseconds since the epoch (common.clock.now_us)."""


class Locator(Protocol):
    """Turns an IP address into an approximate location (adapters.geoip)."""

    def locate(self, ip_address: str) -> Location: ...
