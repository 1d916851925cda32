"""A filed story's record for editors: its versions (who, when), diffs, history, deliveries.

"What went out to whom" comes from what delivery already records: a usage
record for every full version a subscriber received (channel, format,
version, time), and for webhooks every attempt with the receiver's answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newswire.accounts.reports import Reports
from newswire.models.errors import Invalid, NotFound
from newswire.models.stories import LogEntry, StoryVersion
from newswire.models.usage import UsageQuery
from newswire.models.webhooks import DeliveryAttempt
from newswire.newsroom.diffs import diff_versions
from newswire.storage.desk_interfaces import StoryListing
from newswire.storage.interfaces import LogStore, StoryStore

END_OF_LOG = 2**62
MAX_DELIVERIES = 1_000


@dataclass(frozen=True)
class Delivery:
    """One version that went out to one subscriber, and (for webhooks) how it was taken."""

    subscriber: str
    channel: str
    format: str
    version: int
    delivered_at: datetime
    count: int
    webhook: DeliveryAttempt | None = None  # the last attempt, for a webhook delivery


@dataclass(frozen=True)
class StoryRecord:
    """Everything an editor may look up about a filed story."""

    versions: list[StoryVersion]
    events: list[LogEntry]
    deliveries: list[Delivery]


@dataclass(eq=False)
class StoryRecords:
    """Looks up a story's versions, diffs and deliveries (editors only: the pages say so)."""

    stories: StoryStore
    log: LogStore
    listing: StoryListing
    reports: Reports

    async def record(self, story_id: str) -> StoryRecord:
        """Return a story's versions, its log events and what went out to whom."""
        versions = await self.stories.versions(story_id)
        if not versions:
            raise NotFound(f"no story {story_id}", "story")
        events = await self.log.entries_for_story(story_id, END_OF_LOG)
        query = await self.reports.usage_query(UsageQuery(story=story_id, limit=MAX_DELIVERIES))
        rows = await self.reports.usage_page(query)
        by_seq = {entry.event.seq: entry for entry in events}
        attempts: dict[tuple[str, int], DeliveryAttempt] = {}
        for principal_id, attempt in await self.listing.webhook_attempts(list(by_seq)):
            attempts[(principal_id, attempt.seq)] = attempt  # ordered by time: the last wins
        deliveries = [
            Delivery(
                subscriber=row.subscriber_name,
                channel=row.record.channel.value,
                format=row.record.format,
                version=row.record.version,
                delivered_at=row.record.delivered_at,
                count=row.record.deliveries,
                webhook=attempts.get((row.record.principal_id, row.record.seq or -1)),
            )
            for row in rows
        ]
        # A webhook attempt that failed has no usage record (nothing was delivered): show it.
        delivered = {(row.record.principal_id, row.record.seq) for row in rows}
        names = {row.record.principal_id: row.subscriber_name for row in rows}
        for (principal_id, seq), attempt in attempts.items():
            if (principal_id, seq) not in delivered:
                deliveries.append(
                    Delivery(
                        names.get(principal_id, principal_id),
                        "webhook",
                        "",
                        by_seq[seq].event.version,
                        attempt.created_at,
                        0,
                        attempt,
                    )
                )
        deliveries.sort(key=lambda delivery: delivery.delivered_at)
        return StoryRecord(versions, events, deliveries)

    async def diff(self, story_id: str, old: int, new: int) -> dict[str, Any]:
        """Return what changed between two versions of a story."""
        if old == new:
            raise Invalid("choose two different versions", "from")
        before = await self.stories.version(story_id, old)
        after = await self.stories.version(story_id, new)
        if before is None or after is None:
            raise NotFound(f"story {story_id} has no version {old if before is None else new}")
        return diff_versions(before, after)
