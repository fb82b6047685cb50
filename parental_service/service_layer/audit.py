"""Recording and reading the audit trail of parental controls."""

from __future__ import annotations

from common.errors import InvalidArgument
from common.numbers import whole_number
from parental_service.domain.audit import Actor, AuditEvent
from parental_service.domain.profiles import Profile
from parental_service.service_layer.catalogue import page_size_or_default
from parental_service.service_layer.unit_of_work import UnitOfWork


def record(
    uow: UnitOfWork, now: int, profile: Profile, change: str, old_value: object, new_value: object, actor: Actor
) -> None:
    uow.audit.append(
        AuditEvent(profile.account_id, profile.profile_id, now, change, str(old_value), str(new_value), actor)
    )


def list_audit_events(
    uow: UnitOfWork, account_id: str, profile_id: str, page_size: int, page_token: str
) -> tuple[list[AuditEvent], str]:
    """A page of events, newest first, and the token of the next (older) page."""
    size = page_size_or_default(page_size)
    before = whole_number(page_token) if page_token else None
    if page_token and before is None:
        raise InvalidArgument("That page_token is not one this service gave out.")
    with uow:
        events = uow.audit.newest_first(account_id, profile_id, before, size + 1)
    page = events[:size]
    return page, str(page[-1].event_id) if len(events) > size else ""
