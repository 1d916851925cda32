"""The portal's storage: alerts on topics, notifications, users' activity, the jobs' state."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

from newswire.models.portal import Activity, Alert, AlertMode, Notification
from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.tables_portal import (
    portal_activity,
    portal_alerts,
    portal_notifications,
    portal_state,
)


class SQLPortalStore:
    """Alerts, notifications, activity and job state in the portal's tables."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    async def set_alert(
        self, person_id: str, principal_id: str, topic_id: str, mode: AlertMode, now: datetime
    ) -> Alert:
        """Make or change a person's alert on a topic; return it."""
        async with self._db.write() as conn:
            insert = self._db.upsert(portal_alerts).values(
                id=secrets.token_hex(8),
                person_id=person_id,
                principal_id=principal_id,
                topic_id=topic_id,
                mode=mode.value,
                created_at=rows.db_time(now),
            )
            await conn.execute(
                insert.on_conflict_do_update(
                    index_elements=["person_id", "topic_id"], set_={"mode": mode.value}
                )
            )
            row = (
                (
                    await conn.execute(
                        sa.select(portal_alerts).where(
                            portal_alerts.c.person_id == person_id,
                            portal_alerts.c.topic_id == topic_id,
                        )
                    )
                )
                .mappings()
                .one()
            )
        return rows.from_row(Alert, row)

    async def delete_alert(self, alert_id: str) -> bool:
        """Remove an alert; return whether there was one."""
        return await self._db.delete(portal_alerts, portal_alerts.c.id == alert_id) > 0

    async def alert(self, alert_id: str) -> Alert | None:
        """Return one alert, or None."""
        row = await self._db.fetch_one(
            sa.select(portal_alerts).where(portal_alerts.c.id == alert_id)
        )
        return rows.from_row(Alert, row) if row is not None else None

    async def alerts(self, person_id: str | None = None) -> list[Alert]:
        """Return a person's alerts, or everyone's (None), oldest first."""
        query = rows.oldest_first(portal_alerts)
        if person_id is not None:
            query = query.where(portal_alerts.c.person_id == person_id)
        return [rows.from_row(Alert, row) for row in await self._db.fetch_all(query)]

    async def add_notifications(self, notifications: Sequence[Notification]) -> list[Notification]:
        """Keep notifications, each once per person and story; return those new here."""
        added = []
        async with self._db.write() as conn:
            for each in notifications:
                insert = self._db.upsert(portal_notifications).values(
                    rows.row_values(each, digest_pending=int(each.digest_pending), read_at=None)
                )
                result = await conn.execute(
                    insert.on_conflict_do_nothing(index_elements=["person_id", "story_id"])
                )
                if result.rowcount:
                    added.append(each)
        return added

    async def notifications(self, person_id: str, limit: int) -> list[Notification]:
        """Return a person's newest notifications first."""
        query = (
            sa.select(portal_notifications)
            .where(portal_notifications.c.person_id == person_id)
            .order_by(portal_notifications.c.created_at.desc(), portal_notifications.c.id)
            .limit(limit)
        )
        return [rows.from_row(Notification, row) for row in await self._db.fetch_all(query)]

    async def pending_digests(self) -> list[Notification]:
        """Return every notification waiting for a digest mail, oldest first."""
        query = rows.oldest_first(portal_notifications, portal_notifications.c.digest_pending == 1)
        return [rows.from_row(Notification, row) for row in await self._db.fetch_all(query)]

    async def digested(self, notification_ids: Sequence[str]) -> None:
        """Mark notifications as sent in a digest."""
        if not notification_ids:
            return
        await self._db.update(
            portal_notifications,
            portal_notifications.c.id.in_(list(notification_ids)),
            digest_pending=0,
        )

    async def state(self, name: str) -> str | None:
        """Return a named value of the portal's jobs, or None."""
        async with self._db.read() as conn:
            value = await conn.scalar(
                sa.select(portal_state.c.value).where(portal_state.c.name == name)
            )
        return None if value is None else str(value)

    async def set_state(self, name: str, value: str, only_if_absent: bool = False) -> str:
        """Set a named value (or, with only_if_absent, keep the one there); return what is kept."""
        async with self._db.write() as conn:
            insert = self._db.upsert(portal_state).values(name=name, value=value)
            if only_if_absent:
                statement = insert.on_conflict_do_nothing(index_elements=["name"])
            else:
                statement = insert.on_conflict_do_update(
                    index_elements=["name"], set_={"value": value}
                )
            await conn.execute(statement)
            kept = await conn.scalar(
                sa.select(portal_state.c.value).where(portal_state.c.name == name)
            )
        return str(kept)

    async def record(self, activities: Sequence[Activity]) -> None:
        """Keep what company users viewed and downloaded."""
        if not activities:
            return
        async with self._db.write() as conn:
            await conn.execute(
                portal_activity.insert(),
                [rows.row_values(each, id=secrets.token_hex(10)) for each in activities],
            )

    async def activity(
        self, principal_id: str, since: datetime | None, limit: int
    ) -> list[Activity]:
        """Return a company's users' activity, newest first (since a time, if given)."""
        query = sa.select(portal_activity).where(portal_activity.c.principal_id == principal_id)
        if since is not None:
            query = query.where(portal_activity.c.at >= rows.db_time(since))
        query = query.order_by(portal_activity.c.at.desc(), portal_activity.c.id).limit(limit)
        return [rows.from_row(Activity, row) for row in await self._db.fetch_all(query)]
