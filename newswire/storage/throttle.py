"""Failed sign-ins counted per key (an account's address, a client's network) in fixed windows.

Kept in the database, not in memory, so an attacker who spreads guesses over
several nodes meets one count. A window starts at a key's first failure and
lasts the throttle's window; a failure after it starts a new one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa

from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.tables import sign_in_failures


class SQLSignInFailureStore:
    """Failed sign-ins per key, in windows."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    async def failures(
        self, keys: Iterable[str], since: datetime
    ) -> dict[str, tuple[int, datetime]]:
        """Return, per key whose window started after `since`, its failures and window start."""
        wanted = sorted(set(keys))
        async with self._db.read() as conn:
            result = await conn.execute(
                sa.select(sign_in_failures).where(
                    sign_in_failures.c.key.in_(wanted),
                    sign_in_failures.c.window_started_at > rows.db_time(since),
                )
            )
            return {
                row["key"]: (int(row["failures"]), rows.py_time(row["window_started_at"]))
                for row in result.mappings()
            }

    async def record_failure(self, keys: Iterable[str], now: datetime, since: datetime) -> None:
        """Count one failure for each key; a window that started at or before `since` restarts."""
        at, cutoff = rows.db_time(now), rows.db_time(since)
        stale = sign_in_failures.c.window_started_at <= cutoff
        async with self._db.write() as conn:
            for key in sorted(set(keys)):
                insert = self._db.upsert(sign_in_failures).values(
                    key=key, window_started_at=at, failures=1
                )
                # One statement per key, so two failures at once both count.
                await conn.execute(
                    insert.on_conflict_do_update(
                        index_elements=["key"],
                        set_={
                            "failures": sa.case((stale, 1), else_=sign_in_failures.c.failures + 1),
                            "window_started_at": sa.case(
                                (stale, at), else_=sign_in_failures.c.window_started_at
                            ),
                        },
                    )
                )

    async def clear(self, key: str) -> None:
        """Forget a key's failures (its account signed in)."""
        await self._db.delete(sign_in_failures, sign_in_failures.c.key == key)

    async def purge_failures(self, before: datetime) -> int:
        """Delete the windows that started before a time; return how many."""
        return await self._db.delete(
            sign_in_failures,
            sign_in_failures.c.window_started_at < rows.db_time(before),
        )
