"""Principals and their keys: who may call, in which role, with what entitlements.

Keys are stored only as hashes (`accounts/keys.py`). Every change to whether
a key works (suspend, resume, rotate, revoke, delete) sets
`principals.changed_at`, which each node's access watcher polls to cut that
key's live streams (`accounts/access.py`).

A principal may hold more keys than its own: the personal keys of the people
who act as it (`credentials.py`). A key hash is looked up in both places, and
`changed_since` lists a principal once per key that still works. Suspending,
revoking or deleting a principal also ends the sessions of its people, in the
same transaction, so a resumed company does not bring old sessions back.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from newswire.models.clock import Clock
from newswire.models.principals import Entitlements, Principal, Role, SubscriberChange
from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.credentials import personal_key_principal, personal_key_variants
from newswire.storage.people import end_sessions_of_principal, remove_people_of_principal
from newswire.storage.tables import (
    feed_urls,
    principals,
    saved_searches,
    subscriber_cursors,
    webhook_attempts,
    webhook_endpoints,
)


def _usable() -> sa.ColumnElement[bool]:
    return sa.and_(principals.c.revoked_at.is_(None), principals.c.deleted_at.is_(None))


class SQLPrincipalStore:
    """Principals and their keys: create, find, change, suspend, rotate, revoke, delete."""

    def __init__(self, db: Connections, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def create(
        self,
        role: Role,
        name: str,
        key_hash: str,
        entitlements: Entitlements,
        format: str,
        daily_quota: int | None = None,
    ) -> Principal:
        """Store a new admin, editor or subscriber with the hash of its key."""
        principal_id = secrets.token_hex(8)
        now = rows.db_time(self._clock())
        async with self._db.write() as conn:
            await conn.execute(
                principals.insert().values(
                    id=principal_id,
                    role=role.value,
                    name=name,
                    key_hash=key_hash,
                    entitlements=entitlements.model_dump_json(),
                    format=format,
                    created_at=now,
                    daily_quota=daily_quota,
                    changed_at=now,
                )
            )
        return Principal(
            principal_id, role, name, entitlements, format, daily_quota, key_hash=key_hash
        )

    async def with_key_hash(self, key_hash: str) -> Principal | None:
        """Return the active (not revoked, suspended or deleted) principal of a key hash.

        A personal key that works returns the principal its person acts as,
        carrying the personal key's hash.
        """
        async with self._db.read() as conn:
            row = await rows.first_row(
                conn,
                sa.select(principals).where(
                    principals.c.key_hash == key_hash,
                    principals.c.revoked_at.is_(None),
                    principals.c.suspended_at.is_(None),
                    principals.c.deleted_at.is_(None),
                ),
            )
            if row is None:
                return await personal_key_principal(conn, key_hash)
        return rows.principal_from_row(row)

    async def by_id(self, principal_id: str) -> Principal | None:
        """Return a principal by id, revoked or not."""
        row = await self._db.fetch_one(sa.select(principals).where(principals.c.id == principal_id))
        return rows.principal_from_row(row) if row else None

    async def of_role(self, role: Role) -> list[Principal]:
        """Return the unrevoked, undeleted principals of a role (suspended too), oldest first."""
        found = await self._db.fetch_all(
            rows.oldest_first(
                principals,
                principals.c.role == role.value,
                principals.c.revoked_at.is_(None),
                principals.c.deleted_at.is_(None),
            )
        )
        return [rows.principal_from_row(row) for row in found]

    async def revoke(self, principal_id: str) -> bool:
        """Revoke a principal's key; return whether it existed and was active."""
        now = rows.db_time(self._clock())
        async with self._db.write() as conn:
            result = await conn.execute(
                principals.update()
                .where(
                    principals.c.id == principal_id,
                    principals.c.revoked_at.is_(None),
                    principals.c.deleted_at.is_(None),
                )
                # changed_at tells every node's access watcher to cut its live streams.
                .values(revoked_at=now, changed_at=now)
            )
            if result.rowcount:
                await end_sessions_of_principal(conn, principal_id)
        return bool(result.rowcount)

    async def update(self, principal_id: str, change: SubscriberChange) -> Principal | None:
        """Change a subscriber's entitlements, format or daily quota, in one transaction."""
        values: dict[str, Any] = {}
        if change.entitlements is not None:
            values["entitlements"] = change.entitlements.model_dump_json()
        if change.format is not None:
            values["format"] = change.format
        if change.quota_changed:
            values["daily_quota"] = change.daily_quota
        if values:
            async with self._db.write() as conn:
                await conn.execute(
                    principals.update().where(principals.c.id == principal_id).values(**values)
                )
        return await self.by_id(principal_id)

    async def _change_principal(
        self, principal_id: str, *where: Any, end_sessions: bool = False, **values: Any
    ) -> bool:
        now = rows.db_time(self._clock())
        async with self._db.write() as conn:
            result = await conn.execute(
                principals.update()
                .where(principals.c.id == principal_id, *where)
                .values(changed_at=now, **values)
            )
            if end_sessions and result.rowcount:
                await end_sessions_of_principal(conn, principal_id)
        return bool(result.rowcount)

    async def suspend(self, principal_id: str) -> bool:
        """Suspend an active principal's key and end its people's sessions; return if it was."""
        return await self._change_principal(
            principal_id,
            _usable(),
            principals.c.suspended_at.is_(None),
            end_sessions=True,
            suspended_at=rows.db_time(self._clock()),
        )

    async def resume(self, principal_id: str) -> bool:
        """Make a suspended principal's key work again; return whether it was suspended."""
        return await self._change_principal(
            principal_id, _usable(), principals.c.suspended_at.is_not(None), suspended_at=None
        )

    async def replace_key(self, principal_id: str, key_hash: str) -> bool:
        """Give a principal a new key (by its hash); the old key stops working at once."""
        return await self._change_principal(principal_id, _usable(), key_hash=key_hash)

    async def delete_subscriber(self, principal_id: str) -> bool:
        """Delete a subscriber's key, webhooks, cursors and saved searches; keep its usage.

        Returns whether there was an undeleted principal to delete.
        """
        now = rows.db_time(self._clock())
        async with self._db.write() as conn:
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
            await remove_people_of_principal(conn, principal_id, now)
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
            await conn.execute(feed_urls.delete().where(feed_urls.c.principal_id == principal_id))
        return True

    async def changed_since(self, since: datetime) -> list[Principal]:
        """Return the principals whose access changed at or after a time (any status).

        A principal comes once with its own key, and once more per personal
        key of its people that still works (carrying that key's hash).
        """
        async with self._db.read() as conn:
            result = await conn.execute(
                sa.select(principals).where(principals.c.changed_at >= rows.db_time(since))
            )
            changed = [rows.principal_from_row(row) for row in result.mappings()]
            return changed + await personal_key_variants(conn, (p.id for p in changed))
