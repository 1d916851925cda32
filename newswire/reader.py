"""The log reader: every channel's way of following the wire from a cursor.

The feed, SSE, WebSocket, webhooks and Atom all read the log through this
class, so they deliver the same events in the same order with the same
entitlement decisions. A cursor is the sequence number of the last event the
reader has *looked at* (delivered or not), so following `next` never re-reads
and never skips.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from newswire.bus import Bus
from newswire.entitlement import Visibility
from newswire.models import EventType, LogEntry, Principal
from newswire.storage import Storage

# When no bus announcement arrives (another process wrote, or a bus message
# was lost), readers still look at the log this often.
POLL_SECONDS = 1.0


@dataclass(frozen=True)
class Delivery:
    """A log entry as one principal receives it."""

    entry: LogEntry
    type: EventType

    @property
    def seq(self) -> int:
        """The entry's sequence number, which is also the cursor after it."""
        return self.entry.event.seq


@dataclass(frozen=True)
class Page:
    """What one read returned and where the next read starts."""

    deliveries: list[Delivery]
    next: int


class LogReader:
    """Reads the log after a cursor for one principal, through the one entitlement check."""

    def __init__(self, storage: Storage, bus: Bus, principal: Principal, batch: int = 200) -> None:
        self.storage = storage
        self.bus = bus
        self.visibility = Visibility(principal, storage.log_entries_for_story)
        self.batch = batch

    async def read(self, after: int, limit: int) -> Page:
        """Return up to limit deliveries after the cursor, scanning past events not for us."""
        deliveries: list[Delivery] = []
        cursor = after
        while len(deliveries) < limit:
            entries = await self.storage.log_entries_after(cursor, self.batch)
            for entry in entries:
                delivered = await self.visibility.delivered_type(entry)
                cursor = entry.event.seq
                if delivered is not None:
                    deliveries.append(Delivery(entry, delivered))
                    if len(deliveries) == limit:
                        break
            if len(entries) < self.batch:
                break
        return Page(deliveries, cursor)

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
