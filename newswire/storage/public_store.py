"""Read-only queries of the public portion that the public site needs beyond listings.

A mixin of `SQLStorage`: the public website's section, subject, author and
language indexes, all read from the `public_stories` projection (which has no
body column) under the same visibility filter as `public_stories`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.models.public import PublicQuery
from newswire.storage import rows
from newswire.storage.tables import public_stories, public_story_sections


class PublicStore:
    """Indexes of the public portion: sections, subjects, authors and languages with counts."""

    # Provided by SQLStorage; declared here so the mixin type-checks on its own.
    _read: Callable[[], AbstractAsyncContextManager[AsyncConnection]]
    _public_filter: Callable[[PublicQuery], list[sa.ColumnElement[bool]]]

    async def count_public_by_section(self, query: PublicQuery) -> list[tuple[str, int]]:
        """Return each section path with its number of public stories matching the query."""
        async with self._read() as conn:
            result = await conn.execute(
                sa.select(public_story_sections.c.section, sa.func.count())
                .join(public_stories, public_stories.c.story_id == public_story_sections.c.story_id)
                .where(*self._public_filter(query))
                .group_by(public_story_sections.c.section)
                .order_by(public_story_sections.c.section)
            )
            return [(str(section), int(count)) for section, count in result.all()]

    async def count_public_by_subject(self, query: PublicQuery) -> list[tuple[str, int]]:
        """Return each subject code with its number of public stories matching the query."""
        # Subjects are a JSON list per row; counting them in Python keeps the SQL
        # portable (json_each and jsonb_array_elements differ) and reads one column.
        counts: Counter[str] = Counter()
        async with self._read() as conn:
            result = await conn.execute(
                sa.select(public_stories.c.subjects).where(*self._public_filter(query))
            )
            for (subjects,) in result:
                counts.update(json.loads(subjects))
        return sorted(counts.items())

    async def count_public_by_author(self, query: PublicQuery) -> list[tuple[str, int]]:
        """Return each byline with its number of public stories matching the query."""
        async with self._read() as conn:
            result = await conn.execute(
                sa.select(public_stories.c.byline, sa.func.count())
                .where(*self._public_filter(query), public_stories.c.byline != "")
                .group_by(public_stories.c.byline)
                .order_by(public_stories.c.byline)
            )
            return [(str(byline), int(count)) for byline, count in result.all()]

    async def public_languages(self, now: datetime) -> list[tuple[str, int]]:
        """Return each language with its number of visible public stories."""
        async with self._read() as conn:
            result = await conn.execute(
                sa.select(public_stories.c.language, sa.func.count())
                .where(
                    public_stories.c.killed_at.is_(None),
                    public_stories.c.visible_from <= rows.db_time(now),
                )
                .group_by(public_stories.c.language)
                .order_by(public_stories.c.language)
            )
            return [(str(language), int(count)) for language, count in result.all()]
