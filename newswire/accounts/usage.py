"""Usage accounting: which subscriber received which story version, how, in which format, when.

Every full story version handed to a subscriber (a feed page item, a story
fetched by id, an SSE or WebSocket frame, a webhook answered 2xx) is counted
in a `UsageRecord`: the record an agency bills and answers complaints from.
Deliveries of the same version to the same subscriber through the same
channel and format within one batch share a record and its count.

Writing one row per delivery would put a database write on the hot path
(a thousand SSE clients times every event, all queued behind SQLite's single
writer). The `UsageRecorder` instead buffers records in memory and writes
them in one transaction per batch: every `NEWSWIRE_USAGE_FLUSH_SECONDS`, as
soon as `NEWSWIRE_USAGE_FLUSH_ROWS` are waiting, when someone needs exact
figures (`GET /v1/account`, `GET /v1/admin/usage`), and on shutdown. The same
transaction adds the batch to the per-day counters (`usage_daily`, which the
daily quota reads) and stores the last cursor served per subscriber and
channel.

What a crash can lose: the records of the last flush interval (at most about
a second, or the rows of one unfinished batch) of the process that crashed.
A `kill -9` does not run the shutdown flush. Deliveries themselves are never
lost or repeated by this; only their accounting. While the database is
unreachable the buffer is kept and retried, up to `MAX_PENDING_RECORDS`
records; beyond that the oldest are dropped, and a warning says how many.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from newswire.jobs.supervisor import pause
from newswire.models.clock import Clock
from newswire.models.usage import Channel, ServedCursor, UsageRecord, utc_day
from newswire.storage.interfaces import UsageStore

log = logging.getLogger("newswire.accounts.usage")

# Records kept while the database cannot be written; beyond, the oldest go.
MAX_PENDING_RECORDS = 500_000


# What a delivery is, as the recorder needs it: story id, version, seq.
Item = tuple[str, int, int | None]


class UsageRecorder:
    """Buffers usage records and served cursors in memory and writes them in batches."""

    def __init__(
        self,
        store: UsageStore,
        clock: Clock,
        flush_seconds: float = 1.0,
        flush_rows: int = 1000,
    ) -> None:
        self.store = store
        self.clock = clock
        self.flush_seconds = flush_seconds
        self.flush_rows = max(1, flush_rows)
        self._records: dict[tuple[object, ...], UsageRecord] = {}
        self._cursors: dict[tuple[str, Channel], ServedCursor] = {}
        # Per (subscriber, day): records this process made, and how many are written.
        # The daily quota adds what is not written yet to what the database says.
        self._recorded: Counter[tuple[str, str]] = Counter()
        self._flushed: Counter[tuple[str, str]] = Counter()
        self._wake = asyncio.Event()
        # Held while a batch is written, so a quota refresh reads the database
        # and `flushed` at one consistent moment.
        self.lock = asyncio.Lock()

    def record(
        self, principal_id: str, channel: Channel, format_name: str, items: Iterable[Item]
    ) -> int:
        """Buffer one record per delivered item (no I/O); return how many."""
        now = self.clock()
        day = utc_day(now)
        added = 0
        for story_id, version, seq in items:
            key = (principal_id, channel, format_name, story_id, version, seq, day)
            held = self._records.get(key)
            if held is None:
                self._records[key] = UsageRecord(
                    principal_id, channel, format_name, story_id, version, seq, now
                )
            else:
                self._records[key] = replace(held, deliveries=held.deliveries + 1)
            added += 1
        if not added:
            return 0
        self._recorded[(principal_id, day)] += added
        if len(self._records) >= self.flush_rows:
            self._wake.set()
        return added

    def _add(self, record: UsageRecord) -> None:
        """Put a record back into the buffer (after a failed write), merging its count."""
        key = (
            record.principal_id,
            record.channel,
            record.format,
            record.story_id,
            record.version,
            record.seq,
            utc_day(record.delivered_at),
        )
        held = self._records.get(key)
        if held is None:
            self._records[key] = record
        else:
            self._records[key] = replace(held, deliveries=held.deliveries + record.deliveries)

    def served(self, principal_id: str, channel: Channel, cursor: int) -> None:
        """Remember the last cursor served on a channel (only the latest is written)."""
        self._cursors[(principal_id, channel)] = ServedCursor(
            principal_id, channel, cursor, self.clock()
        )

    def forget(self, principal_id: str) -> None:
        """Drop the unwritten cursors of a deleted subscriber (its records stay, for billing)."""
        for key in [key for key in self._cursors if key[0] == principal_id]:
            del self._cursors[key]

    def recorded(self, principal_id: str, day: str) -> int:
        """Return how many records this process made for a subscriber on a day."""
        return self._recorded[(principal_id, day)]

    def flushed(self, principal_id: str, day: str) -> int:
        """Return how many of those are already in the database."""
        return self._flushed[(principal_id, day)]

    @property
    def pending(self) -> int:
        """The number of records not written yet."""
        return len(self._records)

    async def flush(self) -> int:
        """Write everything buffered in one transaction; return the records written.

        On failure the batch goes back to the buffer, to be retried.
        """
        async with self.lock:
            records, self._records = list(self._records.values()), {}
            cursors, self._cursors = list(self._cursors.values()), {}
            if not records and not cursors:
                return 0
            try:
                await self.store.record(records, cursors)
            except BaseException:
                self._restore(records, cursors)
                raise
            written: Counter[tuple[str, str]] = Counter()
            for record in records:
                written[(record.principal_id, utc_day(record.delivered_at))] += record.deliveries
            self._flushed.update(written)
            self._forget_past_days()
            return len(records)

    def _restore(self, records: list[UsageRecord], cursors: list[ServedCursor]) -> None:
        newer, self._records = self._records, {}
        for record in [*records, *newer.values()]:
            self._add(record)
        for cursor in cursors:
            self._cursors.setdefault((cursor.principal_id, cursor.channel), cursor)
        overflow = len(self._records) - MAX_PENDING_RECORDS
        if overflow > 0:
            log.warning("usage buffer full: dropping the %d oldest usage records", overflow)
            for key in list(self._records)[:overflow]:
                del self._records[key]

    def _forget_past_days(self) -> None:
        today = utc_day(self.clock())
        for key in [key for key in self._recorded if key[1] < today]:
            if self._recorded[key] <= self._flushed[key]:
                del self._recorded[key]
                self._flushed.pop(key, None)

    async def run(self, stop: asyncio.Event) -> None:
        """Flush every flush_seconds, or as soon as a batch is full, until stop is set."""
        while not stop.is_set():
            await pause(self._wake, self.flush_seconds)
            self._wake.clear()
            try:
                await self.flush()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the database is down: keep the batch, try again
                log.warning("usage records not written yet (%d waiting): %r", self.pending, error)
