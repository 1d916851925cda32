"""Leases on rows that workers on any node take turns at (queued mail, webhook endpoints).

A row is free and due when its `next_attempt_at` has come and its `lease_until`
has passed. A worker selects candidates, then claims each with an UPDATE that
repeats the condition: another worker may have taken the row since the SELECT,
and then the UPDATE matches nothing and the row is not this worker's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.storage.rows import db_time


def free_and_due(table: sa.Table, now: datetime, *more: Any) -> sa.ColumnElement[bool]:
    """Return the condition of a row of `table` no one holds whose next attempt is due."""
    now_text = db_time(now)
    return sa.and_(*more, table.c.next_attempt_at <= now_text, table.c.lease_until < now_text)


async def claim(
    conn: AsyncConnection,
    table: sa.Table,
    candidates: sa.Select[Any],
    free: sa.ColumnElement[bool],
    worker: str,
    until: datetime,
) -> list[str]:
    """Lease every candidate id still `free` to `worker` until `until`; return those taken."""
    taken: list[str] = []
    for (row_id,) in (await conn.execute(candidates)).all():
        claimed = await conn.execute(
            table.update()
            .where(table.c.id == row_id, free)
            .values(leased_by=worker, lease_until=db_time(until))
        )
        if claimed.rowcount == 1:
            taken.append(str(row_id))
    return taken
