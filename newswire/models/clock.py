"""Time: the one source of "now" that every part of a runtime asks."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current time in UTC.

    Microseconds are kept so that stories filed within one second still sort in
    filing order; the formats print whole seconds.
    """
    return datetime.now(UTC)
