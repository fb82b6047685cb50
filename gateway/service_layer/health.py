"""Whether the services behind the gateway are serving."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Protocol


class HealthCheck(Protocol):
    async def status(self) -> str: ...


async def backend_statuses(checks: Mapping[str, HealthCheck]) -> dict[str, str]:
    names = list(checks)
    statuses = await asyncio.gather(*(checks[name].status() for name in names))
    return dict(zip(names, statuses, strict=True))


def all_serving(statuses: Mapping[str, str]) -> bool:
    return all(status == "SERVING" for status in statuses.values())
