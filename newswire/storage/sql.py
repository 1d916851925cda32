"""The storage contract implemented once in SQLAlchemy Core for SQLite and PostgreSQL.

Dialect subclasses (`sqlite.py`, `postgres.py`) only say how to connect, how
writes are serialized, and how text search works. Everything else, including
the gapless log, is the same SQL on both.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from newswire.models.clock import utcnow
from newswire.models.public import PublicQuery, PublicStory
from newswire.models.stories import Event, EventType, LogEntry, StoryVersion
from newswire.search.folding import index_text, words
from newswire.storage import rows
from newswire.storage.account_store import AccountStore
from newswire.storage.base import Unavailable, VersionConflict
from newswire.storage.embargo_store import EmbargoQueries
from newswire.storage.log_cache import LogCache
from newswire.storage.migrations import MIGRATIONS
from newswire.storage.principal_store import PrincipalStore
from newswire.storage.public_store import PublicStore
from newswire.storage.search_store import SearchStore
from newswire.storage.tables import (
    events,
    log_counter,
    public_stories,
    public_story_sections,
    schema_migrations,
    stories,
    story_versions,
)
from newswire.storage.usage_store import UsageStore
from newswire.storage.webhook_store import WebhookStore

SEARCH_INDEX_MIGRATION = 6
PUBLIC_WORDS_MIGRATION = 8
_STORY_COLUMNS = [column for column in story_versions.c] + [stories.c.slug, stories.c.guid]


class SQLStorage(
    PrincipalStore,
    PublicStore,
    EmbargoQueries,
    WebhookStore,
    SearchStore,
    AccountStore,
    UsageStore,
):
    """Storage over an SQLAlchemy async engine; subclasses pick the dialect details."""

    dialect = "sql"

    def __init__(self, read_engine: AsyncEngine, write_engine: AsyncEngine) -> None:
        self._read_engine = read_engine
        self._write_engine = write_engine
        # The log is immutable once written: repeated reads are answered from memory.
        self._log_cache = LogCache()

    # Connections -------------------------------------------------------------

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncConnection]:
        """Open a write transaction; subclasses serialize writers as their engine needs."""
        try:
            async with self._write_engine.begin() as conn:
                yield conn
        except (OperationalError, DBAPIError, OSError) as error:
            if _is_connection_problem(error):
                raise Unavailable(str(error)) from error
            raise

    @asynccontextmanager
    async def _read(self) -> AsyncIterator[AsyncConnection]:
        try:
            async with self._read_engine.connect() as conn:
                yield conn
        except (OperationalError, DBAPIError, OSError) as error:
            if _is_connection_problem(error):
                raise Unavailable(str(error)) from error
            raise

    async def _lock_for_migrations(self, conn: AsyncConnection) -> None:
        """Keep two processes from migrating at once (no-op where writes are serialized)."""

    async def close(self) -> None:
        """Release connections."""
        await self._read_engine.dispose()
        if self._write_engine is not self._read_engine:
            await self._write_engine.dispose()

    async def ping(self) -> None:
        """Raise Unavailable when the database does not answer."""
        async with self._read() as conn:
            await conn.execute(sa.text("SELECT 1"))

    async def migrate(self) -> list[int]:
        """Apply pending migrations in order, each in its own transaction."""
        applied: list[int] = []
        async with self._write() as conn:
            await conn.execute(
                sa.text(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
            )
        for migration in sorted(MIGRATIONS, key=lambda m: m.version):
            async with self._write() as conn:
                await self._lock_for_migrations(conn)
                done = await conn.scalar(
                    sa.select(schema_migrations.c.version).where(
                        schema_migrations.c.version == migration.version
                    )
                )
                if done is not None:
                    continue
                for statement in migration.statements_for(self.dialect):
                    await conn.execute(sa.text(statement))
                await conn.execute(
                    schema_migrations.insert().values(
                        version=migration.version,
                        name=migration.name,
                        applied_at=rows.db_time(utcnow()),
                    )
                )
                applied.append(migration.version)
        if PUBLIC_WORDS_MIGRATION in applied:
            await self._fold_public_words()
        if SEARCH_INDEX_MIGRATION in applied:
            # The index is built from folded text, which only Python makes.
            await self.rebuild_search_index(self.current_story)
        return applied

    # Stories and the log -------------------------------------------------------

    async def _next_seq(self, conn: AsyncConnection) -> int:
        # The counter row is locked until commit, so sequence numbers are handed
        # out in commit order and a rollback gives its number back: no gaps.
        seq = await conn.scalar(
            log_counter.update()
            .where(log_counter.c.id == 1)
            .values(last_seq=log_counter.c.last_seq + 1)
            .returning(log_counter.c.last_seq)
        )
        assert seq is not None
        return int(seq)

    async def _append(
        self, conn: AsyncConnection, story_id: str, version: int, event_type: EventType
    ) -> Event:
        seq = await self._next_seq(conn)
        event = Event(seq, event_type, story_id, version, utcnow())
        await conn.execute(
            events.insert().values(
                seq=seq,
                type=event_type.value,
                story_id=story_id,
                version=version,
                created_at=rows.db_time(event.created_at),
            )
        )
        return event

    async def save_story_version(
        self, story: StoryVersion, event_type: EventType, public: PublicStory | None
    ) -> Event:
        """Store a version, append its event and update the public portion, atomically."""
        async with self._write() as conn:
            current = await conn.scalar(
                sa.select(stories.c.current_version).where(stories.c.id == story.story_id)
            )
            # Versions only grow: the wire files current + 1; an ingested item may
            # skip numbers to follow its source's versions.
            if story.version <= (current or 0) or (current is None and story.version < 1):
                raise VersionConflict(
                    f"story {story.story_id} is at version {current or 0}, "
                    f"cannot file version {story.version}"
                )
            if current is None:
                await conn.execute(
                    stories.insert().values(
                        id=story.story_id,
                        slug=story.slug,
                        guid=story.guid,
                        current_version=story.version,
                        pubstatus=story.pubstatus.value,
                        first_created=rows.db_time(story.first_created),
                        updated_at=rows.db_time(story.version_created),
                    )
                )
            else:
                # The WHERE on the old version makes a concurrent writer on another
                # node lose cleanly instead of overwriting.
                result = await conn.execute(
                    stories.update()
                    .where(stories.c.id == story.story_id, stories.c.current_version == current)
                    .values(
                        current_version=story.version,
                        pubstatus=story.pubstatus.value,
                        updated_at=rows.db_time(story.version_created),
                    )
                )
                if result.rowcount != 1:
                    raise VersionConflict(f"story {story.story_id} changed while filing")
            await conn.execute(story_versions.insert().values(**rows.story_version_values(story)))
            event = await self._append(conn, story.story_id, story.version, event_type)
            await self._project_public(conn, story.story_id, public)
            await self._index_story(conn, story, event.seq)
        return event

    async def replace_public_projection(self, story_id: str, public: PublicStory | None) -> None:
        """Rewrite one story's public projection (after the site's rules changed)."""
        async with self._write() as conn:
            await self._project_public(conn, story_id, public)

    async def story_ids(self) -> list[str]:
        """Return the id of every story, oldest first."""
        async with self._read() as conn:
            result = await conn.execute(
                sa.select(stories.c.id).order_by(stories.c.first_created, stories.c.id)
            )
            return [str(story_id) for (story_id,) in result.all()]

    async def _project_public(
        self, conn: AsyncConnection, story_id: str, public: PublicStory | None
    ) -> None:
        await conn.execute(
            public_story_sections.delete().where(public_story_sections.c.story_id == story_id)
        )
        await conn.execute(public_stories.delete().where(public_stories.c.story_id == story_id))
        if public is None:
            return
        await conn.execute(public_stories.insert().values(**rows.public_story_values(public)))
        sections = [{"story_id": story_id, "section": path} for path in public.sections]
        if sections:
            await conn.execute(public_story_sections.insert(), sections)

    async def _fold_public_words(self) -> None:
        """Fill public_stories.search_words for rows written before migration 8."""
        async with self._write() as conn:
            result = await conn.execute(
                sa.select(
                    public_stories.c.story_id, public_stories.c.headline, public_stories.c.summary
                )
            )
            for story_id, headline, summary in result.all():
                await conn.execute(
                    public_stories.update()
                    .where(public_stories.c.story_id == story_id)
                    .values(search_words=index_text(f"{headline} {summary}"))
                )

    async def append_event(self, story_id: str, version: int, event_type: EventType) -> Event:
        """Append an event about an existing version (e.g. an embargo release)."""
        async with self._write() as conn:
            return await self._append(conn, story_id, version, event_type)

    def _story_query(self) -> sa.Select[Any]:
        return sa.select(*_STORY_COLUMNS).join(stories, stories.c.id == story_versions.c.story_id)

    @staticmethod
    def _story(row: Any) -> StoryVersion:
        return rows.story_version_from_row(row, row["slug"], row["guid"])

    async def current_story(self, story_id: str) -> StoryVersion | None:
        """Return the current version of a story."""
        async with self._read() as conn:
            row = (
                (
                    await conn.execute(
                        self._story_query().where(
                            story_versions.c.story_id == story_id,
                            story_versions.c.version == stories.c.current_version,
                        )
                    )
                )
                .mappings()
                .first()
            )
        return self._story(row) if row else None

    async def story_id_for(self, id_slug_or_guid: str) -> str | None:
        """Resolve a story id, slug or guid to the story id."""
        async with self._read() as conn:
            found = await conn.scalar(
                sa.select(stories.c.id).where(
                    sa.or_(
                        stories.c.id == id_slug_or_guid,
                        stories.c.slug == id_slug_or_guid,
                        stories.c.guid == id_slug_or_guid,
                    )
                )
            )
        return str(found) if found is not None else None

    async def story_versions(self, story_id: str) -> list[StoryVersion]:
        """Return every version of a story, oldest first."""
        async with self._read() as conn:
            result = await conn.execute(
                self._story_query()
                .where(story_versions.c.story_id == story_id)
                .order_by(story_versions.c.version)
            )
            return [self._story(row) for row in result.mappings()]

    async def story_version(self, story_id: str, version: int) -> StoryVersion | None:
        """Return one version of a story."""
        async with self._read() as conn:
            row = (
                (
                    await conn.execute(
                        self._story_query().where(
                            story_versions.c.story_id == story_id,
                            story_versions.c.version == version,
                        )
                    )
                )
                .mappings()
                .first()
            )
        return self._story(row) if row else None

    def _log_query(self) -> sa.Select[Any]:
        return (
            sa.select(
                events.c.seq,
                events.c.type,
                events.c.created_at.label("event_created_at"),
                *_STORY_COLUMNS,
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

    @classmethod
    def _log_entry(cls, row: Any) -> LogEntry:
        story = cls._story(row)
        event = Event(
            seq=row["seq"],
            type=EventType(row["type"]),
            story_id=story.story_id,
            version=story.version,
            created_at=rows.py_time(row["event_created_at"]),
        )
        return LogEntry(event, story)

    async def log_entries_after(self, seq: int, limit: int) -> list[LogEntry]:
        """Return up to limit log entries with seq greater than the given one, in order."""
        cached = self._log_cache.stretch(seq, limit)
        if len(cached) == limit:
            return cached
        after = cached[-1].event.seq if cached else seq
        async with self._read() as conn:
            result = await conn.execute(
                self._log_query()
                .where(events.c.seq > after)
                .order_by(events.c.seq)
                .limit(limit - len(cached))
            )
            entries = [self._log_entry(row) for row in result.mappings()]
        self._log_cache.keep(entries)
        return cached + entries

    async def log_entries_for_story(self, story_id: str, before_seq: int) -> list[LogEntry]:
        """Return a story's log entries before a sequence number, in order."""
        return await self.log_entries_for_stories([story_id], before_seq)

    async def log_entries_for_stories(
        self, story_ids: Sequence[str], before_seq: int
    ) -> list[LogEntry]:
        """Return the log entries of several stories before a sequence number, in log order."""
        found: list[LogEntry] = []
        missing = []
        for story_id in story_ids:
            history = self._log_cache.history(story_id, before_seq)
            if history is None:
                missing.append(story_id)
            else:
                found.extend(history)
        if missing:
            async with self._read() as conn:
                result = await conn.execute(
                    self._log_query()
                    .where(events.c.story_id.in_(missing), events.c.seq < before_seq)
                    .order_by(events.c.seq)
                )
                entries = [self._log_entry(row) for row in result.mappings()]
            self._log_cache.keep_histories(missing, before_seq, entries)
            found.extend(entries)
        return sorted(found, key=lambda entry: entry.event.seq)

    async def last_seq(self) -> int:
        """Return the highest sequence number in the log (0 when empty)."""
        async with self._read() as conn:
            return int(await conn.scalar(sa.select(log_counter.c.last_seq)) or 0)

    # The public portion -------------------------------------------------------

    def _text_match(self, text: str) -> sa.ColumnElement[bool]:
        """Match public stories whose headline or summary has words starting with each word.

        Both sides are folded (search/folding.py), so "istanbul" finds
        "İstanbul" and "Rinkevics" finds "Rinkēvičs"; subclasses may use an index.
        """
        # A leading space makes "% word" match at the start of any word.
        spaced = sa.literal(" ") + public_stories.c.search_words
        return sa.and_(sa.true(), *(spaced.like(f"% {word}%") for word in words(text)))

    def _public_filter(self, query: PublicQuery) -> list[sa.ColumnElement[bool]]:
        clauses: list[sa.ColumnElement[bool]] = [
            public_stories.c.killed_at.is_(None),
            public_stories.c.visible_from <= rows.db_time(query.now),
        ]
        if query.language:
            clauses.append(public_stories.c.language == query.language)
        if query.section:
            clauses.append(
                public_stories.c.story_id.in_(
                    sa.select(public_story_sections.c.story_id).where(
                        public_story_sections.c.section == query.section
                    )
                )
            )
        if query.subject:
            clauses.append(public_stories.c.subjects.like(f'%"{query.subject}"%'))
        if query.byline:
            clauses.append(public_stories.c.byline == query.byline)
        if query.text and query.text.strip():
            clauses.append(self._text_match(query.text))
        return clauses

    async def public_stories(self, query: PublicQuery) -> Sequence[PublicStory]:
        """Return visible, unkilled public stories matching the query, newest first."""
        async with self._read() as conn:
            result = await conn.execute(
                sa.select(public_stories)
                .where(*self._public_filter(query))
                .order_by(public_stories.c.visible_from.desc(), public_stories.c.story_id)
                .limit(query.limit)
                .offset(query.offset)
            )
            return [rows.public_story_from_row(row) for row in result.mappings()]

    async def count_public_stories(self, query: PublicQuery) -> int:
        """Count what public_stories would return without limit and offset."""
        async with self._read() as conn:
            count = await conn.scalar(
                sa.select(sa.func.count())
                .select_from(public_stories)
                .where(*self._public_filter(query))
            )
        return int(count or 0)

    async def public_story(self, story_id: str) -> PublicStory | None:
        """Return a public story or its tombstone, whatever its visibility time."""
        async with self._read() as conn:
            row = (
                (
                    await conn.execute(
                        sa.select(public_stories).where(
                            sa.or_(
                                public_stories.c.story_id == story_id,
                                public_stories.c.slug == story_id,
                            )
                        )
                    )
                )
                .mappings()
                .first()
            )
        return rows.public_story_from_row(row) if row else None

    async def public_sections(self, now: datetime) -> list[tuple[str, int]]:
        """Return each section path with its number of visible public stories."""
        async with self._read() as conn:
            result = await conn.execute(
                sa.select(public_story_sections.c.section, sa.func.count())
                .join(public_stories, public_stories.c.story_id == public_story_sections.c.story_id)
                .where(
                    public_stories.c.killed_at.is_(None),
                    public_stories.c.visible_from <= rows.db_time(now),
                )
                .group_by(public_story_sections.c.section)
                .order_by(public_story_sections.c.section)
            )
            return [(str(section), int(count)) for section, count in result.all()]


def _is_connection_problem(error: BaseException) -> bool:
    if isinstance(error, OSError):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    text = str(error).lower()
    return any(
        marker in text
        for marker in (
            "connection refused",
            "could not connect",
            "connection is closed",
            "unable to open database",
            "terminating connection",
            "connection was closed",
            # asyncpg: CannotConnectNowError while PostgreSQL starts, stops or recovers
            "the database system is",
            "cannotconnectnow",
        )
    )
