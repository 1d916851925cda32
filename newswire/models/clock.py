"""Time: the one source of "now" that every part of a runtime asks.

The runtime builds one `SystemClock` and hands it to every part that needs
the time (filing, embargoes, quotas, usage, the public site, storage), so a
test that moves it moves embargo releases, quotas and the site together.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


def utcnow() -> datetime:
    """Return the current time in UTC.

    Microseconds are kept so that stories filed within one second still sort in
    filing order; the formats print whole seconds.
    """
    return datetime.now(UTC)


class Clock(Protocol):
    """Anything that tells the time: called with no argument, it returns an aware datetime."""

    def __call__(self) -> datetime:
        """Return the current time (aware, UTC)."""
        ...


class SystemClock:
    """The real UTC time, shifted by an offset a test may set (zero in production)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        """Return the current time in UTC, plus the offset."""
        return utcnow() + self.offset

    def advance(self, delta: timedelta) -> None:
        """Move this clock forward (or back, with a negative delta) for everyone who reads it."""
        self.offset += delta
