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
import weakref
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from enum import StrEnum
from typing import Any, Generic, TypeVar

from newswire.accounts.metering import Meter
from newswire.delivery.fanout import fanout_for
from newswire.delivery.reader import Delivery, LogReader, flash_first
from newswire.models.principals import Principal
from newswire.models.stories import LogEntry
from newswire.runtime import Runtime
from newswire.search.beats import Beat, SavedSearch
from newswire.storage import Storage

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


class SharedLog:
    """The log reads of many connections, coalesced: identical reads in flight run once.

    When an event is announced, every connection wakes and asks for the same
    page after the same cursor (and the same story history); one query
    answers all of them. Only reads in flight are shared, so nothing is kept
    and nothing goes stale.
    """

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self._inflight: dict[tuple[object, ...], asyncio.Future[list[LogEntry]]] = {}

    async def _once(
        self, key: tuple[object, ...], read: Callable[[], Awaitable[list[LogEntry]]]
    ) -> list[LogEntry]:
        future = self._inflight.get(key)
        if future is None:
            future = asyncio.ensure_future(read())
            self._inflight[key] = future
            future.add_done_callback(lambda _done: self._inflight.pop(key, None))
        # Shielded: one waiter leaving must not cancel the read for the others.
        return await asyncio.shield(future)

    async def log_entries_after(self, seq: int, limit: int) -> list[LogEntry]:
        """Return up to limit log entries after seq (shared with identical reads in flight)."""
        return await self._once(
            ("after", seq, limit), lambda: self.storage.log_entries_after(seq, limit)
        )

    async def log_entries_for_story(self, story_id: str, before_seq: int) -> list[LogEntry]:
        """Return a story's log entries before a seq (shared with identical reads in flight)."""
        return await self._once(
            ("story", story_id, before_seq),
            lambda: self.storage.log_entries_for_story(story_id, before_seq),
        )

    async def log_entries_for_stories(
        self, story_ids: Sequence[str], before_seq: int
    ) -> list[LogEntry]:
        """Return stories' log entries before a seq (shared with identical reads in flight)."""
        ids = tuple(story_ids)
        return await self._once(
            ("stories", ids, before_seq),
            lambda: self.storage.log_entries_for_stories(ids, before_seq),
        )


_SHARED_LOGS: weakref.WeakKeyDictionary[Storage, SharedLog] = weakref.WeakKeyDictionary()


def shared_log(storage: Storage) -> SharedLog:
    """Return the coalescing view of a storage's log (one per storage)."""
    shared = _SHARED_LOGS.get(storage)
    if shared is None:
        shared = _SHARED_LOGS[storage] = SharedLog(storage)
    return shared


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
        runtime: Runtime,
        principal: Principal,
        after: int,
        render: Callable[[Delivery], Frame],
        buffer: int,
        search: SavedSearch | None = None,
        meter: Meter | None = None,
    ) -> None:
        self.runtime = runtime
        self.principal = principal
        self.search = search  # follow only this saved search's beat
        self.cursor = after  # the last event the producer has looked at
        self.render = render
        self.meter = meter  # counts what is sent against the quota and into usage
        # Each frame travels with its delivery, which the meter records once sent.
        self.queue: asyncio.Queue[tuple[Delivery, Frame]] = asyncio.Queue(maxsize=max(1, buffer))
        # Set while the fan-out feeds this subscription: resolved with what the
        # buffer could not take (overflow), or failed when the log cannot be read.
        self._handback: asyncio.Future[list[Delivery]] | None = None

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
        storage = self.runtime.storage
        fanout = fanout_for(storage, shared_log(storage).log_entries_after, self.runtime.bus)
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
        # The same LogReader (and entitlement check) as runtime.reader_for, over
        # the coalescing view of the log; not bound to self, as an audience keeps it.
        runtime, principal, search = self.runtime, self.principal, self.search

        def make() -> LogReader:
            shared: Any = shared_log(runtime.storage)
            beat = Beat(search, shared.log_entries_for_story) if search else None
            return LogReader(shared, runtime.bus, principal, beat=beat)

        return make

    def take(
        self,
        deliveries: list[Delivery],
        ordered: list[Delivery],
        after: int,
        upto: int,
        frames: dict[tuple[object, int], Any],
    ) -> bool:
        """Queue a page the fan-out read after `after` up to `upto`; False when the buffer is full.

        `deliveries` are the page's deliveries in log order, `ordered` the same
        flash-first after `after`; `frames` holds the renderings of `ordered`
        already made for this page by connections with the same render
        function. A subscription already past `after` takes only what is new
        to it, ordered after its own cursor.
        """
        if self.cursor >= upto:
            return True
        if self.cursor > after:
            newer = [Delivery(d.entry, d.type) for d in deliveries if d.seq > self.cursor]
            ordered, frames = flash_first(newer, self.cursor), {}
        for index, delivery in enumerate(ordered):
            key = (self.render, index)
            frame = frames.get(key)
            if frame is None:
                frame = frames[key] = self.render(delivery)
            try:
                self.queue.put_nowait((delivery, frame))
            except asyncio.QueueFull:
                self.cursor = upto
                self._hand_back(ordered[index:])
                return False
        self.cursor = upto
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
            self.meter.delivered([delivery for delivery, _ in items[:granted]])
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
        revoked = self.runtime.access.watch(self.principal)
        parts: list[tuple[Coroutine[Any, Any, object], Ending, str]] = [
            (revoked.wait(), Ending.REVOKED, "access"),
            (self.produce(), Ending.FAILED, "producer"),
            (self.forward(send, heartbeat, heartbeat_seconds), Ending.FAILED, "sender"),
            (disconnected, Ending.DISCONNECTED, "listener"),
            (self.runtime.stopping.wait(), Ending.STOPPING, "stopping"),
        ]
        tasks = {
            asyncio.create_task(coro, name=f"{name}:{part}"): ending for coro, ending, part in parts
        }
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.runtime.access.unwatch(self.principal, revoked)
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
