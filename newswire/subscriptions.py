"""A live subscription: one streaming connection's reader of the log, with a bounded buffer.

SSE and WebSocket both follow the wire through this class. A producer task
reads the log with the connection's own `LogReader` (so the one entitlement
check decides what is sent) and puts rendered frames in a bounded queue; a
sender task takes them out and writes them to the client. Because the
producer reads the log rather than a shared in-memory fan-out, replay and
live delivery are the same loop: there is no seam where an event could be
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
from collections.abc import Awaitable, Callable, Coroutine
from enum import StrEnum
from typing import Any, Generic, TypeVar

from newswire.models import LogEntry, Principal
from newswire.reader import POLL_SECONDS, Delivery, LogReader
from newswire.runtime import Runtime
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


class Subscription(Generic[Frame]):
    """Follows the log after a cursor for one principal and hands rendered frames to a sender."""

    def __init__(
        self,
        runtime: Runtime,
        principal: Principal,
        after: int,
        render: Callable[[Delivery], Frame],
        buffer: int,
    ) -> None:
        self.runtime = runtime
        self.principal = principal
        self.cursor = after  # the last event the producer has looked at
        self.render = render
        self.queue: asyncio.Queue[Frame] = asyncio.Queue(maxsize=max(1, buffer))

    def _new_reader(self) -> LogReader:
        # The same LogReader (and entitlement check) as runtime.reader_for,
        # over the coalescing view of the log.
        shared: Any = shared_log(self.runtime.storage)
        return LogReader(shared, self.runtime.bus, self.principal)

    async def _put(self, frame: Frame) -> bool:
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
        """Read the log into the buffer until the buffer stays full (then return OVERFLOW)."""
        reader = self._new_reader()
        delivered = 0
        while True:
            page = await reader.read(self.cursor, READ_BATCH)
            for delivery in page.deliveries:
                if not await self._put(self.render(delivery)):
                    return Ending.OVERFLOW
            self.cursor = page.next
            delivered += len(page.deliveries)
            if delivered >= READER_RENEWAL_DELIVERIES:
                reader, delivered = self._new_reader(), 0
            if len(page.deliveries) < READ_BATCH:
                await self.runtime.bus.wait_beyond(self.cursor, POLL_SECONDS)

    async def forward(
        self,
        send: Callable[[list[Frame]], Awaitable[None]],
        heartbeat: Callable[[], Awaitable[None]],
        heartbeat_seconds: float,
        most: int = 64,
    ) -> Ending:
        """Send buffered frames in batches of up to `most`; call heartbeat when idle."""
        while True:
            try:
                async with asyncio.timeout(heartbeat_seconds):
                    first = await self.queue.get()
            except TimeoutError:
                await heartbeat()
                continue
            frames = [first]
            while len(frames) < most and not self.queue.empty():
                frames.append(self.queue.get_nowait())
            await send(frames)

    async def run(
        self,
        send: Callable[[list[Frame]], Awaitable[None]],
        heartbeat: Callable[[], Awaitable[None]],
        heartbeat_seconds: float,
        disconnected: Coroutine[Any, Any, None],
    ) -> Ending:
        """Produce and forward until the client leaves, overflows, or the process stops."""
        name = f"stream:{self.principal.id}"
        parts: list[tuple[Coroutine[Any, Any, object], Ending, str]] = [
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
