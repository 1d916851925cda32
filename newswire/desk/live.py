"""A cue for the desk's live pages: something on the desk changed, look again.

It carries nothing: a woken page asks storage what changed since it last
looked, so a missed cue (another node's change) costs at most one poll.
"""

from __future__ import annotations

import asyncio
import contextlib


class DeskCue:
    """Wakes every waiter at once when a draft changes on this node."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def ring(self) -> None:
        """Tell every waiting page that the desk changed."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, timeout: float) -> None:
        """Return when the desk changes, or after `timeout` seconds."""
        event = self._event
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)
