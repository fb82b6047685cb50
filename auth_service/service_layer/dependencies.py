"""What the handlers are called with, built once by auth_service.bootstrap."""

from __future__ import annotations

from dataclasses import dataclass

from auth_service.domain.model import Rules
from auth_service.service_layer.ports import Clock, DeviceRegistry, Locator, TokenCodec
from auth_service.service_layer.session_events import SessionEvents
from auth_service.service_layer.throttle import Throttle
from auth_service.service_layer.unit_of_work import UnitOfWorkFactory
from common.revocation_index import RevocationIndex
from common.validator import Validator


@dataclass(frozen=True)
class Dependencies:
    uow: UnitOfWorkFactory  # a fresh unit of work per call
    codec: TokenCodec
    index: RevocationIndex
    events: SessionEvents
    devices: DeviceRegistry
    rules: Rules
    clock: Clock
    throttle: Throttle
    locator: Locator
    """An address's approximate location (what an approver of a device code sees)."""
    validator: Validator | None = None
    """Cluster mode: this replica's Validator (fed from Redis); token checks refuse while it is not current.
    None embedded: the index here is the source, always current."""
