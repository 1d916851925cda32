"""Who calls: principals (admin, editors, subscribers), their roles, status and entitlements."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Role(StrEnum):
    """Who holds an API key."""

    ADMIN = "admin"
    EDITOR = "editor"
    SUBSCRIBER = "subscriber"
    # A reporter's personal key (models/people.py): it may write drafts, never publish,
    # so every endpoint that lists the roles it admits refuses it unless it names it.
    REPORTER = "reporter"


MediaType = Literal["text", "pictures", "video"]


def _text_only() -> list[MediaType]:
    return ["text"]


class Entitlements(BaseModel):
    """What a subscriber may receive. An empty list means "all"."""

    model_config = ConfigDict(extra="forbid")

    categories: list[str] = Field(default_factory=list, description="Sections, e.g. World")
    languages: list[str] = Field(default_factory=list, description="Language codes, e.g. en")
    subjects: list[str] = Field(
        default_factory=list, description="IPTC Media Topic codes, e.g. medtop:11000000"
    )
    max_urgency: int = Field(
        9, ge=1, le=9, description="Only stories at least this urgent (1 = flash only, 9 = all)"
    )
    embargoed: bool = Field(False, description="Receive embargoed stories at once, marked withheld")
    # Text only unless pictures or video are bought: subscribers from before media
    # (their stored entitlements have no `media`) keep receiving what they paid for.
    media: list[MediaType] = Field(
        default_factory=_text_only,
        description="Media types bought: text (stories), pictures, video; empty means all",
    )


class PrincipalStatus(StrEnum):
    """Whether a principal's key works: only an active one does."""

    ACTIVE = "active"
    SUSPENDED = "suspended"  # an admin paused it; resuming restores the same key
    REVOKED = "revoked"
    DELETED = "deleted"  # gone from listings; its usage records stay for billing


@dataclass(frozen=True)
class Principal:
    """Whoever presented a valid key: its id, role, name and (for subscribers) entitlements."""

    id: str
    role: Role
    name: str
    entitlements: Entitlements = field(default_factory=Entitlements)
    format: str = "ninjs2"
    daily_quota: int | None = None  # full story versions per UTC day; None: unlimited
    status: PrincipalStatus = PrincipalStatus.ACTIVE
    # The hash of the key it authenticated with: a live stream opened with a key
    # that was since rotated away is cut (see access.py). Never shown.
    key_hash: str = field(default="", repr=False, compare=False)


@dataclass(frozen=True)
class SubscriberChange:
    """What an admin changes of a subscriber; None leaves a field as it is.

    The daily quota can be set to None (unlimited), so whether it changes is
    said apart, by `quota_changed`.
    """

    entitlements: Entitlements | None = None
    format: str | None = None
    daily_quota: int | None = None
    quota_changed: bool = False
