"""Sessions of signed-in people, and the history of who signed in when.

A session row is keyed by the sha256 of the token its cookie carries, so a
copy of the database does not sign anyone in. Whether a session still works
(idle and absolute expiry, its person active, its principal usable) is the
identity service's decision; this store reads it with its person and
principal in one query, and deletes sessions when asked.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from newswire.models.people import Person, PersonStatus, SessionRecord, SignInRecord
from newswire.models.principals import Principal
from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.people import person_from_row
from newswire.storage.tables import people, principals, sessions, sign_ins

# Columns of a session joined with its person and principal, named apart.
_JOINED = [
    *(column.label(f"s_{column.name}") for column in sessions.c),
    *(column.label(f"p_{column.name}") for column in people.c),
    *principals.c,
]


def _session_from_row(row: Mapping[Any, Any], prefix: str = "") -> SessionRecord:
    return rows.from_row(SessionRecord, _strip(row, prefix) if prefix else row)


def _strip(row: Mapping[Any, Any], prefix: str) -> dict[str, Any]:
    return {key[len(prefix) :]: value for key, value in row.items() if key.startswith(prefix)}


def _fresh(idle_since: datetime, created_since: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(
        sessions.c.last_seen_at > rows.db_time(idle_since),
        sessions.c.created_at > rows.db_time(created_since),
    )


class SQLSessionStore:
    """Sessions: start, read with their person and principal, touch, end; sign-in history."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    async def start_session(self, session: SessionRecord) -> None:
        """Store a new session and record the sign-in it comes from."""
        at = rows.db_time(session.created_at)
        async with self._db.write() as conn:
            await conn.execute(
                sessions.insert().values(rows.row_values(session, created_at=at, last_seen_at=at))
            )
            await conn.execute(
                sign_ins.insert().values(
                    id=secrets.token_hex(8),
                    person_id=session.person_id,
                    at=at,
                    address=session.address,
                    user_agent=session.user_agent,
                )
            )
            await conn.execute(
                people.update().where(people.c.id == session.person_id).values(last_signed_in_at=at)
            )

    async def session(self, session_id: str) -> tuple[SessionRecord, Person, Principal] | None:
        """Return a session with its person and the principal they act as, whatever their state."""
        query = (
            sa.select(*_JOINED)
            .join(people, people.c.id == sessions.c.person_id)
            .join(principals, principals.c.id == people.c.principal_id)
            .where(sessions.c.id == session_id)
        )
        row = await self._db.fetch_one(query)
        if row is None:
            return None
        return (
            _session_from_row(row, "s_"),
            person_from_row(_strip(row, "p_")),
            rows.principal_from_row(row),
        )

    async def touch(self, session_id: str, now: datetime) -> None:
        """Note that a session was used now (its idle expiry starts again)."""
        await self._db.update(sessions, sessions.c.id == session_id, last_seen_at=rows.db_time(now))

    async def end_session(self, session_id: str) -> bool:
        """Delete one session; return whether it existed."""
        return await self._db.delete(sessions, sessions.c.id == session_id) > 0

    async def end_sessions_of(self, person_id: str) -> int:
        """Delete every session of a person; return how many there were."""
        return await self._db.delete(sessions, sessions.c.person_id == person_id)

    async def sessions_of(self, person_id: str) -> list[SessionRecord]:
        """Return a person's sessions, newest first."""
        found = await self._db.fetch_all(
            sa.select(sessions)
            .where(sessions.c.person_id == person_id)
            .order_by(sessions.c.created_at.desc())
        )
        return [_session_from_row(row) for row in found]

    async def still_valid(
        self, session_ids: Iterable[str], idle_since: datetime, created_since: datetime
    ) -> set[str]:
        """Return which of these sessions still work: fresh, person active, principal usable."""
        ids = sorted(set(session_ids))
        if not ids:
            return set()
        query = (
            sa.select(sessions.c.id)
            .join(people, people.c.id == sessions.c.person_id)
            .join(principals, principals.c.id == people.c.principal_id)
            .where(
                sessions.c.id.in_(ids),
                _fresh(idle_since, created_since),
                people.c.status == PersonStatus.ACTIVE.value,
                principals.c.revoked_at.is_(None),
                principals.c.suspended_at.is_(None),
                principals.c.deleted_at.is_(None),
            )
        )
        async with self._db.read() as conn:
            return {str(session_id) for session_id in (await conn.execute(query)).scalars()}

    async def purge_sessions(self, idle_since: datetime, created_since: datetime) -> int:
        """Delete the sessions that expired (idle or too old); return how many."""
        return await self._db.delete(sessions, sa.not_(_fresh(idle_since, created_since)))

    async def sign_ins(self, person_ids: Iterable[str], limit: int) -> list[SignInRecord]:
        """Return the latest sign-ins of these people, newest first."""
        ids = sorted(set(person_ids))
        if not ids:
            return []
        async with self._db.read() as conn:
            result = await conn.execute(
                sa.select(sign_ins)
                .where(sign_ins.c.person_id.in_(ids))
                .order_by(sign_ins.c.at.desc(), sign_ins.c.id)
                .limit(limit)
            )
            return [
                SignInRecord(
                    person_id=row["person_id"],
                    at=rows.py_time(row["at"]),
                    address=row["address"],
                    user_agent=row["user_agent"],
                )
                for row in result.mappings()
            ]
