"""Stories and their versions, and the one write that puts a version on the wire.

`save_version` is the heart of the log: in one transaction it checks that the
version is newer than the stored one, stores it, takes the next sequence
number from the one-row counter, appends the event, and updates the public
projection and the archive search entry. The counter row stays locked until
commit, so numbers are handed out in commit order and a rolled-back write
gives its number back: the log is gapless on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.models.clock import Clock
from newswire.models.public import PublicStory
from newswire.models.stories import Event, EventType, StoryVersion
from newswire.storage import rows
from newswire.storage.archive import index_story
from newswire.storage.connections import Connections
from newswire.storage.errors import VersionConflict
from newswire.storage.idempotency import record_pending_key
from newswire.storage.log_write import advance_current, append_event
from newswire.storage.public import project_public
from newswire.storage.tables import events, stories, story_versions


class SQLStoryStore:
    """Story versions: saved with their log event, found by id, slug or guid."""

    def __init__(self, db: Connections, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def _append(
        self, conn: AsyncConnection, story_id: str, version: int, event_type: EventType
    ) -> Event:
        return await append_event(
            conn, events, "story_id", story_id, version, event_type, self._clock
        )

    async def save_version(
        self, story: StoryVersion, event_type: EventType, public: PublicStory | None
    ) -> Event:
        """Store a version, append its event to the log and update the public portion, atomically.

        Raises VersionConflict unless story.version is greater than the stored
        current version (the newsroom files current + 1; ingest may skip numbers).
        """
        try:
            return await self._save_version(story, event_type, public)
        except IntegrityError as error:
            # Two nodes filing version 1 of the same story (or guid) at once: the
            # loser's transaction rolled back whole, exactly like a version conflict.
            raise VersionConflict(f"story {story.story_id} was filed concurrently") from error

    async def _save_version(
        self, story: StoryVersion, event_type: EventType, public: PublicStory | None
    ) -> Event:
        async with self._db.write() as conn:
            await advance_current(
                conn,
                stories,
                story.story_id,
                story.version,
                f"story {story.story_id}",
                values={
                    "pubstatus": story.pubstatus.value,
                    "updated_at": rows.db_time(story.version_created),
                },
                on_insert={
                    "slug": story.slug,
                    "guid": story.guid,
                    "first_created": rows.db_time(story.first_created),
                },
            )
            await conn.execute(story_versions.insert().values(**rows.story_version_values(story)))
            event = await self._append(conn, story.story_id, story.version, event_type)
            await record_pending_key(conn, event)
            await project_public(conn, story.story_id, public)
            await index_story(conn, self._db.text_index, story, event.seq)
        return event

    async def append_event(self, story_id: str, version: int, event_type: EventType) -> Event:
        """Append an event about an existing version (e.g. an embargo release)."""
        try:
            async with self._db.write() as conn:
                event = await self._append(conn, story_id, version, event_type)
                await record_pending_key(conn, event)
                return event
        except IntegrityError as error:  # the same idempotency key, filed concurrently
            raise VersionConflict(f"story {story_id} was changed concurrently") from error

    async def replace_public_projection(self, story_id: str, public: PublicStory | None) -> None:
        """Rewrite one story's public projection (after the site's rules changed)."""
        async with self._db.write() as conn:
            await project_public(conn, story_id, public)

    async def ids(self) -> list[str]:
        """Return the id of every story, oldest first."""
        async with self._db.read() as conn:
            result = await conn.execute(
                sa.select(stories.c.id).order_by(stories.c.first_created, stories.c.id)
            )
            return [str(story_id) for (story_id,) in result.all()]

    async def current(self, story_id: str) -> StoryVersion | None:
        """Return the current version of a story."""
        async with self._db.read() as conn:
            row = await rows.first_row(
                conn,
                rows.story_select().where(
                    story_versions.c.story_id == story_id,
                    story_versions.c.version == stories.c.current_version,
                ),
            )
        return rows.story_from_row(row) if row else None

    async def id_for(self, id_slug_or_guid: str) -> str | None:
        """Resolve a story id, slug or guid to the story id."""
        async with self._db.read() as conn:
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

    async def versions(self, story_id: str) -> list[StoryVersion]:
        """Return every version of a story, oldest first."""
        async with self._db.read() as conn:
            result = await conn.execute(
                rows.story_select()
                .where(story_versions.c.story_id == story_id)
                .order_by(story_versions.c.version)
            )
            return [rows.story_from_row(row) for row in result.mappings()]

    async def version(self, story_id: str, version: int) -> StoryVersion | None:
        """Return one version of a story."""
        async with self._db.read() as conn:
            row = await rows.first_row(
                conn,
                rows.story_select().where(
                    story_versions.c.story_id == story_id, story_versions.c.version == version
                ),
            )
        return rows.story_from_row(row) if row else None
