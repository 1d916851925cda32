"""The embedded bus: an in-process broadcast of the newest sequence number."""

from __future__ import annotations

import asyncio


class MemoryBus:
    """A bus for one process: announcements wake every waiter in this process."""

    def __init__(self) -> None:
        self._latest = 0
        self._changed = asyncio.Event()

    @property
    def latest(self) -> int:
        """The newest sequence number announced in this process."""
        return self._latest

    async def start(self) -> None:
        """Nothing to connect to."""

    async def close(self) -> None:
        """Wake every waiter so it can notice shutdown."""
        self._changed.set()

    async def ping(self) -> None:
        """The in-process bus is always usable."""

    async def announce(self, seq: int) -> None:
        """Record seq as the newest and wake every waiter."""
        if seq > self._latest:
            self._latest = seq
            # Swap the event so waiters that wake see the new value and later
            # waiters block on a fresh, unset event.
            changed, self._changed = self._changed, asyncio.Event()
            changed.set()

    async def wait_beyond(self, seq: int, timeout: float) -> int:
        """Wait until the newest announced number exceeds seq, or timeout passes."""
        if self._latest > seq or timeout <= 0:
            return self._latest
        changed = self._changed
        try:
            await asyncio.wait_for(changed.wait(), timeout)
        except TimeoutError:
            pass
        return self._latest
