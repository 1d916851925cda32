"""What people prove themselves with: password hashes, one-time set-password links, personal keys.

A personal key is an extra key of the principal its person acts as: a staff
person's own principal, or a company user's company. `with_key_hash` finds
it through `personal_key_principal`, so the API's one auth path serves both
kinds of key; `changed_since` lists every key that still works through
`personal_key_variants`, so the access watcher cuts only the streams whose
key stopped working.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.models.people import PasswordLink, Person, PersonalKey, PersonStatus
from newswire.models.principals import Principal
from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.people import person_from_row, touch_principal
from newswire.storage.tables import password_links, people, personal_keys, principals, sessions


def _key_from_row(row: Mapping[Any, Any]) -> PersonalKey:
    return rows.from_row(PersonalKey, row)


def _working_keys() -> sa.Select[Any]:
    """Personal keys that work: not revoked, their person active, their principal usable."""
    return (
        sa.select(personal_keys.c.key_hash, principals)
        .join(people, people.c.id == personal_keys.c.person_id)
        .join(principals, principals.c.id == personal_keys.c.principal_id)
        .where(
            personal_keys.c.revoked_at.is_(None),
            people.c.status == PersonStatus.ACTIVE.value,
            principals.c.revoked_at.is_(None),
            principals.c.suspended_at.is_(None),
            principals.c.deleted_at.is_(None),
        )
    )


def _as_key_holder(row: Mapping[Any, Any]) -> Principal:
    principal = rows.principal_from_row(row)
    return replace(principal, key_hash=row["key_hash"])


async def personal_key_principal(conn: AsyncConnection, key_hash: str) -> Principal | None:
    """Return the principal a working personal key acts as, carrying that key's hash."""
    row = await rows.first_row(conn, _working_keys().where(personal_keys.c.key_hash == key_hash))
    return _as_key_holder(row) if row else None


async def personal_key_variants(
    conn: AsyncConnection, principal_ids: Iterable[str]
) -> list[Principal]:
    """Return each working personal key of these principals as its principal with that key."""
    ids = sorted(set(principal_ids))
    if not ids:
        return []
    result = await conn.execute(_working_keys().where(personal_keys.c.principal_id.in_(ids)))
    return [_as_key_holder(row) for row in result.mappings()]


class SQLCredentialStore:
    """Password hashes, set-password links and personal keys."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    async def add_password_link(self, link: PasswordLink) -> None:
        """Store a new set-password link; the person's earlier unused links stop working."""
        async with self._db.write() as conn:
            await conn.execute(
                password_links.delete().where(
                    password_links.c.person_id == link.person_id,
                    password_links.c.used_at.is_(None),
                )
            )
            await conn.execute(password_links.insert().values(rows.row_values(link)))

    async def password_link(self, token_hash: str) -> PasswordLink | None:
        """Return a set-password link by the hash of its token, used or not."""
        row = await self._db.fetch_one(
            sa.select(password_links).where(password_links.c.token_hash == token_hash)
        )
        if row is None:
            return None
        return rows.from_row(PasswordLink, row)

    async def use_password_link(
        self, token_hash: str, password_hash: str, now: datetime
    ) -> Person | None:
        """Spend a link to set a password: once, before it expires, for a person not disabled.

        The person becomes active and every session they had ends. Returns
        None, changing nothing, when the link is unknown, used or expired.
        """
        at = rows.db_time(now)
        async with self._db.write() as conn:
            person_id = await conn.scalar(
                sa.select(password_links.c.person_id)
                .join(people, people.c.id == password_links.c.person_id)
                .where(
                    password_links.c.token_hash == token_hash,
                    people.c.status.in_([PersonStatus.INVITED.value, PersonStatus.ACTIVE.value]),
                )
            )
            if person_id is None:
                return None
            # Conditional on being unused and unexpired: of two requests at once, one wins.
            spent = await conn.execute(
                password_links.update()
                .where(
                    password_links.c.token_hash == token_hash,
                    password_links.c.used_at.is_(None),
                    password_links.c.expires_at > at,
                )
                .values(used_at=at)
            )
            if spent.rowcount != 1:
                return None
            await conn.execute(
                people.update()
                .where(people.c.id == person_id)
                .values(
                    password_hash=password_hash, status=PersonStatus.ACTIVE.value, changed_at=at
                )
            )
            await conn.execute(sessions.delete().where(sessions.c.person_id == person_id))
            row = (
                (await conn.execute(sa.select(people).where(people.c.id == person_id)))
                .mappings()
                .one()
            )
        return person_from_row(row)

    async def replace_password_hash(self, person_id: str, old_hash: str, new_hash: str) -> bool:
        """Store a rehashed password (new parameters), unless the password changed meanwhile."""
        updated = await self._db.update(
            people,
            people.c.id == person_id,
            people.c.password_hash == old_hash,
            password_hash=new_hash,
        )
        return updated > 0

    async def add_key(self, key: PersonalKey) -> None:
        """Store a personal key by its hash."""
        async with self._db.write() as conn:
            await conn.execute(personal_keys.insert().values(rows.row_values(key)))

    async def keys_of(self, person_id: str) -> list[PersonalKey]:
        """Return a person's personal keys that are not revoked, oldest first."""
        found = await self._db.fetch_all(
            rows.oldest_first(
                personal_keys,
                personal_keys.c.person_id == person_id,
                personal_keys.c.revoked_at.is_(None),
            )
        )
        return [_key_from_row(row) for row in found]

    async def revoke_key(self, person_id: str, key_id: str, now: datetime) -> PersonalKey | None:
        """Revoke one of a person's keys; None when they have no such unrevoked key."""
        at = rows.db_time(now)
        async with self._db.write() as conn:
            row = await rows.first_row(
                conn,
                sa.select(personal_keys).where(
                    personal_keys.c.id == key_id,
                    personal_keys.c.person_id == person_id,
                    personal_keys.c.revoked_at.is_(None),
                ),
            )
            if row is None:
                return None
            await conn.execute(
                personal_keys.update().where(personal_keys.c.id == key_id).values(revoked_at=at)
            )
            await touch_principal(conn, row["principal_id"], at)
        return replace(_key_from_row(row), revoked_at=now)
