"""Profiles of an account and the rules for creating them."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from common.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound

MAX_PROFILES = 5
MAX_NAME_LENGTH = 50


class ProfileKind(enum.Enum):
    OWNER = "owner"
    STANDARD = "standard"
    KIDS = "kids"


class MaturityLevel(enum.IntEnum):
    """The highest rating a profile may watch; a higher value allows more."""

    ALL = 1
    SEVEN_PLUS = 2
    THIRTEEN_PLUS = 3
    SIXTEEN_PLUS = 4
    EIGHTEEN_PLUS = 5

    @property
    def label(self) -> str:
        return {1: "all", 2: "7+", 3: "13+", 4: "16+", 5: "18+"}[self.value]

    @classmethod
    def from_label(cls, label: str) -> MaturityLevel:
        for level in cls:
            if level.label == label:
                return level
        raise InvalidArgument(f"Unknown maturity rating {label!r}; use all, 7+, 13+, 16+ or 18+.")


@dataclass
class Profile:
    profile_id: str
    account_id: str
    name: str
    kind: ProfileKind
    maturity_level: MaturityLevel
    created_at: int
    position: int = 0
    pin_hash: str | None = None
    failed_pin_attempts: int = 0
    locked_until: int | None = None

    @property
    def is_owner(self) -> bool:
        return self.kind is ProfileKind.OWNER

    @property
    def has_pin(self) -> bool:
        return self.pin_hash is not None


def profile_not_found() -> NotFound:
    return NotFound("No such profile on this account.", reason="profile_not_found")


def clean_name(name: str) -> str:
    """The name without surrounding spaces; 1 to 50 characters or InvalidArgument."""
    cleaned = name.strip()
    if not 1 <= len(cleaned) <= MAX_NAME_LENGTH:
        raise InvalidArgument(f"A profile name is 1 to {MAX_NAME_LENGTH} characters.", reason="invalid_profile_name")
    return cleaned


def name_key(name: str) -> str:
    """Names are unique per account regardless of case."""
    return name.casefold()


def ensure_name_free(existing: list[Profile], name: str, except_profile_id: str = "") -> None:
    key = name_key(name)
    if any(name_key(p.name) == key and p.profile_id != except_profile_id for p in existing):
        raise AlreadyExists(f"This account already has a profile named {name!r}.", reason="profile_name_taken")


def default_maturity(kind: ProfileKind) -> MaturityLevel:
    return MaturityLevel.SEVEN_PLUS if kind is ProfileKind.KIDS else MaturityLevel.EIGHTEEN_PLUS


def new_profile(
    existing: list[Profile],
    *,
    profile_id: str,
    account_id: str,
    name: str,
    kind: ProfileKind | None,
    maturity_level: MaturityLevel | None,
    now: int,
) -> Profile:
    """A new profile for an account that already has `existing`.

    The first profile is the owner's (kind unset or OWNER); later profiles are
    STANDARD unless asked for KIDS, and never a second OWNER.
    """
    if not account_id:
        raise InvalidArgument("An account_id is required.")
    cleaned = clean_name(name)
    if len(existing) >= MAX_PROFILES:
        raise FailedPrecondition(
            f"An account has at most {MAX_PROFILES} profiles; delete one to add another.", reason="profile_limit"
        )
    ensure_name_free(existing, cleaned)
    if not existing:
        if kind not in (None, ProfileKind.OWNER):
            raise FailedPrecondition(
                "An account's first profile is the owner's; create it before standard or kids profiles.",
                reason="owner_profile_first",
            )
        kind = ProfileKind.OWNER
    elif kind is ProfileKind.OWNER:
        raise FailedPrecondition("This account already has an owner profile.", reason="owner_profile_exists")
    elif kind is None:
        kind = ProfileKind.STANDARD
    return Profile(
        profile_id=profile_id,
        account_id=account_id,
        name=cleaned,
        kind=kind,
        maturity_level=maturity_level or default_maturity(kind),
        created_at=now,
        position=max((p.position for p in existing), default=0) + 1,
    )


def owner_first(profiles: list[Profile]) -> list[Profile]:
    return sorted(profiles, key=lambda p: (not p.is_owner, p.position))
