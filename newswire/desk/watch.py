"""When to tell a live desk page to look again: the log grew, or a draft changed.

A page waits on two cues at once: the bus, which the wire's fan-out and every
subscriber stream wait on too (a story was filed, updated, killed), and the
desk's own cue (a draft was saved, submitted, moved, locked). Then it asks
storage what changed since it last looked, so a change made on another node
(whose cue it never hears) reaches it within one poll.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from newswire.bus import Bus
from newswire.desk.service import Desk
from newswire.models.clock import Clock

# Times are written by several writers: look a little further back than the last look.
OVERLAP = timedelta(seconds=2)


@dataclass
class DeskWatch:
    """One live page's view of the desk: the log position and the drafts it has seen."""

    bus: Bus
    desk: Desk
    clock: Clock
    seq: int = 0
    since: datetime | None = None
    _seen: set[tuple[str, datetime]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.seq = self.bus.latest
        self.since = self.clock()

    async def changed(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for a cue; tell whether anything changed since."""
        waits = [
            asyncio.ensure_future(self.bus.wait_beyond(self.seq, timeout)),
            asyncio.ensure_future(self.desk.cue.wait(timeout)),
        ]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await wait
        latest = self.bus.latest
        grew = latest > self.seq
        self.seq = latest
        now = self.clock()
        assert self.since is not None
        recent = await self.desk.changed_since(self.since - OVERLAP)
        marks = {(draft.id, draft.updated_at) for draft in recent} | {
            (draft.id + "#lock", draft.lock.until) for draft in recent if draft.lock
        }
        fresh = marks - self._seen
        self._seen = marks
        self.since = now
        return grew or bool(fresh)
