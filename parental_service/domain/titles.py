"""Titles of the catalogue and their maturity ratings."""

from __future__ import annotations

from dataclasses import dataclass

from common.errors import NotFound
from parental_service.domain.profiles import MaturityLevel


@dataclass(frozen=True)
class Title:
    title_id: str
    name: str
    maturity_rating: MaturityLevel


def title_not_found() -> NotFound:
    return NotFound("No such title in the catalogue.", reason="title_not_found")
