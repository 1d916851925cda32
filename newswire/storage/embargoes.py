"""Embargoed stories: which are due for release, and when the next one is."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from newswire.models.stories import PubStatus
from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.tables import stories, story_versions


def _withheld_current() -> sa.Select[tuple[str, str]]:
    return (
        sa.select(stories.c.id, story_versions.c.embargoed_until)
        .join(
            story_versions,
            sa.and_(
                story_versions.c.story_id == stories.c.id,
                story_versions.c.version == stories.c.current_version,
            ),
        )
        .where(
            stories.c.pubstatus == PubStatus.WITHHELD.value,
            story_versions.c.embargoed_until.is_not(None),
        )
    )


class SQLEmbargoStore:
    """Embargoed stories: which are due for release, and when the next one is."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    async def due_for_release(self, now: datetime) -> list[str]:
        """Return the ids of withheld stories whose embargo time is at or before now."""
        async with self._db.read() as conn:
            result = await conn.execute(
                _withheld_current()
                .where(story_versions.c.embargoed_until <= rows.db_time(now))
                .order_by(story_versions.c.embargoed_until)
            )
            return [str(row[0]) for row in result.all()]

    async def next_release(self) -> datetime | None:
        """Return the earliest embargo time among withheld stories, or None."""
        withheld = _withheld_current().subquery()
        async with self._db.read() as conn:
            earliest = await conn.scalar(sa.select(sa.func.min(withheld.c.embargoed_until)))
        return rows.py_time(earliest) if earliest else None
