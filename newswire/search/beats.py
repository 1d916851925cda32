"""Saved searches, and following one as a feed or stream: a newsroom's beat.

A saved search is a name and the parameters of a search. Followed through
`GET /v1/feed?search=ID` (or the stream, or the WebSocket), it narrows what
the caller already receives from the log: an event passes when its story
version matches the search, or when an earlier version of the same story
did, so a story on the beat is followed through its updates, corrections and
kill even when a later version no longer matches the words.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from newswire.models.stories import LogEntry, StoryVersion
from newswire.search.folding import fold
from newswire.search.matching import SearchDocument, matches_query
from newswire.search.params import SearchParams, compile_search
from newswire.search.query import Node
from newswire.search.request import SearchFilters

History = Callable[[str, int], Awaitable[list[LogEntry]]]


@dataclass(frozen=True)
class SavedSearch:
    """A search a principal keeps under a name."""

    id: str
    principal_id: str
    name: str
    params: SearchParams
    created_at: datetime


def _language_ok(filters: SearchFilters, language: str) -> bool:
    wanted = {each.casefold() for each in filters.languages}
    folded = language.casefold()
    return folded in wanted or folded.split("-")[0] in wanted


def passes_filters(filters: SearchFilters, story: StoryVersion) -> bool:
    """Tell whether a story version meets the filters of a search (Python's reading of them)."""
    if filters.categories and not (
        {c.casefold() for c in filters.categories} & {c.casefold() for c in story.categories}
    ):
        return False
    if filters.subjects and not set(filters.subjects) & set(story.subjects):
        return False
    if filters.languages and not _language_ok(filters, story.language):
        return False
    if not filters.urgency_min <= story.urgency <= filters.urgency_max:
        return False
    if filters.published_from and story.first_created < filters.published_from:
        return False
    if filters.published_to and story.first_created >= filters.published_to:
        return False
    if filters.byline and filters.byline not in fold(story.byline):
        return False
    return not filters.located or filters.located in fold(story.dateline)


class Beat:
    """Decides which of a reader's deliveries belong to a saved search."""

    def __init__(self, search: SavedSearch, history: History) -> None:
        self.search = search
        self.query: Node | None
        self.query, self.filters = compile_search(search.params)
        self._history = history
        self._on_beat: dict[str, bool] = {}

    def matches(self, story: StoryVersion) -> bool:
        """Tell whether one story version matches the search."""
        return passes_filters(self.filters, story) and matches_query(
            self.query, SearchDocument.of(story)
        )

    async def admits(self, entry: LogEntry) -> bool:
        """Tell whether a log entry belongs on the beat (call only for entries delivered)."""
        story_id = entry.story.story_id
        if self.matches(entry.story):
            self._on_beat[story_id] = True
            return True
        if story_id not in self._on_beat:
            earlier = await self._history(story_id, entry.event.seq)
            self._on_beat[story_id] = any(self.matches(each.story) for each in earlier)
        return self._on_beat[story_id]
