"""HTTP dates (RFC 9110, section 5.6.7) as a client or a receiver sends them, read back.

Read in two places: a webhook receiver's `Retry-After` (`webhooks/retries.py`)
and a CDN's or browser's `If-Modified-Since` on the public site
(`site/caching.py`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def parse_http_date(value: str) -> datetime | None:
    """Return an HTTP date as an aware datetime, or None when it is not a date.

    A date without a zone (the obsolete forms, or `-0000`) is taken as UTC,
    as HTTP dates always are.
    """
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
