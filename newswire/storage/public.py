"""The public portion as the public site reads it: listings, counts, indexes and one story.

Everything is read from the `public_stories` projection, which has no body
column at all, under one visibility filter (not killed, visible by now).
The projection is written by `project_public` inside the transaction that
saves each story version (`stories.py`), so the site never runs ahead of or
behind the log.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.models.public import PublicQuery, PublicStory
from newswire.search.folding import index_text
from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.tables import public_stories, public_story_sections


async def project_public(conn: AsyncConnection, story_id: str, public: PublicStory | None) -> None:
    """Replace a story's public projection (None: it is not public) within a transaction."""
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


async def fold_public_words(conn: AsyncConnection) -> None:
    """Fill public_stories.search_words for the rows written before migration 8 (a data step)."""
    result = await conn.execute(
        sa.select(public_stories.c.story_id, public_stories.c.headline, public_stories.c.summary)
    )
    for story_id, headline, summary in result.all():
        await conn.execute(
            public_stories.update()
            .where(public_stories.c.story_id == story_id)
            .values(search_words=index_text(f"{headline} {summary}"))
        )


def _visible(now: datetime) -> list[sa.ColumnElement[bool]]:
    """Public stories that are not killed and whose time to show has come."""
    return [
        public_stories.c.killed_at.is_(None),
        public_stories.c.visible_from <= rows.db_time(now),
    ]


class SQLPublicStore:
    """Listings of the public portion, their counts and indexes, and one story or tombstone."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    def _filter(self, query: PublicQuery) -> list[sa.ColumnElement[bool]]:
        clauses = _visible(query.now)
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
            clauses.append(self._db.text_index.public_words_match(query.text))
        return clauses

    async def stories(self, query: PublicQuery) -> Sequence[PublicStory]:
        """Return visible, unkilled public stories matching the query, newest first."""
        found = await self._db.fetch_all(
            sa.select(public_stories)
            .where(*self._filter(query))
            .order_by(public_stories.c.visible_from.desc(), public_stories.c.story_id)
            .limit(query.limit)
            .offset(query.offset)
        )
        return [rows.public_story_from_row(row) for row in found]

    async def count(self, query: PublicQuery) -> int:
        """Count what `stories` would return without limit and offset."""
        async with self._db.read() as conn:
            count = await conn.scalar(
                sa.select(sa.func.count()).select_from(public_stories).where(*self._filter(query))
            )
        return int(count or 0)

    async def story(self, id_or_slug: str) -> PublicStory | None:
        """Return a public story or its tombstone, whatever its visibility time."""
        async with self._db.read() as conn:
            row = await rows.first_row(
                conn,
                sa.select(public_stories).where(
                    sa.or_(
                        public_stories.c.story_id == id_or_slug,
                        public_stories.c.slug == id_or_slug,
                    )
                ),
            )
        return rows.public_story_from_row(row) if row else None

    async def sections(self, now: datetime) -> list[tuple[str, int]]:
        """Return each section path with its number of visible public stories."""
        return await self._count_by(public_story_sections.c.section, *_visible(now))

    async def count_by_section(self, query: PublicQuery) -> list[tuple[str, int]]:
        """Return each section path with its number of public stories matching the query."""
        return await self._count_by(public_story_sections.c.section, *self._filter(query))

    async def count_by_subject(self, query: PublicQuery) -> list[tuple[str, int]]:
        """Return each subject code with its number of public stories matching the query."""
        # Subjects are a JSON list per row; counting them in Python keeps the SQL
        # portable (json_each and jsonb_array_elements differ) and reads one column.
        counts: Counter[str] = Counter()
        async with self._db.read() as conn:
            result = await conn.execute(
                sa.select(public_stories.c.subjects).where(*self._filter(query))
            )
            for (subjects,) in result:
                counts.update(json.loads(subjects))
        return sorted(counts.items())

    async def count_by_author(self, query: PublicQuery) -> list[tuple[str, int]]:
        """Return each byline with its number of public stories matching the query."""
        byline = public_stories.c.byline
        return await self._count_by(byline, *self._filter(query), byline != "")

    async def languages(self, now: datetime) -> list[tuple[str, int]]:
        """Return each language with its number of visible public stories."""
        return await self._count_by(public_stories.c.language, *_visible(now))

    async def _count_by(
        self, column: sa.Column[Any], *where: sa.ColumnElement[bool]
    ) -> list[tuple[str, int]]:
        """Return each value of a column with its number of public stories that match, in order."""
        source: sa.FromClause = public_stories
        if column.table is public_story_sections:
            source = public_story_sections.join(
                public_stories, public_stories.c.story_id == public_story_sections.c.story_id
            )
        query = (
            sa.select(column, sa.func.count())
            .select_from(source)
            .where(*where)
            .group_by(column)
            .order_by(column)
        )
        async with self._db.read() as conn:
            return [(str(value), int(count)) for value, count in (await conn.execute(query)).all()]
