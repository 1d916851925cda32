"""Usage: which subscriber received which story version, how, in which format, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum


class Channel(StrEnum):
    """How a story version reached a subscriber."""

    FEED = "feed"
    ATOM = "atom"
    STORY = "story"  # GET /v1/stories/{id} and /versions/{n}
    SSE = "sse"
    WEBSOCKET = "websocket"
    WEBHOOK = "webhook"


# The channels that serve the log from a cursor (the account shows where each stands).
CURSOR_CHANNELS = (Channel.FEED, Channel.SSE, Channel.WEBSOCKET, Channel.WEBHOOK)


def utc_day(moment: datetime) -> str:
    """Return the UTC calendar day of a moment as YYYY-MM-DD (the quota's and counters' day)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d")


@dataclass(frozen=True, slots=True)
class UsageRecord:
    """One full story version delivered to one subscriber."""

    principal_id: str
    channel: Channel
    format: str
    story_id: str
    version: int
    seq: int | None  # the log position; None for a story fetched by id
    delivered_at: datetime  # the first of these deliveries
    # The same version delivered the same way within one flush (to several
    # connections of one key, say) is one record with a count.
    deliveries: int = 1


@dataclass(frozen=True, slots=True)
class ServedCursor:
    """The last cursor a channel served to a subscriber, and when."""

    principal_id: str
    channel: Channel
    cursor: int
    served_at: datetime


@dataclass(frozen=True)
class UsageQuery:
    """Which usage records to list: filters, and a page after a record id."""

    subscriber: str | None = None
    channel: Channel | None = None
    start: datetime | None = None  # delivered at or after
    end: datetime | None = None  # delivered before
    story: str | None = None
    after: int = 0
    limit: int = 100


@dataclass(frozen=True)
class UsageRow:
    """A stored usage record with its id and its subscriber's name."""

    id: int
    record: UsageRecord
    subscriber_name: str
