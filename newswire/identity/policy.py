"""How long sessions last and how many failed sign-ins are allowed: the numbers, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from newswire.models.people import SessionRecord


@dataclass(frozen=True)
class SessionPolicy:
    """A session ends after `idle` without a request, and `absolute` after sign-in in any case."""

    idle: timedelta = timedelta(hours=4)
    absolute: timedelta = timedelta(hours=12)

    @property
    def touch_every(self) -> timedelta:
        """How stale `last_seen_at` may get before a request writes it again.

        Writing it on every request would put one write per page view through
        SQLite's single writer; the idle expiry moves in these steps instead.
        """
        return min(timedelta(minutes=1), self.idle / 10)

    def expires_at(self, session: SessionRecord) -> datetime:
        """Return when a session ends unless it is used again before."""
        return min(session.last_seen_at + self.idle, session.created_at + self.absolute)

    def is_expired(self, session: SessionRecord, now: datetime) -> bool:
        """Tell whether a session has ended by time (idle or absolute)."""
        return now >= self.expires_at(session)

    def fresh_after(self, now: datetime) -> tuple[datetime, datetime]:
        """Return (idle_since, created_since): a session seen and created after them is fresh."""
        return now - self.idle, now - self.absolute


@dataclass(frozen=True)
class ThrottlePolicy:
    """Failed sign-ins allowed per account and per client network within one window."""

    account_failures: int = 5
    address_failures: int = 50  # a newsroom shares one address; an attacker spreads over many
    window: timedelta = timedelta(minutes=15)
