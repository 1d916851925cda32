"""The log reader: every channel's way of following the wire from a cursor.

The feed, SSE, WebSocket, webhooks and Atom all read the log through this
class, so they deliver the same events in the same order with the same
entitlement decisions. A cursor is the sequence number of the last event the
reader has *looked at* (delivered or not), so following `next` never re-reads
and never skips.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from newswire.bus import Bus
from newswire.delivery.entitlement import WHOLE_HISTORY, Visibility
from newswire.delivery.withdrawn import withdrawn
from newswire.models.principals import Principal, Role
from newswire.models.stories import EventType, LogEntry
from newswire.search.beats import Beat
from newswire.storage.interfaces import LogReads

# When no bus announcement arrives (another process wrote, or a bus message
# was lost), readers still look at the log this often.
POLL_SECONDS = 1.0
# The smallest first read of a page: a few events more than a tiny page asks
# for cost nothing and save a second read when some are not for the reader.
MIN_FIRST_READ = 20


@dataclass(frozen=True)
class Delivery:
    """A log entry as one principal receives it."""

    entry: LogEntry
    type: EventType
    cursor: int | None = None

    @property
    def seq(self) -> int:
        """The entry's sequence number: its place in the log."""
        return self.entry.event.seq

    @property
    def resume_cursor(self) -> int:
        """The cursor to resume from after this delivery (all entries up to it were sent)."""
        return self.seq if self.cursor is None else self.cursor


@dataclass(frozen=True)
class Page:
    """What one read returned and where the next read starts."""

    deliveries: list[Delivery]
    next: int


def _tier(delivery: Delivery) -> int:
    # Flash (1), urgent (2) and important (3) ahead of routine (4-9).
    return min(delivery.entry.story.urgency, 4)


def flash_first(deliveries: list[Delivery], after: int) -> list[Delivery]:
    """Order a page so urgent items never wait behind routine ones, and set safe cursors.

    Within the page, deliveries are sorted by urgency tier, then log order; a
    story's earlier events move up with its most urgent later event, so each
    story's versions still arrive in order. Each delivery's cursor is the
    highest sequence number up to which every delivery of the page has been
    sent once it is delivered, so resuming from any delivery's cursor can repeat an item (its
    `seq` tells) but never skip one. Without urgent items this is log order
    and every cursor equals its seq.
    """
    if not deliveries:
        return deliveries
    story_tier: dict[str, int] = {}
    keyed = []
    for delivery in reversed(deliveries):
        story_id = delivery.entry.story.story_id
        tier = min(_tier(delivery), story_tier.get(story_id, 9))
        story_tier[story_id] = tier
        keyed.append(((tier, delivery.seq), delivery))
    ordered = [delivery for _, delivery in sorted(keyed, key=lambda pair: pair[0])]
    pending = sorted(delivery.seq for delivery in deliveries)
    sent: set[int] = set()
    low = 0  # index into pending of the first seq not yet sent
    result = []
    for delivery in ordered:
        sent.add(delivery.seq)
        while low < len(pending) and pending[low] in sent:
            low += 1
        highest_sent = max(sent)
        # Everything up to the first unsent delivery is done; never claim past what
        # was actually sent, so in log order the cursor is exactly the seq.
        cursor = highest_sent if low == len(pending) else min(pending[low] - 1, highest_sent)
        result.append(Delivery(delivery.entry, delivery.type, max(cursor, after)))
    return result


class LogReader:
    """Reads the log after a cursor for one principal, through the one entitlement check."""

    def __init__(
        self,
        log: LogReads,
        bus: Bus,
        principal: Principal,
        batch: int = 200,
        beat: Beat | None = None,
    ) -> None:
        self.log = log
        self.bus = bus
        self.visibility = Visibility(principal, log.entries_for_story, log.entries_for_stories)
        self.batch = batch
        # A saved search narrows what the principal receives to its beat.
        self.beat = beat

    async def read(self, after: int, limit: int) -> Page:
        """Return up to limit deliveries after the cursor, scanning past events not for us."""
        deliveries: list[Delivery] = []
        cursor = after
        # The first read asks for no more than the page needs (a subscriber who
        # receives everything gets its page from one short read); then in batches.
        batch = min(self.batch, max(limit, MIN_FIRST_READ))
        while len(deliveries) < limit:
            entries = await self.log.entries_after(cursor, batch)
            await self.visibility.learn(entries)  # one history query for the new stories
            for entry in entries:
                delivered = await self._delivered_type(entry)
                cursor = entry.event.seq
                if delivered is not None:
                    deliveries.append(Delivery(self.visibility.shown(entry), delivered))
                    if len(deliveries) == limit:
                        break
            if len(entries) < batch:
                break
            batch = self.batch
        deliveries = await self._without_killed_text(deliveries)
        return Page(flash_first(deliveries, after), cursor)

    async def _without_killed_text(self, deliveries: list[Delivery]) -> list[Delivery]:
        """Put the kill notice in place of each delivered version of a story killed since.

        A replay must not hand a subscriber text the agency withdrew (see
        `withdrawn.py`). Only events older than the log head can have a kill
        after them, so a reader at the head (every live page) looks no further
        than its own page. (A kill written by another node that this node has not
        heard of on the bus yet is missed until the next read, as it would be live.)
        """
        if self.visibility.principal.role is not Role.SUBSCRIBER or not deliveries:
            return deliveries
        kills = {
            d.entry.story.story_id: d.entry.story for d in deliveries if d.entry.story.is_killed
        }
        ids = sorted({d.entry.story.story_id for d in deliveries} - kills.keys())
        if ids and max(delivery.seq for delivery in deliveries) < self.bus.latest:
            for entry in await self.log.entries_for_stories(ids, WHOLE_HISTORY):
                if entry.story.is_killed:
                    kills[entry.story.story_id] = entry.story
        if not kills:
            return deliveries
        return [
            dataclasses.replace(
                delivery,
                entry=dataclasses.replace(
                    delivery.entry, story=withdrawn(delivery.entry.story, kills[story_id])
                ),
            )
            if (story_id := delivery.entry.story.story_id) in kills
            else delivery
            for delivery in deliveries
        ]

    async def decide(self, entries: list[LogEntry]) -> list[Delivery]:
        """Return the deliveries of consecutive log entries: all of them, in log order.

        The same decisions `read` makes, for entries read elsewhere: the fan-out
        reads the head of the log once and asks one reader per audience.
        """
        await self.visibility.learn(entries)
        deliveries = []
        for entry in entries:
            delivered = await self._delivered_type(entry)
            if delivered is not None:
                deliveries.append(Delivery(self.visibility.shown(entry), delivered))
        return await self._without_killed_text(deliveries)

    async def _delivered_type(self, entry: LogEntry) -> EventType | None:
        delivered = await self.visibility.delivered_type(entry)
        if delivered is not None and self.beat is not None:
            delivered = delivered if await self.beat.admits(entry) else None
        return delivered

    async def read_or_wait(self, after: int, limit: int, wait: float) -> Page:
        """Like read, but when nothing is there, wait up to `wait` seconds for something."""
        deadline = time.monotonic() + wait
        page = await self.read(after, limit)
        while not page.deliveries:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            await self.bus.wait_beyond(page.next, min(remaining, POLL_SECONDS))
            page = await self.read(page.next, limit)
        return page


def usage_items(deliveries: list[Delivery]) -> list[tuple[str, int, int | None]]:
    """Return what usage records of deliveries: (story id, version, seq) each."""
    return [(d.entry.story.story_id, d.entry.story.version, d.seq) for d in deliveries]
