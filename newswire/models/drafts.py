"""Drafts on the desk: stories being written and checked, before (and between) filings.

A draft is not on the wire: the log stays the record of what went out. It
holds the editor's fields as typed (checked by the one gate, `StoryDraft`,
only when it is submitted or filed), a stage on its desk, a version that
grows with every save (so a save against an older one is refused), and a
lock that says who is editing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class DraftStatus(StrEnum):
    """Where a draft stands: its author's own, on a desk, on the wire, or spiked."""

    DRAFT = "draft"  # in its author's "my drafts", not yet on a desk
    SUBMITTED = "submitted"  # on its desk, at a stage
    PUBLISHED = "published"  # filed: its story is on the wire (later edits file updates)
    SPIKED = "spiked"  # taken off the desk; a chief can restore it


@dataclass(frozen=True)
class Staff:
    """A person working the desk, as the desk's rules need them."""

    id: str  # their principal's id: the same in the desk and with their personal key
    name: str
    may_publish: bool  # editor, chief or admin
    is_chief: bool = False


@dataclass(frozen=True)
class Lock:
    """Who is editing a draft, and until when (each save pushes the time on)."""

    holder_id: str
    holder_name: str
    until: datetime


@dataclass(frozen=True)
class Draft:
    """One draft, with what it holds and where it is."""

    id: str
    story_id: str | None
    desk: str
    stage: str
    status: DraftStatus
    fields: dict[str, Any]
    version: int
    author_id: str
    author_name: str
    editor_id: str
    editor_name: str
    created_at: datetime
    updated_at: datetime
    lock: Lock | None = None
    filed_version: int | None = None

    @property
    def headline(self) -> str:
        """The headline as typed so far."""
        return str(self.fields.get("headline", ""))

    @property
    def urgency(self) -> int:
        """The urgency as chosen so far (4, routine, when not a number)."""
        value = self.fields.get("urgency", 4)
        return value if isinstance(value, int) else 4

    def locked_for(self, staff_id: str, now: datetime) -> Lock | None:
        """Return the lock that keeps `staff_id` from editing, or None when they may."""
        if self.lock is None or self.lock.until <= now or self.lock.holder_id == staff_id:
            return None
        return self.lock


@dataclass(frozen=True)
class HistoryEntry:
    """One thing that happened to a draft: who, when, what."""

    at: datetime
    action: str  # created, submitted, moved, published, updated, corrected, embargoed, ...
    person_id: str
    person_name: str
    detail: str = ""


@dataclass(frozen=True)
class Template:
    """A story a new draft can start from: its fields, and who made it when."""

    id: str
    name: str
    fields: dict[str, Any]
    created_by: str
    created_at: datetime
