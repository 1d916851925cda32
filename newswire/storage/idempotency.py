"""Idempotency keys in SQL: recorded in the filing's own transaction, recalled on a retry."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.models.idempotency import Remembered, take_pending
from newswire.models.stories import Event
from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.tables_hardening import idempotency_keys


async def record_pending_key(conn: AsyncConnection, event: Event) -> None:
    """Record the key of the request being handled (if any) with the event it filed.

    Called inside the transaction that appends the event: the key and the
    version are committed together or not at all. A second request with the
    same key racing this one fails on the primary key and rolls back whole.
    """
    key = take_pending()
    if key is None:
        return
    await conn.execute(
        idempotency_keys.insert().values(
            scope=key.scope,
            idempotency_key=key.key,
            fingerprint=key.fingerprint,
            story_id=event.story_id,
            version=event.version,
            seq=event.seq,
            event_type=event.type.value,
            created_at=rows.db_time(event.created_at),
        )
    )


class SQLIdempotencyStore:
    """Looks up what an idempotency key filed; forgets keys past their retention."""

    def __init__(self, connections: Connections) -> None:
        self._db = connections

    async def recall(self, scope: str, key: str) -> Remembered | None:
        """Return what a caller's key filed, or None when it filed nothing (yet)."""
        table = idempotency_keys
        query = sa.select(table).where(table.c.scope == scope, table.c.idempotency_key == key)
        row = await self._db.fetch_one(query)
        if row is None:
            return None
        return rows.from_row(Remembered, row)

    async def forget_before(self, moment: datetime) -> int:
        """Delete keys recorded before a time; return how many."""
        return await self._db.delete(
            idempotency_keys,
            idempotency_keys.c.created_at < rows.db_time(moment),
        )
