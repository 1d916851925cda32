"""The bus contract: tell every node that the log has grown, and wait for it to grow.

The bus carries only sequence numbers. Whatever a reader sends comes from the
log itself, so a lost or duplicated bus message can delay a delivery by one
poll interval but never lose, reorder or duplicate one.
"""

from __future__ import annotations

from typing import Protocol


class Bus(Protocol):
    """Announces new log sequence numbers to every reader on every node."""

    async def start(self) -> None:
        """Connect; after this, announcements from other nodes arrive."""
        ...

    async def close(self) -> None:
        """Disconnect and wake every waiter."""
        ...

    async def announce(self, seq: int) -> None:
        """Tell every node that the log now reaches seq (call after the commit)."""
        ...

    async def wait_beyond(self, seq: int, timeout: float) -> int:
        """Wait until an announced number exceeds seq or timeout passes; return the newest known."""
        ...

    async def ping(self) -> None:
        """Raise ConnectionError when the bus is not usable."""
        ...

    @property
    def latest(self) -> int:
        """The newest sequence number this node has heard of."""
        ...
