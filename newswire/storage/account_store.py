"""Storage of a subscriber's account: suspension, deletion, key rotation, quota, cursors served.

Every change to whether a key works (suspend, resume, rotate, delete, and
revoke in sql.py) sets `principals.changed_at`, which each node's access
watcher polls to cut the live streams of that key (`access.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.models.clock import utcnow
from newswire.models.principals import Principal
from newswire.models.usage import Channel, ServedCursor
from newswire.storage import rows
from newswire.storage.tables import (
    principals,
    saved_searches,
    subscriber_cursors,
    webhook_attempts,
    webhook_endpoints,
)


def _usable() -> sa.ColumnElement[bool]:
    return sa.and_(principals.c.revoked_at.is_(None), principals.c.deleted_at.is_(None))


class AccountStore:
    """Mixin for SQLStorage: the lifecycle of a principal's key and what it was served."""

    # Provided by SQLStorage; declared here so the mixin type-checks on its own.
    _read: Callable[[], AbstractAsyncContextManager[AsyncConnection]]
    _write: Callable[[], AbstractAsyncContextManager[AsyncConnection]]

    async def _change_principal(self, principal_id: str, *where: Any, **values: Any) -> bool:
        now = rows.db_time(utcnow())
        async with self._write() as conn:
            result = await conn.execute(
                principals.update()
                .where(principals.c.id == principal_id, *where)
                .values(changed_at=now, **values)
            )
        return bool(result.rowcount)

    async def suspend_principal(self, principal_id: str) -> bool:
        """Suspend an active principal's key; return whether it was active."""
        return await self._change_principal(
            principal_id,
            _usable(),
            principals.c.suspended_at.is_(None),
            suspended_at=rows.db_time(utcnow()),
        )

    async def resume_principal(self, principal_id: str) -> bool:
        """Make a suspended principal's key work again; return whether it was suspended."""
        return await self._change_principal(
            principal_id, _usable(), principals.c.suspended_at.is_not(None), suspended_at=None
        )

    async def replace_principal_key(self, principal_id: str, key_hash: str) -> bool:
        """Give a principal a new key (by its hash); the old key stops working at once."""
        return await self._change_principal(principal_id, _usable(), key_hash=key_hash)

    async def set_daily_quota(self, principal_id: str, daily_quota: int | None) -> bool:
        """Set a subscriber's daily download quota (None: unlimited)."""
        async with self._write() as conn:
            result = await conn.execute(
                principals.update()
                .where(principals.c.id == principal_id)
                .values(daily_quota=daily_quota)
            )
        return bool(result.rowcount)

    async def delete_subscriber(self, principal_id: str) -> bool:
        """Delete a subscriber's key, webhooks, cursors and saved searches; keep its usage.

        Returns whether there was an undeleted principal to delete.
        """
        now = rows.db_time(utcnow())
        async with self._write() as conn:
            result = await conn.execute(
                principals.update()
                .where(principals.c.id == principal_id, principals.c.deleted_at.is_(None))
                .values(
                    deleted_at=now,
                    changed_at=now,
                    # key_hash is unique and required: a value no key can hash to.
                    key_hash=f"deleted:{principal_id}",
                    entitlements="{}",
                    daily_quota=None,
                )
            )
            if not result.rowcount:
                return False
            endpoints = sa.select(webhook_endpoints.c.id).where(
                webhook_endpoints.c.principal_id == principal_id
            )
            await conn.execute(
                webhook_attempts.delete().where(webhook_attempts.c.endpoint_id.in_(endpoints))
            )
            await conn.execute(
                webhook_endpoints.delete().where(webhook_endpoints.c.principal_id == principal_id)
            )
            await conn.execute(
                subscriber_cursors.delete().where(subscriber_cursors.c.principal_id == principal_id)
            )
            await conn.execute(
                saved_searches.delete().where(saved_searches.c.principal_id == principal_id)
            )
        return True

    async def principals_changed_since(self, since: datetime) -> list[Principal]:
        """Return the principals whose access changed at or after a time (any status)."""
        async with self._read() as conn:
            result = await conn.execute(
                sa.select(principals).where(principals.c.changed_at >= rows.db_time(since))
            )
            return [rows.principal_from_row(row) for row in result.mappings()]

    async def served_cursors(self, principal_id: str) -> list[ServedCursor]:
        """Return the last cursor served to a subscriber on each channel, and when."""
        async with self._read() as conn:
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
