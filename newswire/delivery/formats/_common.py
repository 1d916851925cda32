"""Helpers every format shares: times in UTC, subject names, sections, plain-text body."""

from __future__ import annotations

from datetime import UTC, datetime

from newswire.models.stories import StoryVersion
from newswire.newsroom.vocab.mediatopics import MediaTopic, lookup

NEWSML_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def iso_utc(moment: datetime) -> str:
    """Format a zoned time as ISO 8601 in UTC with a Z and whole seconds."""
    return moment.astimezone(UTC).strftime(NEWSML_DATE_FORMAT)


def media_topics(story: StoryVersion) -> list[MediaTopic]:
    """Return the known Media Topics of a story, in filing order (unknown codes dropped)."""
    topics = (lookup(code) for code in story.subjects)
    return [topic for topic in topics if topic is not None]


def section_paths(story: StoryVersion) -> list[str]:
    """Return each section with its breadcrumb, e.g. ["World", "World/Europe"]."""
    return ["/".join(story.categories[: depth + 1]) for depth in range(len(story.categories))]
