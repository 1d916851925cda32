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
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Generic, TypeVar

from newswire.models import Principal
from newswire.reader import POLL_SECONDS, Delivery, LogReader
from newswire.runtime import Runtime

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
        return self.runtime.reader_for(self.principal)

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
        disconnected: Awaitable[None],
    ) -> Ending:
        """Produce and forward until the client leaves, overflows, or the process stops."""
        tasks: dict[asyncio.Task[object], Ending] = {
            asyncio.ensure_future(self.produce()): Ending.FAILED,
            asyncio.ensure_future(self.forward(send, heartbeat, heartbeat_seconds)): Ending.FAILED,
            asyncio.ensure_future(disconnected): Ending.DISCONNECTED,
            asyncio.ensure_future(self.runtime.stopping.wait()): Ending.STOPPING,
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
