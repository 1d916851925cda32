"""Helpers every format shares: times in UTC, subject names, sections, word counts."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from newswire.models.stories import StoryVersion
from newswire.newsroom.vocab.mediatopics import MediaTopic, lookup

NEWSML_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# Scripts written without spaces between words, where each character is counted as a
# word (as word processors count Chinese and Japanese): Han ideographs and kana.
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN = re.compile(rf"[{_UNSPACED}]|[^\s{_UNSPACED}]+")
_HAS_WORD = re.compile(r"\w")


def iso_utc(moment: datetime) -> str:
    """Format a zoned time as ISO 8601 in UTC with a Z and whole seconds."""
    return moment.astimezone(UTC).strftime(NEWSML_DATE_FORMAT)


def iso_utc_exact(moment: datetime) -> str:
    """Format a zoned time in UTC with its microseconds when it has any.

    Versions filed within one second must not share a versionCreated.
    """
    utc = moment.astimezone(UTC)
    if not utc.microsecond:
        return utc.strftime(NEWSML_DATE_FORMAT)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def word_count(text: str) -> int:
    """Count the words of a text: runs between spaces, and each Han or kana character."""
    return sum(1 for token in _TOKEN.findall(text) if _HAS_WORD.search(token))


def media_topics(story: StoryVersion) -> list[MediaTopic]:
    """Return the known Media Topics of a story, in filing order (unknown codes dropped)."""
    topics = (lookup(code) for code in story.subjects)
    return [topic for topic in topics if topic is not None]


def section_paths(story: StoryVersion) -> list[str]:
    """Return each section with its breadcrumb, e.g. ["World", "World/Europe"]."""
    return ["/".join(story.categories[: depth + 1]) for depth in range(len(story.categories))]


def slugline(story: StoryVersion) -> str:
    """Return the slugline a story is sent with: the source's, else the story's slug."""
    return story.slugline or story.slug


def located_name(story: StoryVersion) -> str:
    """Return the place the content originates from: the located name, else the dateline."""
    return story.located or story.dateline


def signals(story: StoryVersion) -> list[str]:
    """Return the IPTC signals of a version: sig:update after the first, sig:correction."""
    if story.version <= 1:
        return []  # a first version updates and corrects nothing
    return ["sig:update", "sig:correction"] if story.is_correction else ["sig:update"]
