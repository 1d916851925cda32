"""The domain's nouns: story versions, log events, principals and their entitlements.

These are plain values. Storage turns rows into them, formats turn them into
bytes, the entitlement check reads them; none of them knows about HTTP or SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


def utcnow() -> datetime:
    """Return the current time in UTC.

    Microseconds are kept so that stories filed within one second still sort in
    filing order; the formats print whole seconds.
    """
    return datetime.now(UTC)


class EventType(StrEnum):
    """What happened to a story; the `type` of a log event."""

    PUBLISHED = "story.published"
    UPDATED = "story.updated"
    CORRECTED = "story.corrected"
    KILLED = "story.killed"
    EMBARGO_CHANGED = "story.embargo_changed"
    RELEASED = "story.released"


class PubStatus(StrEnum):
    """IPTC publishing status (http://cv.iptc.org/newscodes/pubstatusg2/)."""

    USABLE = "usable"
    WITHHELD = "withheld"
    CANCELED = "canceled"


class Role(StrEnum):
    """Who holds an API key."""

    ADMIN = "admin"
    EDITOR = "editor"
    SUBSCRIBER = "subscriber"


URGENCY_NAMES = {1: "flash", 2: "urgent", 3: "important"}


def urgency_name(urgency: int) -> str:
    """Return the agency's word for an urgency level: flash, urgent, important or routine."""
    return URGENCY_NAMES.get(urgency, "routine")


@dataclass(frozen=True)
class StoryVersion:
    """One version of a story, exactly as filed (after sanitizing) plus what the wire derived."""

    story_id: str
    version: int
    guid: str
    slug: str
    headline: str
    summary: str
    body_html: str
    byline: str
    dateline: str
    categories: tuple[str, ...]
    subjects: tuple[str, ...]
    urgency: int
    language: str
    public: bool
    pubstatus: PubStatus
    first_created: datetime
    version_created: datetime
    embargoed_until: datetime | None = None
    ednote: str = ""
    genre: str = ""
    source: str = ""
    public_summary: str = ""
    change: EventType = EventType.PUBLISHED  # what filing this version was

    @property
    def is_correction(self) -> bool:
        """Tell whether this version was filed as a correction."""
        return self.change is EventType.CORRECTED

    @property
    def is_killed(self) -> bool:
        """Tell whether this version withdraws the story."""
        return self.pubstatus is PubStatus.CANCELED

    def embargoed_at(self, now: datetime) -> bool:
        """Tell whether the story is still under embargo at `now`."""
        return self.embargoed_until is not None and self.embargoed_until > now


@dataclass(frozen=True)
class Event:
    """One entry of the ordered log: a gapless sequence number and what it records."""

    seq: int
    type: EventType
    story_id: str
    version: int
    created_at: datetime


@dataclass(frozen=True)
class LogEntry:
    """A log event together with the story version it describes."""

    event: Event
    story: StoryVersion


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
