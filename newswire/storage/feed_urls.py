"""Secret feed URLs: at most one per subscriber, kept only as the hash of its secret."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.tables import feed_urls


class SQLFeedUrlStore:
    """Secret feed URLs in one table, keyed by subscriber, the secret's hash unique."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    async def replace(self, principal_id: str, secret_hash: str, created_at: datetime) -> None:
        """Give a subscriber a feed URL (by its secret's hash); an earlier one stops working."""
        async with self._db.write() as conn:
            await conn.execute(feed_urls.delete().where(feed_urls.c.principal_id == principal_id))
            await conn.execute(
                feed_urls.insert().values(
                    principal_id=principal_id,
                    secret_hash=secret_hash,
                    created_at=rows.db_time(created_at),
                )
            )

    async def remove(self, principal_id: str) -> bool:
        """Remove a subscriber's feed URL; return whether there was one."""
        return await self._db.delete(feed_urls, feed_urls.c.principal_id == principal_id) > 0

    async def created_at(self, principal_id: str) -> datetime | None:
        """Return when a subscriber's feed URL was made, or None when it has none."""
        async with self._db.read() as conn:
            value = await conn.scalar(
                sa.select(feed_urls.c.created_at).where(feed_urls.c.principal_id == principal_id)
            )
        return rows.py_time(value) if value else None

    async def owner(self, secret_hash: str) -> str | None:
        """Return the id of the subscriber whose feed URL has this secret hash, or None."""
        async with self._db.read() as conn:
            value = await conn.scalar(
                sa.select(feed_urls.c.principal_id).where(feed_urls.c.secret_hash == secret_hash)
            )
        return str(value) if value is not None else None
