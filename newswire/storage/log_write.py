"""The two steps that stories and media share when a version goes on the log.

`advance_current` moves an item's head row (stories, media_items) to a newer
version, refusing an older or equal one; `append_event` takes the next number
from the one-row counter and writes the event. Both run inside the caller's
write transaction, so the version, its head and its event commit together and
a rolled-back write gives its number back (see `stories.py`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.models.clock import Clock
from newswire.models.events import EventType
from newswire.models.stories import Event
from newswire.storage.errors import VersionConflict
from newswire.storage.rows import db_time
from newswire.storage.tables import log_counter


async def advance_current(
    conn: AsyncConnection,
    heads: sa.Table,
    item_id: str,
    version: int,
    label: str,
    *,
    values: dict[str, Any],
    on_insert: dict[str, Any],
) -> None:
    """Point `heads`' row for `item_id` at `version` with `values` (and `on_insert` when new).

    `label` names the item in errors ("story s1"). The UPDATE's WHERE on the old
    version makes a concurrent writer on another node lose cleanly instead of
    overwriting.
    """
    current = await conn.scalar(sa.select(heads.c.current_version).where(heads.c.id == item_id))
    if version <= (current or 0):
        raise VersionConflict(
            f"{label} is at version {current or 0}, cannot file version {version}"
        )
    if current is None:
        await conn.execute(
            heads.insert().values(id=item_id, current_version=version, **on_insert, **values)
        )
        return
    result = await conn.execute(
        heads.update()
        .where(heads.c.id == item_id, heads.c.current_version == current)
        .values(current_version=version, **values)
    )
    if result.rowcount != 1:
        raise VersionConflict(f"{label} changed while filing")


async def append_event(
    conn: AsyncConnection,
    log: sa.Table,
    item_column: str,
    item_id: str,
    version: int,
    event_type: EventType,
    clock: Clock,
) -> Event:
    """Take the next log number and write the event about `item_id` into `log`."""
    seq = await conn.scalar(
        log_counter.update()
        .where(log_counter.c.id == 1)
        .values(last_seq=log_counter.c.last_seq + 1)
        .returning(log_counter.c.last_seq)
    )
    assert seq is not None
    event = Event(int(seq), event_type, item_id, version, clock())
    await conn.execute(
        log.insert().values(
            {
                "seq": event.seq,
                "type": event_type.value,
                item_column: item_id,
                "version": version,
                "created_at": db_time(event.created_at),
            }
        )
    )
    return event
