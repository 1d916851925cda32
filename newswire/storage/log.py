"""The ordered log as every channel reads it: entries after a cursor, and stories' histories.

Log entries and the story versions they point to never change once written,
so reads are answered from the process's `LogCache` where it holds the whole
stretch without a gap; the rest, at the head of the log, always comes from the
database, so nothing committed since is missed, on any node.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from newswire.models.stories import Attached, Event, EventType, LogEntry, media_log_header
from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.log_cache import LogCache
from newswire.storage.media import MEDIA_COLUMNS, media_from_row
from newswire.storage.tables import events, log_counter, stories, story_versions
from newswire.storage.tables_media import media_events, media_items, media_versions


def _joined_log(
    log: sa.Table, versions: sa.Table, heads: sa.Table, item: str, columns: Iterable[Any]
) -> sa.Select[Any]:
    """Select a log's events with the version each names and its item's head row."""
    return (
        sa.select(
            log.c.seq,
            log.c.type,
            log.c.created_at.label("event_created_at"),
            *columns,
        )
        .join(
            versions,
            sa.and_(versions.c[item] == log.c[item], versions.c.version == log.c.version),
        )
        .join(heads, heads.c.id == log.c[item])
    )


def _log_select() -> sa.Select[Any]:
    return _joined_log(events, story_versions, stories, "story_id", rows.STORY_COLUMNS)


def _media_log_select() -> sa.Select[Any]:
    # Pictures and video take their seq from the same counter (storage/media.py).
    return _joined_log(media_events, media_versions, media_items, "media_id", MEDIA_COLUMNS)


def _media_log_entry(row: Any) -> LogEntry:
    media = media_from_row(row)
    return LogEntry(_event(row, media.media_id, media.version), media_log_header(media), media)


def _event(row: Any, item_id: str, version: int) -> Event:
    """Return the event of a joined log row (its item's id and version read by the caller)."""
    return Event(
        seq=row["seq"],
        type=EventType(row["type"]),
        story_id=item_id,
        version=version,
        created_at=rows.py_time(row["event_created_at"]),
    )


def _merged(*parts: list[LogEntry]) -> list[LogEntry]:
    return sorted((entry for part in parts for entry in part), key=lambda e: e.event.seq)


async def _attach(conn: Any, entries: list[LogEntry]) -> list[LogEntry]:
    """Give story entries their media as it stood at each event (immutable, so cacheable)."""
    wanted = {ref.id for entry in entries for ref in entry.story.media}
    if not wanted:
        return entries
    last = max(entry.event.seq for entry in entries)
    result = await conn.execute(
        _media_log_select()
        .where(media_events.c.media_id.in_(sorted(wanted)), media_events.c.seq < last)
        .order_by(media_events.c.seq)
    )
    history: dict[str, list[LogEntry]] = {}
    for row in result.mappings():
        media_entry = _media_log_entry(row)
        history.setdefault(media_entry.event.story_id, []).append(media_entry)
    attached = []
    for entry in entries:
        found = []
        for ref in entry.story.media:
            earlier = [e.media for e in history.get(ref.id, []) if e.event.seq < entry.event.seq]
            media = earlier[-1] if earlier else None
            if media is not None and media.shown_with_stories(entry.event.created_at):
                found.append(Attached(ref.rel, media))
        attached.append(dataclasses.replace(entry, attached=tuple(found)) if found else entry)
    return attached


def _log_entry(row: Any) -> LogEntry:
    story = rows.story_from_row(row)
    return LogEntry(_event(row, story.story_id, story.version), story)


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
            entries = await self._read_after(conn, after, limit - len(cached))
        self._cache.keep(entries)
        return cached + entries

    async def _read_after(self, conn: Any, after: int, limit: int) -> list[LogEntry]:
        # One statement finds the next seqs of stories and media alike, so it sees one
        # snapshot of the log: two separate reads could miss a story committed between
        # them. The rows they point to never change, so the next reads are safe.
        union = sa.union_all(
            sa.select(events.c.seq, sa.literal("story").label("item")).where(events.c.seq > after),
            sa.select(media_events.c.seq, sa.literal("media").label("item")).where(
                media_events.c.seq > after
            ),
        ).subquery()
        found = (
            await conn.execute(
                sa.select(union.c.seq, union.c.item).order_by(union.c.seq).limit(limit)
            )
        ).all()
        story_seqs = [seq for seq, item in found if item == "story"]
        media_seqs = [seq for seq, item in found if item == "media"]
        story_entries: list[LogEntry] = []
        media_entries: list[LogEntry] = []
        if story_seqs:
            result = await conn.execute(_log_select().where(events.c.seq.in_(story_seqs)))
            story_entries = await _attach(conn, [_log_entry(row) for row in result.mappings()])
        if media_seqs:
            result = await conn.execute(
                _media_log_select().where(media_events.c.seq.in_(media_seqs))
            )
            media_entries = [_media_log_entry(row) for row in result.mappings()]
        return _merged(story_entries, media_entries)

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
                entries = await _attach(conn, [_log_entry(row) for row in result.mappings()])
                result = await conn.execute(
                    _media_log_select()
                    .where(media_events.c.media_id.in_(missing), media_events.c.seq < before_seq)
                    .order_by(media_events.c.seq)
                )
                entries = _merged(entries, [_media_log_entry(row) for row in result.mappings()])
            self._cache.keep_histories(missing, before_seq, entries)
            found.extend(entries)
        return sorted(found, key=lambda entry: entry.event.seq)

    async def last_seq(self) -> int:
        """Return the highest sequence number in the log (0 when empty)."""
        async with self._db.read() as conn:
            return int(await conn.scalar(sa.select(log_counter.c.last_seq)) or 0)
