"""What the accounts know, as reports: a subscriber's own account, and the agency's usage records.

Reports that promise exact figures write what this node has buffered first
(`UsageRecorder.flush`), so a subscriber sees the deliveries it just had.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace

from newswire.accounts.quotas import Quotas, QuotaStatus
from newswire.accounts.usage import UsageRecorder
from newswire.models.clock import Clock
from newswire.models.errors import Invalid, NotFound
from newswire.models.principals import Principal
from newswire.models.usage import Channel, ServedCursor, UsageQuery, UsageRow, utc_day
from newswire.models.webhooks import WebhookEndpoint
from newswire.search.beats import SavedSearch
from newswire.storage.errors import Unavailable
from newswire.storage.interfaces import (
    ArchiveStore,
    PrincipalStore,
    StoryStore,
    UsageStore,
    WebhookEndpointStore,
)


@dataclass(frozen=True)
class UsageTotals:
    """Deliveries per channel today and this month (UTC)."""

    day: str
    month: str
    today: Counter[Channel]
    this_month: Counter[Channel]


@dataclass(frozen=True)
class AccountReport:
    """A subscriber's account as it stands: cursors, webhooks, searches, usage, quota."""

    cursors: dict[Channel, ServedCursor]
    webhooks: list[WebhookEndpoint]
    saved_searches: list[SavedSearch]
    usage: UsageTotals
    quota: QuotaStatus


@dataclass(eq=False)
class Reports:
    """Builds account and usage reports from the stores and this node's buffers."""

    usage: UsageStore
    recorder: UsageRecorder
    quotas: Quotas
    principals: PrincipalStore
    stories: StoryStore
    webhooks: WebhookEndpointStore
    archive: ArchiveStore
    clock: Clock

    async def _flushed(self) -> None:
        # Exact figures for this node: write what it has buffered first. A
        # database that cannot be written now keeps the buffer for later.
        with contextlib.suppress(Unavailable):
            await self.recorder.flush()

    async def usage_totals(self, principal: Principal) -> UsageTotals:
        """Return a subscriber's deliveries per channel today and this month."""
        today = utc_day(self.clock())
        month = today[:7]
        today_counts: Counter[Channel] = Counter()
        month_counts: Counter[Channel] = Counter()
        for day, channel, deliveries in await self.usage.deliveries_by_day(
            principal.id, f"{month}-01"
        ):
            month_counts[channel] += deliveries
            if day == today:
                today_counts[channel] += deliveries
        return UsageTotals(today, month, today_counts, month_counts)

    async def account(self, principal: Principal) -> AccountReport:
        """Return a subscriber's account as it stands now, on every node."""
        await self._flushed()
        cursors = {
            cursor.channel: cursor for cursor in await self.usage.served_cursors(principal.id)
        }
        return AccountReport(
            cursors=cursors,
            webhooks=await self.webhooks.endpoints_of(principal.id),
            saved_searches=await self.archive.saved_searches_of(principal.id),
            usage=await self.usage_totals(principal),
            quota=await self.quotas.status(principal),
        )

    async def usage_query(self, query: UsageQuery) -> UsageQuery:
        """Check a usage query (subscriber exists, dates in order); resolve its story to an id."""
        if query.start is not None and query.end is not None and query.end <= query.start:
            raise Invalid("`to` must be later than `from`", "to")
        if query.subscriber is not None and await self.principals.by_id(query.subscriber) is None:
            raise NotFound(f"no subscriber {query.subscriber}", "subscriber")
        if query.story:
            query = replace(query, story=await self.stories.id_for(query.story) or query.story)
        await self._flushed()
        return query

    async def usage_page(self, query: UsageQuery) -> list[UsageRow]:
        """Return one page of usage records (check the query with `usage_query` first)."""
        return await self.usage.records(query)

    async def usage_pages(self, query: UsageQuery) -> AsyncIterator[list[UsageRow]]:
        """Yield every page of usage records matching a checked query, in delivery order."""
        while True:
            rows = await self.usage.records(query)
            if rows:
                yield rows
            if len(rows) < query.limit:
                return
            query = replace(query, after=rows[-1].id)
