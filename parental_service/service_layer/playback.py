"""Handlers: decide whether a profile may play a title, and end a playback."""

from __future__ import annotations

from common.errors import InvalidArgument
from parental_service.domain.decisions import Decision, decide
from parental_service.domain.playback import ActivePlayback
from parental_service.domain.titles import Title
from parental_service.service_layer.catalogue import TitleCatalogue
from parental_service.service_layer.ports import Clock
from parental_service.service_layer.rules import get_profile, load_rules
from parental_service.service_layer.unit_of_work import UnitOfWork


def decide_playback(
    uow: UnitOfWork,
    clock: Clock,
    catalogue: TitleCatalogue,
    account_id: str,
    profile_id: str,
    title_id: str,
    device_id: str,
    check_only: bool = False,
) -> tuple[Decision, Title]:
    """Decide now, with the rules as committed; an allowed playback becomes the device's
    (unless `check_only`, as for a download)."""
    if not device_id:
        raise InvalidArgument("A device_id is required to decide on playback.")
    now = clock()
    with uow:
        # Locked: a rule change of this profile meanwhile, on any replica, either comes first and is what
        # decides here, or comes after and stops this playback; it never misses it.
        profile = get_profile(uow, account_id, profile_id, lock=not check_only)
        title = catalogue.get(title_id)
        decision = decide(load_rules(uow, profile), title, device_id, now)
        if decision.allowed and not check_only:
            uow.playbacks.start(ActivePlayback(device_id, account_id, profile_id, title_id, now))
            uow.commit()
    return decision, title


def end_playback(uow: UnitOfWork, account_id: str, device_id: str) -> bool:
    with uow:
        playing = any(p.device_id == device_id for p in uow.playbacks.list_for_account(account_id))
        if playing:
            uow.playbacks.stop([device_id])
            uow.commit()
    return playing
