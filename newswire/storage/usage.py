"""Usage: delivery records, per-day counters, and the cursors served to each subscriber.

`record` writes one batch from the usage recorder in one transaction:
the records, the batch added to the per-day counters (an upsert, so nodes
writing at once add up), and the latest cursor per subscriber and channel.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.models.usage import Channel, ServedCursor, UsageQuery, UsageRecord, UsageRow, utc_day
from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.tables import principals, subscriber_cursors, usage_daily, usage_records


def _usage_row(row: Mapping[Any, Any]) -> UsageRow:
    return UsageRow(
        id=int(row["id"]),
        record=rows.from_row(UsageRecord, row),
        subscriber_name=row["name"] or "",
    )


async def _deleted_among(conn: AsyncConnection, principal_ids: set[str]) -> set[str]:
    result = await conn.execute(
        sa.select(principals.c.id).where(
            principals.c.id.in_(sorted(principal_ids)), principals.c.deleted_at.is_not(None)
        )
    )
    return {str(principal_id) for (principal_id,) in result.all()}


class SQLUsageStore:
    """Usage records, daily counters and the cursors served to each subscriber."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    async def record(self, records: Sequence[UsageRecord], cursors: Sequence[ServedCursor]) -> None:
        """Store a batch of usage records and served cursors, in one transaction."""
        counts: Counter[tuple[str, str, str]] = Counter()
        for record in records:
            day = utc_day(record.delivered_at)
            counts[(record.principal_id, day, record.channel.value)] += record.deliveries
        daily = self._db.upsert(usage_daily)
        daily = daily.on_conflict_do_update(
            index_elements=["principal_id", "day", "channel"],
            set_={"deliveries": usage_daily.c.deliveries + daily.excluded.deliveries},
        )
        served = self._db.upsert(subscriber_cursors)
        served = served.on_conflict_do_update(
            index_elements=["principal_id", "channel"],
            set_={"cursor_seq": served.excluded.cursor_seq, "served_at": served.excluded.served_at},
        )
        async with self._db.write() as conn:
            if records:
                await conn.execute(
                    usage_records.insert(),
                    [
                        {
                            "principal_id": record.principal_id,
                            "channel": record.channel.value,
                            "format": record.format,
                            "story_id": record.story_id,
                            "version": record.version,
                            "seq": record.seq,
                            "delivered_at": rows.db_time(record.delivered_at),
                            "deliveries": record.deliveries,
                        }
                        for record in records
                    ],
                )
                await conn.execute(
                    daily,
                    [
                        {"principal_id": who, "day": day, "channel": channel, "deliveries": n}
                        for (who, day, channel), n in counts.items()
                    ],
                )
            if cursors:
                # A subscriber deleted while its records waited in a buffer keeps its
                # usage (billing) but must not get its served cursors back.
                gone = await _deleted_among(conn, {cursor.principal_id for cursor in cursors})
                cursors = [cursor for cursor in cursors if cursor.principal_id not in gone]
            if cursors:
                await conn.execute(
                    served,
                    [
                        {
                            "principal_id": cursor.principal_id,
                            "channel": cursor.channel.value,
                            "cursor_seq": cursor.cursor,
                            "served_at": rows.db_time(cursor.served_at),
                        }
                        for cursor in cursors
                    ],
                )

    async def deliveries_on(self, principal_id: str, day: str) -> int:
        """Return how many story versions a subscriber was delivered on a UTC day (YYYY-MM-DD)."""
        async with self._db.read() as conn:
            total = await conn.scalar(
                sa.select(sa.func.sum(usage_daily.c.deliveries)).where(
                    usage_daily.c.principal_id == principal_id, usage_daily.c.day == day
                )
            )
        return int(total or 0)

    async def deliveries_by_day(
        self, principal_id: str, first_day: str
    ) -> list[tuple[str, Channel, int]]:
        """Return (day, channel, deliveries) for a subscriber from a UTC day on."""
        async with self._db.read() as conn:
            result = await conn.execute(
                sa.select(usage_daily.c.day, usage_daily.c.channel, usage_daily.c.deliveries)
                .where(usage_daily.c.principal_id == principal_id, usage_daily.c.day >= first_day)
                .order_by(usage_daily.c.day)
            )
            return [(str(day), Channel(channel), int(n)) for day, channel, n in result.all()]

    async def records(self, query: UsageQuery) -> list[UsageRow]:
        """Return one page of usage records matching the query, oldest first (by id)."""
        clauses: list[sa.ColumnElement[bool]] = [usage_records.c.id > query.after]
        if query.subscriber is not None:
            clauses.append(usage_records.c.principal_id == query.subscriber)
        if query.channel is not None:
            clauses.append(usage_records.c.channel == query.channel.value)
        if query.start is not None:
            clauses.append(usage_records.c.delivered_at >= rows.db_time(query.start))
        if query.end is not None:
            clauses.append(usage_records.c.delivered_at < rows.db_time(query.end))
        if query.story is not None:
            clauses.append(usage_records.c.story_id == query.story)
        async with self._db.read() as conn:
            result = await conn.execute(
                sa.select(usage_records, principals.c.name)
                .outerjoin(principals, principals.c.id == usage_records.c.principal_id)
                .where(*clauses)
                .order_by(usage_records.c.id)
                .limit(query.limit)
            )
            return [_usage_row(row) for row in result.mappings()]

    async def served_cursors(self, principal_id: str) -> list[ServedCursor]:
        """Return the last cursor served to a subscriber on each channel, and when."""
        async with self._db.read() as conn:
            result = await conn.execute(
                sa.select(subscriber_cursors).where(
                    subscriber_cursors.c.principal_id == principal_id
                )
            )
            return [
                ServedCursor(
                    principal_id=row["principal_id"],
                    channel=Channel(row["channel"]),
                    cursor=int(row["cursor_seq"]),
                    served_at=rows.py_time(row["served_at"]),
                )
                for row in result.mappings()
            ]
