"""A live subscription: one streaming connection's reader of the log, with a bounded buffer.

SSE and WebSocket both follow the wire through this class. A producer task
reads the log with the connection's own `LogReader` (so the one entitlement
check decides what is sent) and puts rendered frames in a bounded queue; a
sender task takes them out and writes them to the client. Once the producer
has read up to the head of the log, the process's fan-out (`fanout.py`)
reads each new page once and hands it over, decided by the same kind of
reader; the connection's cursor moves exactly as its own reader would move
it, so there is no seam between replay and live where an event could be
missed or sent twice.

A client that stops reading eventually blocks its sender; its queue then
fills, and after a short grace the subscription ends with `Ending.OVERFLOW`
so the channel can close the connection. The client resumes from the last
cursor it received. Nothing a slow client does reaches another connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from newswire.accounts.access import AccessWatcher
from newswire.accounts.metering import Meter, Metering
from newswire.bus import Bus
from newswire.delivery.cursors import parse_cursor
from newswire.delivery.fanout import Fanout, Page
from newswire.delivery.reader import Delivery, LogReader, usage_items
from newswire.delivery.shared_log import SharedLog
from newswire.models.errors import QuotaExhausted
from newswire.models.principals import Principal
from newswire.models.usage import Channel
from newswire.search.beats import Beat, SavedSearch
from newswire.search.service import Searches
from newswire.storage.interfaces import LogStore

log = logging.getLogger("newswire.streams")

Frame = TypeVar("Frame")

# Events read from the log per query while catching up.
READ_BATCH = 100
# How long a full buffer may stay full before the client counts as stalled.
# A client that reads at all empties it far faster; one that stops does not.
OVERFLOW_GRACE_SECONDS = 1.0
# A reader remembers which stories it delivered; start a fresh one now and
# then so a connection open for weeks does not grow without bound.
READER_RENEWAL_DELIVERIES = 5_000


class Ending(StrEnum):
    """Why a subscription stopped."""

    DISCONNECTED = "disconnected"
    OVERFLOW = "overflow"
    STOPPING = "stopping"
    FAILED = "failed"
    REVOKED = "revoked"  # the key was suspended, revoked, deleted or rotated away
    QUOTA = "quota_exhausted"  # the subscriber's daily download quota is used up


class Subscription(Generic[Frame]):
    """Follows the log after a cursor for one principal and hands rendered frames to a sender."""

    def __init__(
        self,
        streams: Streams,
        principal: Principal,
        after: int,
        render: Callable[[Delivery], Frame],
        search: SavedSearch | None = None,
        meter: Meter | None = None,
    ) -> None:
        self.streams = streams
        self.principal = principal
        self.search = search  # follow only this saved search's beat
        self.cursor = after  # the last event the producer has looked at
        self.render = render
        self.meter = meter  # counts what is sent against the quota and into usage
        # Each frame travels with its delivery, which the meter records once sent.
        self.queue: asyncio.Queue[tuple[Delivery, Frame]] = asyncio.Queue(
            maxsize=max(1, streams.buffer)
        )
        # Set while the fan-out feeds this subscription: resolved with what the
        # buffer could not take (overflow), or failed when the log cannot be read.
        self._handback: asyncio.Future[list[Delivery]] | None = None

    def quota_error(self) -> QuotaExhausted:
        """Return why a subscription that ended with QUOTA ended (limit, reset time)."""
        if self.meter is None:  # pragma: no cover - only metered subscriptions end so
            raise RuntimeError("an unmetered subscription has no quota")
        return self.meter.quotas.exhausted(self.principal)

    def _new_reader(self) -> LogReader:
        return self._reader_factory()()

    async def _put(self, frame: tuple[Delivery, Frame]) -> bool:
        try:
            self.queue.put_nowait(frame)
            return True
        except asyncio.QueueFull:
            pass
        try:
            async with asyncio.timeout(OVERFLOW_GRACE_SECONDS):
                await self.queue.put(frame)
            return True
        except TimeoutError:
            return False

    async def produce(self) -> Ending:
        """Read the log into the buffer until the buffer stays full (then return OVERFLOW).

        The backlog is read by this subscription's own reader; once it has
        caught up with the head, the process's fan-out (`fanout.py`) hands it
        the live pages, decided once per audience, until the buffer is full.
        """
        fanout = self.streams.fanout
        reader = self._new_reader()
        delivered = 0
        while True:
            page = await reader.read(self.cursor, READ_BATCH)
            for delivery in page.deliveries:
                if not await self._put((delivery, self.render(delivery))):
                    return Ending.OVERFLOW
            self.cursor = page.next
            delivered += len(page.deliveries)
            if delivered >= READER_RENEWAL_DELIVERIES:
                reader, delivered = self._new_reader(), 0
            if len(page.deliveries) == READ_BATCH:
                continue
            self._handback = asyncio.get_running_loop().create_future()
            if not fanout.join(self, self._audience(), self._reader_factory()):
                continue  # the fan-out is past our cursor: read the gap first
            try:
                left = await self._handback
            finally:
                fanout.leave(self)
                self._handback = None
            for delivery in left:
                if not await self._put((delivery, self.render(delivery))):
                    return Ending.OVERFLOW
            # Our reader did not see what the fan-out delivered: start afresh.
            reader, delivered = self._new_reader(), 0

    def _audience(self) -> tuple[object, ...]:
        # Who receives exactly the same deliveries: the same principal with the
        # same role and entitlements, following the same saved search (if any).
        principal = self.principal
        entitlements = principal.entitlements.model_dump_json()
        return (principal.id, principal.role, entitlements, repr(self.search))

    def _reader_factory(self) -> Callable[[], LogReader]:
        # The same LogReader (and entitlement check) as every channel's, over the
        # coalescing view of the log; not bound to self, as an audience keeps it.
        shared, bus, principal, search = (
            self.streams.log,
            self.streams.bus,
            self.principal,
            self.search,
        )

        def make() -> LogReader:
            beat = Beat(search, shared.entries_for_story) if search else None
            return LogReader(shared, bus, principal, beat=beat)

        return make

    def take(self, page: Page) -> bool:
        """Queue a page the fan-out read; False when the buffer is full.

        The renderings of the page's deliveries already made by connections
        with the same render function are reused (`page.frames`). A
        subscription already past the page's start takes only what is new to
        it, ordered after its own cursor.
        """
        if self.cursor >= page.upto:
            return True
        page = page.seen_from(self.cursor)
        for index, delivery in enumerate(page.ordered):
            key = (self.render, index)
            frame = page.frames.get(key)
            if frame is None:
                frame = page.frames[key] = self.render(delivery)
            try:
                self.queue.put_nowait((delivery, frame))
            except asyncio.QueueFull:
                self.cursor = page.upto
                self._hand_back(page.ordered[index:])
                return False
        self.cursor = page.upto
        return True

    def fail(self, error: BaseException) -> None:
        """End the fan-out's feeding with an error (the log could not be read)."""
        if self._handback is not None and not self._handback.done():
            self._handback.set_exception(error)

    def _hand_back(self, left: list[Delivery]) -> None:
        if self._handback is not None and not self._handback.done():
            self._handback.set_result(left)

    async def forward(
        self,
        send: Callable[[list[Frame]], Awaitable[None]],
        heartbeat: Callable[[], Awaitable[None]],
        heartbeat_seconds: float,
        most: int = 64,
    ) -> Ending:
        """Send buffered frames in batches of up to `most`; call heartbeat when idle."""
        while True:
            if self.queue.empty():
                try:
                    async with asyncio.timeout(heartbeat_seconds):
                        first = await self.queue.get()
                except TimeoutError:
                    await heartbeat()
                    continue
            else:
                # Frames are waiting (a burst, a slow client): no timer to arm.
                first = self.queue.get_nowait()
            items = [first]
            while len(items) < most and not self.queue.empty():
                items.append(self.queue.get_nowait())
            if not await self._send_metered(send, items):
                return Ending.QUOTA

    async def _send_metered(
        self, send: Callable[[list[Frame]], Awaitable[None]], items: list[tuple[Delivery, Frame]]
    ) -> bool:
        """Send what the quota grants of a batch and record it; False when the quota ran out."""
        if self.meter is None:
            await send([frame for _, frame in items])
            return True
        granted = await self.meter.grant(len(items))
        if granted:
            try:
                await send([frame for _, frame in items[:granted]])
            except BaseException:
                self.meter.give_back(granted)
                raise
            sent = [delivery for delivery, _ in items[:granted]]
            self.meter.delivered(usage_items(sent), sent[-1].resume_cursor)
        return granted == len(items)

    async def run(
        self,
        send: Callable[[list[Frame]], Awaitable[None]],
        heartbeat: Callable[[], Awaitable[None]],
        heartbeat_seconds: float,
        disconnected: Coroutine[Any, Any, None],
    ) -> Ending:
        """Produce and forward until the client leaves, overflows, or the process stops."""
        name = f"stream:{self.principal.id}"
        access = self.streams.access
        revoked = access.watch(self.principal)
        parts: list[tuple[Coroutine[Any, Any, object], Ending, str]] = [
            (revoked.wait(), Ending.REVOKED, "access"),
            (self.produce(), Ending.FAILED, "producer"),
            (self.forward(send, heartbeat, heartbeat_seconds), Ending.FAILED, "sender"),
            (disconnected, Ending.DISCONNECTED, "listener"),
            (self.streams.stopping.wait(), Ending.STOPPING, "stopping"),
        ]
        tasks = {
            asyncio.create_task(coro, name=f"{name}:{part}"): ending for coro, ending, part in parts
        }
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            access.unwatch(self.principal, revoked)
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        finished = next(iter(done))
        if finished.cancelled():
            return Ending.FAILED
        error = finished.exception()
        if error is not None:
            if isinstance(error, OSError | ConnectionError):
                return Ending.DISCONNECTED
            log.warning("stream for %s ended: %r", self.principal.id, error)
            return Ending.FAILED
        result = finished.result()
        return result if isinstance(result, Ending) else tasks[finished]


@dataclass(eq=False)
class Streams:
    """Opens the live subscriptions of this process: what SSE and WebSocket share.

    Opening a stream is the same for both: resolve the cursor (none: the
    head of the log, from now on), find the caller's saved search, make the
    meter and refuse at once when the daily quota is used up. The transport
    then only writes frames.
    """

    log: SharedLog
    head: LogStore
    bus: Bus
    fanout: Fanout
    access: AccessWatcher
    metering: Metering
    searches: Searches
    stopping: asyncio.Event
    buffer: int

    async def open(
        self,
        principal: Principal,
        after: str | None,
        channel: Channel,
        format_name: str,
        render: Callable[[Delivery], Frame],
        search_id: str | None = None,
    ) -> Subscription[Frame]:
        """Return a subscription for the caller from a cursor (None: from now on).

        Raises Malformed for a cursor that is not one, NotFound for a saved
        search that is not the caller's, QuotaExhausted when nothing may be sent.
        """
        cursor = await self.head.last_seq() if after in (None, "") else parse_cursor(after)
        search = await self.searches.owned(principal, search_id, "search") if search_id else None
        meter = self.metering.meter(principal, channel, format_name)
        await meter.allow(1)
        return Subscription(self, principal, cursor, render, search, meter)
