"""Principals and their keys: who may call, in which role, with what entitlements.

A mixin of `SQLStorage`. Keys are stored only as hashes (`keys.py`). Every
change to whether a key works sets `principals.changed_at`, which each
node's access watcher polls to cut that key's live streams (`access.py`);
suspension, deletion and rotation live in `account_store.py`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.models.clock import utcnow
from newswire.models.principals import Entitlements, Principal, Role
from newswire.storage import rows
from newswire.storage.tables import principals


class PrincipalStore:
    """Creating, finding, listing, changing and revoking principals."""

    # Provided by SQLStorage; declared here so the mixin type-checks on its own.
    _read: Callable[[], AbstractAsyncContextManager[AsyncConnection]]
    _write: Callable[[], AbstractAsyncContextManager[AsyncConnection]]

    async def create_principal(
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
        now = rows.db_time(utcnow())
        async with self._write() as conn:
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

    async def principal_with_key_hash(self, key_hash: str) -> Principal | None:
        """Return the active (not revoked, suspended or deleted) principal of a key hash."""
        async with self._read() as conn:
            row = (
                (
                    await conn.execute(
                        sa.select(principals).where(
                            principals.c.key_hash == key_hash,
                            principals.c.revoked_at.is_(None),
                            principals.c.suspended_at.is_(None),
                            principals.c.deleted_at.is_(None),
                        )
                    )
                )
                .mappings()
                .first()
            )
        return rows.principal_from_row(row) if row else None

    async def principal_by_id(self, principal_id: str) -> Principal | None:
        """Return a principal by id, revoked or not."""
        async with self._read() as conn:
            row = (
                (await conn.execute(sa.select(principals).where(principals.c.id == principal_id)))
                .mappings()
                .first()
            )
        return rows.principal_from_row(row) if row else None

    async def list_principals(self, role: Role) -> list[Principal]:
        """Return the unrevoked, undeleted principals of a role (suspended too), oldest first."""
        async with self._read() as conn:
            result = await conn.execute(
                sa.select(principals)
                .where(
                    principals.c.role == role.value,
                    principals.c.revoked_at.is_(None),
                    principals.c.deleted_at.is_(None),
                )
                .order_by(principals.c.created_at, principals.c.id)
            )
            return [rows.principal_from_row(row) for row in result.mappings()]

    async def revoke_principal(self, principal_id: str) -> bool:
        """Revoke a principal's key; return whether it existed and was active."""
        now = rows.db_time(utcnow())
        async with self._write() as conn:
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
        return bool(result.rowcount)

    async def update_principal(
        self, principal_id: str, entitlements: Entitlements | None, format: str | None
    ) -> Principal | None:
        """Change a subscriber's entitlements or preferred format."""
        values: dict[str, Any] = {}
        if entitlements is not None:
            values["entitlements"] = entitlements.model_dump_json()
        if format is not None:
            values["format"] = format
        if values:
            async with self._write() as conn:
                await conn.execute(
                    principals.update().where(principals.c.id == principal_id).values(**values)
                )
        return await self.principal_by_id(principal_id)
