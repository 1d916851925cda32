"""Embargoed stories: which are due for release, and when the next one is."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from newswire.models.stories import PubStatus
from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.tables import stories, story_versions


def withheld_current(
    items: sa.Table, versions: sa.Table, item_id: str
) -> sa.Select[tuple[str, str]]:
    """Select the id and embargo time of each withheld item's current version.

    Stories and media alike: `items` holds the current version and status,
    `versions` every version, whose `item_id` column names its item.
    """
    return (
        sa.select(items.c.id, versions.c.embargoed_until)
        .join(
            versions,
            sa.and_(
                versions.c[item_id] == items.c.id,
                versions.c.version == items.c.current_version,
            ),
        )
        .where(
            items.c.pubstatus == PubStatus.WITHHELD.value,
            versions.c.embargoed_until.is_not(None),
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
                withheld_current(stories, story_versions, "story_id")
                .where(story_versions.c.embargoed_until <= rows.db_time(now))
                .order_by(story_versions.c.embargoed_until)
            )
            return [str(row[0]) for row in result.all()]

    async def next_release(self) -> datetime | None:
        """Return the earliest embargo time among withheld stories, or None."""
        withheld = withheld_current(stories, story_versions, "story_id").subquery()
        async with self._db.read() as conn:
            earliest = await conn.scalar(sa.select(sa.func.min(withheld.c.embargoed_until)))
        return rows.py_time(earliest) if earliest else None
