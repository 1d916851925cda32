"""The ordered log as every channel reads it: entries after a cursor, and stories' histories.

Log entries and the story versions they point to never change once written,
so reads are answered from the process's `LogCache` where it holds the whole
stretch without a gap; the rest, at the head of the log, always comes from the
database, so nothing committed since is missed, on any node.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from newswire.models.stories import Event, EventType, LogEntry
from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.log_cache import LogCache
from newswire.storage.tables import events, log_counter, stories, story_versions


def _log_select() -> sa.Select[Any]:
    return (
        sa.select(
            events.c.seq,
            events.c.type,
            events.c.created_at.label("event_created_at"),
            *rows.STORY_COLUMNS,
        )
        .join(
            story_versions,
            sa.and_(
                story_versions.c.story_id == events.c.story_id,
                story_versions.c.version == events.c.version,
            ),
        )
        .join(stories, stories.c.id == events.c.story_id)
    )


def _log_entry(row: Any) -> LogEntry:
    story = rows.story_from_row(row)
    event = Event(
        seq=row["seq"],
        type=EventType(row["type"]),
        story_id=story.story_id,
        version=story.version,
        created_at=rows.py_time(row["event_created_at"]),
    )
    return LogEntry(event, story)


class SQLLogStore:
    """Reads of the log: a stretch after a cursor, stories' earlier entries, the head."""

    def __init__(self, db: Connections) -> None:
        self._db = db
        # The log is immutable once written: repeated reads are answered from memory.
        self._cache = LogCache()

    async def entries_after(self, seq: int, limit: int) -> list[LogEntry]:
        """Return up to limit log entries with seq greater than the given one, in order."""
        cached = self._cache.stretch(seq, limit)
        if len(cached) == limit:
            return cached
        after = cached[-1].event.seq if cached else seq
        async with self._db.read() as conn:
            result = await conn.execute(
                _log_select()
                .where(events.c.seq > after)
                .order_by(events.c.seq)
                .limit(limit - len(cached))
            )
            entries = [_log_entry(row) for row in result.mappings()]
        self._cache.keep(entries)
        return cached + entries

    async def entries_for_story(self, story_id: str, before_seq: int) -> list[LogEntry]:
        """Return a story's log entries before a sequence number, in order."""
        return await self.entries_for_stories([story_id], before_seq)

    async def entries_for_stories(
        self, story_ids: Sequence[str], before_seq: int
    ) -> list[LogEntry]:
        """Return the log entries of several stories before a sequence number, in log order."""
        found: list[LogEntry] = []
        missing = []
        for story_id in story_ids:
            history = self._cache.history(story_id, before_seq)
            if history is None:
                missing.append(story_id)
            else:
                found.extend(history)
        if missing:
            async with self._db.read() as conn:
                result = await conn.execute(
                    _log_select()
                    .where(events.c.story_id.in_(missing), events.c.seq < before_seq)
                    .order_by(events.c.seq)
                )
                entries = [_log_entry(row) for row in result.mappings()]
            self._cache.keep_histories(missing, before_seq, entries)
            found.extend(entries)
        return sorted(found, key=lambda entry: entry.event.seq)

    async def last_seq(self) -> int:
        """Return the highest sequence number in the log (0 when empty)."""
        async with self._db.read() as conn:
            return int(await conn.scalar(sa.select(log_counter.c.last_seq)) or 0)
