"""The daily download quota: how many full story versions a subscriber may receive per UTC day.

An admin sets `daily_quota` on a subscriber (None: unlimited). Every full
story version delivered counts one, whatever the channel. Used up, the feed
and story endpoints answer 429 until the UTC day ends, live streams end, and
webhook delivery waits for the reset.

How much is used today = what the database's per-day counters say (all
nodes' written usage) + this process's records not written yet + what this
process granted but has not recorded yet (a frame being sent, a webhook
awaiting its answer). The database part is re-read at most every
`refresh_seconds` per subscriber, so a quota is exact on one node and, with
several nodes, may be overshot by what the other nodes deliver within about
a second (their flush interval plus the refresh interval).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from newswire.accounts.usage import UsageRecorder
from newswire.models.clock import Clock
from newswire.models.errors import QuotaExhausted
from newswire.models.principals import Principal, Role
from newswire.models.usage import utc_day
from newswire.storage.interfaces import DeliveryCounts


def next_reset(now: datetime) -> datetime:
    """Return the next UTC midnight after `now`: when a daily quota starts afresh."""
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + timedelta(days=1)


@dataclass(frozen=True)
class QuotaStatus:
    """A subscriber's daily quota as it stands: limit (None: unlimited), used, when it resets."""

    limit: int | None
    used: int
    resets_at: datetime

    @property
    def remaining(self) -> int | None:
        """How many more versions may be delivered today (None: unlimited)."""
        return None if self.limit is None else max(0, self.limit - self.used)


@dataclass
class _Base:
    day: str
    value: int  # the database's count minus what this process had written by then
    read_at: float


def is_limited(principal: Principal) -> bool:
    """Tell whether a principal's deliveries count against a daily quota."""
    return principal.role is Role.SUBSCRIBER and principal.daily_quota is not None


class Quotas:
    """Daily quota accounting for every subscriber served by this process."""

    def __init__(
        self,
        counts: DeliveryCounts,
        recorder: UsageRecorder,
        clock: Clock,
        refresh_seconds: float = 1.0,
    ) -> None:
        self.counts = counts
        self.recorder = recorder
        self.clock = clock
        self.refresh_seconds = refresh_seconds
        self._bases: dict[str, _Base] = {}
        self._reading: dict[tuple[str, str], asyncio.Future[_Base]] = {}
        self._in_flight: Counter[str] = Counter()

    def resets_at(self) -> datetime:
        """Return when the current UTC day's quotas reset."""
        return next_reset(self.clock())

    def exhausted(self, principal: Principal) -> QuotaExhausted:
        """Return the error of a subscriber whose quota is used up (for every channel to raise)."""
        now = self.clock()
        return QuotaExhausted(principal.daily_quota, next_reset(now), now)

    async def used(self, principal_id: str) -> int:
        """Return how many versions a subscriber has been delivered today, on every node."""
        day = utc_day(self.clock())
        base = self._bases.get(principal_id)
        stale = base is None or time.monotonic() - base.read_at > self.refresh_seconds
        if base is None or stale or base.day != day:
            base = await self._refresh(principal_id, day)
        # base + recorded here = the database's count + what is not written yet.
        recorded_here = self.recorder.recorded(principal_id, day)
        return base.value + recorded_here + self._in_flight[principal_id]

    async def _refresh(self, principal_id: str, day: str) -> _Base:
        # A thousand connections of one subscriber asking at once share one read.
        key = (principal_id, day)
        reading = self._reading.get(key)
        if reading is None:
            reading = asyncio.ensure_future(self._read_base(principal_id, day))
            self._reading[key] = reading
            reading.add_done_callback(lambda _done: self._reading.pop(key, None))
        return await asyncio.shield(reading)

    async def _read_base(self, principal_id: str, day: str) -> _Base:
        # Under the recorder's lock no batch is half-written: the database count
        # and what this process has flushed describe the same moment.
        async with self.recorder.lock:
            stored = await self.counts.deliveries_on(principal_id, day)
            base = _Base(day, stored - self.recorder.flushed(principal_id, day), time.monotonic())
        self._bases[principal_id] = base
        return base

    async def status(self, principal: Principal) -> QuotaStatus:
        """Return a subscriber's quota: limit, used today, and when it resets."""
        return QuotaStatus(principal.daily_quota, await self.used(principal.id), self.resets_at())

    async def take(self, principal: Principal, wanted: int) -> int:
        """Grant up to `wanted` deliveries from today's quota; return how many.

        What is granted counts as used at once; call `release` when it has
        been recorded, or when it was not delivered after all.
        """
        if not is_limited(principal) or wanted <= 0:
            return max(wanted, 0)
        assert principal.daily_quota is not None
        # No await between reading `used` and counting the grant: two
        # connections of one subscriber cannot both take the last unit.
        used = await self.used(principal.id)
        granted = max(0, min(wanted, principal.daily_quota - used))
        self._in_flight[principal.id] += granted
        return granted

    def release(self, principal_id: str, count: int) -> None:
        """Stop counting `count` granted deliveries as in flight (recorded or given back)."""
        left = self._in_flight[principal_id] - count
        if left > 0:
            self._in_flight[principal_id] = left
        else:
            self._in_flight.pop(principal_id, None)

    def forget(self, principal_id: str) -> None:
        """Drop what is cached for a subscriber (its quota changed, or it was deleted)."""
        self._bases.pop(principal_id, None)
