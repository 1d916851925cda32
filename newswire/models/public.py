"""The public portion as the site reads it: a story's public projection, and a listing query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newswire.models.slugs import section_paths


@dataclass(frozen=True)
class PublicStory:
    """What the public site may show of a story. It has no body by construction."""

    story_id: str
    slug: str
    language: str
    headline: str
    summary: str
    byline: str
    dateline: str
    categories: tuple[str, ...]
    subjects: tuple[str, ...]
    urgency: int
    first_published: datetime
    updated_at: datetime
    visible_from: datetime
    killed_at: datetime | None = None
    featured_media: str = ""  # the id of its featured picture, shown while usable

    @property
    def sections(self) -> list[str]:
        """Return the section paths of the story's breadcrumb."""
        return section_paths(self.categories)

    @property
    def is_killed(self) -> bool:
        """Tell whether the story was withdrawn."""
        return self.killed_at is not None


@dataclass(frozen=True)
class PublicQuery:
    """A listing of the public portion: what to filter on and which page."""

    now: datetime
    language: str | None = None
    section: str | None = None
    subject: str | None = None
    byline: str | None = None
    text: str | None = None
    limit: int = 20
    offset: int = 0
