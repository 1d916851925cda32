"""The portal's storage role: alerts on topics, notifications, users' activity, jobs' state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from newswire.models.portal import Activity, Alert, AlertMode, Notification


class PortalStore(Protocol):
    """What the portal keeps of its own (stories, people and topics live elsewhere)."""

    async def set_alert(
        self, person_id: str, principal_id: str, topic_id: str, mode: AlertMode, now: datetime
    ) -> Alert:
        """Make or change a person's alert on a topic; return it."""
        ...

    async def delete_alert(self, alert_id: str) -> bool:
        """Remove an alert; return whether there was one."""
        ...

    async def alert(self, alert_id: str) -> Alert | None:
        """Return one alert, or None."""
        ...

    async def alerts(self, person_id: str | None = None) -> list[Alert]:
        """Return a person's alerts, or everyone's (None), oldest first."""
        ...

    async def add_notifications(self, notifications: Sequence[Notification]) -> list[Notification]:
        """Keep notifications, each once per person and story; return those new here."""
        ...

    async def notifications(self, person_id: str, limit: int) -> list[Notification]:
        """Return a person's newest notifications first."""
        ...

    async def pending_digests(self) -> list[Notification]:
        """Return every notification waiting for a digest mail, oldest first."""
        ...

    async def digested(self, notification_ids: Sequence[str]) -> None:
        """Mark notifications as sent in a digest."""
        ...

    async def state(self, name: str) -> str | None:
        """Return a named value of the portal's jobs, or None."""
        ...

    async def set_state(self, name: str, value: str, only_if_absent: bool = False) -> str:
        """Set a named value (or, with only_if_absent, keep the one there); return what is kept."""
        ...

    async def record(self, activities: Sequence[Activity]) -> None:
        """Keep what company users viewed and downloaded."""
        ...

    async def activity(
        self, principal_id: str, since: datetime | None, limit: int
    ) -> list[Activity]:
        """Return a company's users' activity, newest first (since a time, if given)."""
        ...
