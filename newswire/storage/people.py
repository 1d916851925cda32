"""People and companies' seats: accounts, their status and role, each with what follows from it.

A person's status change carries its consequences in the same transaction:
disabling or removing a person ends their sessions, removing one also revokes
their personal keys, frees the address and deletes a staff person's own
principal. Each change bumps the principal's `changed_at`, which every node's
access watcher polls, so streams opened with the person's keys end everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.models.errors import Conflict
from newswire.models.people import (
    Audience,
    NewPerson,
    PasswordLink,
    PeopleQuery,
    Person,
    PersonRole,
    PersonStatus,
)
from newswire.models.principals import Entitlements
from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.tables import (
    company_seats,
    password_links,
    people,
    personal_keys,
    principals,
    sessions,
)

# Every status but removed: a person who still has an account.
_NOT_REMOVED = (PersonStatus.INVITED, PersonStatus.ACTIVE, PersonStatus.DISABLED)

# Statuses that hold one of the company's seats (a disabled person may come back).
SEAT_HOLDERS = (PersonStatus.INVITED.value, PersonStatus.ACTIVE.value, PersonStatus.DISABLED.value)


def person_from_row(row: Mapping[Any, Any]) -> Person:
    """Build a Person from a people row."""
    return rows.from_row(Person, row)


async def end_sessions_of_principal(conn: AsyncConnection, principal_id: str) -> None:
    """Delete the sessions of everyone who acts as a principal (a company's users, a staff)."""
    members = sa.select(people.c.id).where(people.c.principal_id == principal_id)
    await conn.execute(sessions.delete().where(sessions.c.person_id.in_(members)))


async def remove_people_of_principal(conn: AsyncConnection, principal_id: str, now: str) -> None:
    """Remove every person of a deleted company: sessions, keys and links go, addresses free."""
    await _remove(
        conn,
        people.c.principal_id == principal_id,
        personal_keys.c.principal_id == principal_id,
        now,
    )


async def _remove(
    conn: AsyncConnection,
    who: sa.ColumnElement[bool],
    their_keys: sa.ColumnElement[bool],
    now: str,
) -> None:
    """Remove the people `who` picks: sessions, links and keys go, addresses free, rows stay."""
    members = sa.select(people.c.id).where(who)
    await conn.execute(sessions.delete().where(sessions.c.person_id.in_(members)))
    await conn.execute(password_links.delete().where(password_links.c.person_id.in_(members)))
    await conn.execute(
        personal_keys.update()
        .where(their_keys, personal_keys.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    await conn.execute(
        people.update()
        .where(who)
        .values(
            status=PersonStatus.REMOVED.value, email_key=None, password_hash=None, changed_at=now
        )
    )


async def touch_principal(
    conn: AsyncConnection, principal_id: str, now: str, **values: Any
) -> None:
    """Mark a principal changed now (setting `values` too), in the caller's transaction.

    changed_at tells every node's access watcher to look at its keys again.
    """
    await conn.execute(
        principals.update().where(principals.c.id == principal_id).values(changed_at=now, **values)
    )


class SQLPeopleStore:
    """People (staff and company users) and the seat limits of companies."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    async def create_person(
        self, person: NewPerson, link: PasswordLink, seat_limit: int | None
    ) -> Person:
        """Store an invited person with their first set-password link, in one transaction.

        A staff person's own principal is created with them. For a company
        user, `seat_limit` is checked against the company's seats under a lock
        on the company, so two invitations at once cannot both take the last one.
        """
        now = rows.db_time(person.created_at)
        staff = person.role.audience is Audience.STAFF
        try:
            async with self._db.write() as conn:
                if staff:
                    await conn.execute(
                        principals.insert().values(
                            id=person.principal_id,
                            role=person.role.principal_role.value,
                            name=person.name,
                            # Required and unique; no key hashes to it: people use personal keys.
                            key_hash=f"person:{person.id}",
                            entitlements=Entitlements().model_dump_json(),
                            format="ninjs2",
                            created_at=now,
                            changed_at=now,
                        )
                    )
                elif seat_limit is not None:
                    await conn.execute(
                        sa.select(principals.c.id)
                        .where(principals.c.id == person.principal_id)
                        .with_for_update()
                    )
                    used = await _seats_used(conn, person.principal_id)
                    if used >= seat_limit:
                        raise Conflict(
                            f"all {seat_limit} seats of this company are taken; remove someone "
                            "or ask the agency for more seats",
                            "email",
                        )
                await conn.execute(
                    people.insert().values(
                        rows.row_values(
                            person,
                            email_key=person.email,
                            audience=person.role.audience.value,
                            status=PersonStatus.INVITED.value,
                            password_hash=None,
                            created_at=now,
                            changed_at=now,
                        )
                    )
                )
                # The link was made for this person (identity/people.py).
                await conn.execute(password_links.insert().values(rows.row_values(link)))
        except IntegrityError as error:
            raise Conflict(f"{person.email} already has an account", "email") from error
        created = await self.person(person.id)
        assert created is not None
        return created

    async def person(self, person_id: str) -> Person | None:
        """Return a person by id, whatever their status."""
        row = await self._db.fetch_one(sa.select(people).where(people.c.id == person_id))
        return person_from_row(row) if row else None

    async def credentials(self, email: str) -> tuple[Person, str | None] | None:
        """Return the person not removed with this (normalized) address and their password hash."""
        row = await self._db.fetch_one(sa.select(people).where(people.c.email_key == email))
        return (person_from_row(row), row["password_hash"]) if row else None

    async def people(self, query: PeopleQuery) -> list[Person]:
        """Return the people a query asks for, oldest first."""
        select = rows.oldest_first(people, people.c.status.in_([s.value for s in query.statuses]))
        if query.audience is not None:
            select = select.where(people.c.audience == query.audience.value)
        if query.company_id is not None:
            select = select.where(
                people.c.principal_id == query.company_id,
                people.c.audience == Audience.SUBSCRIBER.value,
            )
        return [person_from_row(row) for row in await self._db.fetch_all(select)]

    async def change_role(self, person_id: str, role: PersonRole, now: datetime) -> Person | None:
        """Give a person not removed another role of their audience (and their principal's)."""
        at = rows.db_time(now)
        async with self._db.write() as conn:
            row = await _live_row(conn, person_id, _NOT_REMOVED)
            if row is None:
                return None
            await conn.execute(
                people.update()
                .where(people.c.id == person_id)
                .values(role=role.value, changed_at=at)
            )
            if role.audience is Audience.STAFF:
                await touch_principal(conn, row["principal_id"], at, role=role.principal_role.value)
        return await self.person(person_id)

    async def disable(self, person_id: str, now: datetime) -> Person | None:
        """Disable an invited or active person: sessions end, keys and sign-in stop working."""
        at = rows.db_time(now)
        async with self._db.write() as conn:
            row = await _live_row(conn, person_id, (PersonStatus.INVITED, PersonStatus.ACTIVE))
            if row is None:
                return None
            await conn.execute(
                people.update()
                .where(people.c.id == person_id)
                .values(status=PersonStatus.DISABLED.value, changed_at=at)
            )
            await conn.execute(sessions.delete().where(sessions.c.person_id == person_id))
            staff = row["audience"] == Audience.STAFF.value
            await touch_principal(
                conn, row["principal_id"], at, **({"suspended_at": at} if staff else {})
            )
        return await self.person(person_id)

    async def enable(self, person_id: str, now: datetime) -> Person | None:
        """Enable a disabled person again: active if they have a password, else invited."""
        at = rows.db_time(now)
        async with self._db.write() as conn:
            row = await _live_row(conn, person_id, (PersonStatus.DISABLED,))
            if row is None:
                return None
            status = PersonStatus.ACTIVE if row["password_hash"] else PersonStatus.INVITED
            await conn.execute(
                people.update()
                .where(people.c.id == person_id)
                .values(status=status.value, changed_at=at)
            )
            staff = row["audience"] == Audience.STAFF.value
            await touch_principal(
                conn, row["principal_id"], at, **({"suspended_at": None} if staff else {})
            )
        return await self.person(person_id)

    async def remove(self, person_id: str, now: datetime) -> bool:
        """Remove a person: sessions, links and keys go, the address is free, the row stays."""
        at = rows.db_time(now)
        async with self._db.write() as conn:
            row = await _live_row(
                conn,
                person_id,
                (PersonStatus.INVITED, PersonStatus.ACTIVE, PersonStatus.DISABLED),
            )
            if row is None:
                return False
            await _remove(
                conn, people.c.id == person_id, personal_keys.c.person_id == person_id, at
            )
            if row["audience"] == Audience.STAFF.value:
                principal_id = row["principal_id"]
                await touch_principal(
                    conn, principal_id, at, deleted_at=at, key_hash=f"deleted:{principal_id}"
                )
            else:
                await touch_principal(conn, row["principal_id"], at)
        return True

    async def seats(self, company_id: str) -> tuple[int | None, int]:
        """Return a company's seat limit (None: never set) and how many seats are taken."""
        async with self._db.read() as conn:
            limit = await conn.scalar(
                sa.select(company_seats.c.seat_limit).where(
                    company_seats.c.principal_id == company_id
                )
            )
            used = await _seats_used(conn, company_id)
        return (None if limit is None else int(limit)), used

    async def set_seat_limit(self, company_id: str, limit: int, now: datetime) -> None:
        """Set how many people a company may have (taken seats beyond it stay taken)."""
        at = rows.db_time(now)
        async with self._db.write() as conn:
            upsert = self._db.upsert(company_seats).values(
                principal_id=company_id, seat_limit=limit, changed_at=at
            )
            await conn.execute(
                upsert.on_conflict_do_update(
                    index_elements=["principal_id"], set_={"seat_limit": limit, "changed_at": at}
                )
            )

    async def set_language(self, person_id: str, language: str, now: datetime) -> None:
        """Change a person's interface language."""
        await self._db.update(
            people, people.c.id == person_id, language=language, changed_at=rows.db_time(now)
        )


async def _seats_used(conn: AsyncConnection, company_id: str) -> int:
    used = await conn.scalar(
        sa.select(sa.func.count())
        .select_from(people)
        .where(
            people.c.principal_id == company_id,
            people.c.audience == Audience.SUBSCRIBER.value,
            people.c.status.in_(SEAT_HOLDERS),
        )
    )
    return int(used or 0)


async def _live_row(
    conn: AsyncConnection, person_id: str, statuses: tuple[PersonStatus, ...]
) -> Mapping[Any, Any] | None:
    row = await rows.first_row(
        conn,
        sa.select(people).where(
            people.c.id == person_id, people.c.status.in_([s.value for s in statuses])
        ),
    )
    return row
