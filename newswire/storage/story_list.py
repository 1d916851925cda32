"""The editors' list of stories in SQL (`StoryListing`): current versions, latest first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

from newswire.models.stories import StoryVersion
from newswire.models.webhooks import DeliveryAttempt
from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.tables import stories, story_versions, webhook_attempts, webhook_endpoints


class SQLStoryListing:
    """Lists stories by their last change, over the `stories_updated` index."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    async def latest(self, limit: int, before: datetime | None = None) -> list[StoryVersion]:
        """Return current versions changed before `before` (all when None), latest first."""
        query = rows.story_select().where(story_versions.c.version == stories.c.current_version)
        if before is not None:
            query = query.where(stories.c.updated_at < rows.db_time(before))
        query = query.order_by(stories.c.updated_at.desc(), stories.c.id.desc()).limit(limit)
        return [rows.story_from_row(row) for row in await self._db.fetch_all(query)]

    async def webhook_attempts(self, seqs: Sequence[int]) -> list[tuple[str, DeliveryAttempt]]:
        """Return the webhook attempts for these log positions, each with its subscriber's id."""
        if not seqs:
            return []
        query = (
            sa.select(webhook_attempts, webhook_endpoints.c.principal_id)
            .join(webhook_endpoints, webhook_endpoints.c.id == webhook_attempts.c.endpoint_id)
            .where(webhook_attempts.c.seq.in_(list(seqs)))
            .order_by(webhook_attempts.c.created_at)
        )
        async with self._db.read() as conn:
            return [
                (str(row["principal_id"]), rows.from_row(DeliveryAttempt, row))
                for row in (await conn.execute(query)).mappings()
            ]

    async def count(self) -> int:
        """Return how many stories there are."""
        async with self._db.read() as conn:
            return int(await conn.scalar(sa.select(sa.func.count()).select_from(stories)) or 0)
