"""What every use case needs, wired once by bootstrap()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from common.clock import now_us
from device_service.service_layer.ports import Locator, UnitOfWork

MICROS_PER_DAY = 86_400 * 1_000_000


@dataclass(frozen=True)
class Dependencies:
    """The unit of work factory, the locator, the clock and the inactivity window."""

    uow: Callable[[], UnitOfWork]
    locator: Locator
    clock: Callable[[], int] = now_us
    inactive_days: int = 90

    @property
    def inactive_after_us(self) -> int:
        return self.inactive_days * MICROS_PER_DAY
