"""The log announcer: make sure every committed sequence number reaches the bus.

A node announces a number after its commit; if it crashes in between, or the
bus is briefly away, the announcement is lost. Every node therefore polls the
head of the log and re-announces it when the bus has not carried it yet.
JetStream drops the duplicates (the number is the message id), so several
nodes doing this at once cost nothing but a small query each interval.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol, runtime_checkable

from newswire.bus.base import Bus
from newswire.storage.interfaces import LogStore

log = logging.getLogger("newswire.bus.announcer")

ANNOUNCE_SECONDS = 0.5


@runtime_checkable
class Republishing(Protocol):
    """A bus shared by several processes, which knows what it has carried."""

    @property
    def published(self) -> int:
        """The newest number known to be on the bus."""
        ...


def needs_announcer(bus: Bus) -> bool:
    """Return whether the bus is shared across processes and so needs the announcer."""
    return isinstance(bus, Republishing)


async def announce_log(
    head_of: LogStore, bus: Bus, stop: asyncio.Event, interval: float = ANNOUNCE_SECONDS
) -> None:
    """Until stop is set, announce the log head whenever the bus has not carried it."""
    if not isinstance(bus, Republishing):
        return
    while not stop.is_set():
        try:
            head = await head_of.last_seq()
            if head > bus.published or head > bus.latest:
                await bus.announce(head)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the database or bus is away; try again later
            log.debug("log announcer: %s", error)
        try:
            await asyncio.wait_for(stop.wait(), interval)
        except TimeoutError:
            pass
