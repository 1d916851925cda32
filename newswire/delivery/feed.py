"""The pull feed and the subscriber's Atom feed: the log read from a cursor, a page at a time.

A page holds no more than the daily quota allows; a page cut short by the
quota ends with a safe `next` (the resume cursor of its last delivery, so
nothing is skipped when the subscriber comes back after the reset), and a
request once the quota is used up raises QuotaExhausted.
"""

from __future__ import annotations

from dataclasses import dataclass

from newswire.accounts.access import AccessWatcher
from newswire.accounts.metering import Meter, Metering
from newswire.bus import Bus
from newswire.delivery.formats import Agency
from newswire.delivery.formats.atom import atom_feed
from newswire.delivery.reader import Delivery, LogReader, Page, usage_items
from newswire.models.errors import Unauthorized
from newswire.models.principals import Principal
from newswire.models.stories import StoryVersion
from newswire.models.usage import Channel
from newswire.search.beats import Beat
from newswire.search.service import Searches
from newswire.storage.interfaces import LogStore

# How far back in the log the Atom feed looks for the latest stories.
ATOM_WINDOW = 2_000


def trim(page: Page, count: int) -> Page:
    """Keep the first `count` deliveries of a page; `next` becomes the last kept one's cursor.

    The resume cursor (not the seq) of the last delivery kept: after a flash
    item overtook routine ones it is below the seq, so nothing is skipped.
    """
    if count >= len(page.deliveries):
        return page
    kept = page.deliveries[: max(count, 0)]
    return Page(kept, kept[-1].resume_cursor if kept else page.next)


async def metered(meter: Meter, page: Page) -> Page:
    """Take a page's deliveries from the quota, trim it to what is granted, record them."""
    granted = await meter.grant(len(page.deliveries))
    if page.deliveries and not granted:
        raise meter.quotas.exhausted(meter.principal)
    page = trim(page, granted)
    meter.delivered(usage_items(page.deliveries), cursor=page.next)
    return page


@dataclass(frozen=True)
class FeedLimits:
    """The most a feed request may ask for."""

    max_limit: int = 500
    max_wait: float = 30.0


@dataclass(eq=False)
class Feed:
    """Pages of the log for one caller: the pull feed, and the latest stories for Atom."""

    log: LogStore
    bus: Bus
    access: AccessWatcher
    metering: Metering
    searches: Searches
    agency: Agency
    limits: FeedLimits

    async def reader(self, principal: Principal, search_id: str | None = None) -> LogReader:
        """Return a reader of what the caller may receive (on a saved search's beat, if given)."""
        beat = None
        if search_id:
            saved = await self.searches.owned(principal, search_id, "search")
            beat = Beat(saved, self.log.entries_for_story)
        return LogReader(self.log, self.bus, principal, beat=beat)

    async def page(
        self,
        principal: Principal,
        after: int,
        limit: int,
        wait: float,
        format_name: str,
        search_id: str | None = None,
    ) -> Page:
        """Return the caller's next page after a cursor, long-polling up to `wait` seconds.

        A key that stopped working while the request waited raises Unauthorized.
        """
        reader = await self.reader(principal, search_id)
        meter = self.metering.meter(principal, Channel.FEED, format_name)
        most = await meter.allow(min(limit, self.limits.max_limit))
        page = await reader.read_or_wait(after, most, min(wait, self.limits.max_wait))
        if wait and not await self.access.still_active(principal):
            raise Unauthorized("this key stopped working while the request waited")
        return await metered(meter, page)

    async def atom(self, principal: Principal, limit: int, self_url: str) -> bytes:
        """Return the caller's Atom feed: the latest version of each recent story, newest first."""
        meter = self.metering.meter(principal, Channel.ATOM, "atom")
        limit = await meter.allow(limit)
        head = await self.log.last_seq()
        reader = LogReader(self.log, self.bus, principal)
        latest: dict[str, tuple[int, StoryVersion]] = {}
        cursor = max(head - ATOM_WINDOW, 0)
        while cursor < head:
            page = await reader.read(cursor, 500)
            for delivery in page.deliveries:
                latest[delivery.entry.story.story_id] = (delivery.seq, delivery.entry.story)
            if page.next <= cursor:
                break
            cursor = page.next
        newest = sorted(latest.values(), key=lambda pair: pair[0], reverse=True)[:limit]
        newest = newest[: await meter.grant(len(newest))]
        meter.delivered([(story.story_id, story.version, seq) for seq, story in newest])
        return atom_feed(
            newest,
            title=f"{self.agency.name} wire for {principal.name}",
            feed_id=f"urn:newswire:{self.agency.code}:feed:{principal.id}",
            self_url=self_url,
            agency=self.agency,
        )


__all__ = ["ATOM_WINDOW", "Delivery", "Feed", "FeedLimits", "metered", "trim"]
