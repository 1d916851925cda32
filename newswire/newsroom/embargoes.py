"""The embargo scheduler: release each embargoed story on time, exactly once.

The schedule lives in the database (the current version's `embargoed_until`),
not in memory, so a restart during an embargo changes nothing: the next loop
finds the story due and releases it. Several schedulers may run (one per
worker); storage accepts only one version N+1, so exactly one release is filed.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from newswire.bus import Bus
from newswire.models.clock import Clock
from newswire.newsroom.filing import Newsroom, NotEmbargoed, StoryKilled, StoryNotFound
from newswire.storage.errors import VersionConflict
from newswire.storage.interfaces import EmbargoStore

log = logging.getLogger("newswire.newsroom.embargoes")

# The longest the scheduler sleeps: an embargo filed while it sleeps is still
# released within this time of being due (bus announcements wake it sooner).
MAX_SLEEP_SECONDS = 0.5


@dataclass(eq=False)
class EmbargoScheduler:
    """Releases embargoed stories as their time comes (a background job)."""

    newsroom: Newsroom
    embargoes: EmbargoStore
    bus: Bus
    clock: Clock

    async def release_due(self, now: datetime) -> list[str]:
        """Release every story whose embargo time has come; return the ids this call released."""
        released = []
        for story_id in await self.embargoes.due_for_release(now):
            try:
                await self.newsroom.release_story(story_id)
            except (VersionConflict, NotEmbargoed, StoryKilled, StoryNotFound):
                continue  # another scheduler released it first, or it changed meanwhile
            log.info("released story %s from embargo", story_id)
            released.append(story_id)
        return released

    async def run(self, stop: asyncio.Event) -> None:
        """Release embargoed stories as their time comes, until stop is set."""
        while not stop.is_set():
            await self.release_due(self.clock())
            next_release = await self.embargoes.next_release()
            delay = MAX_SLEEP_SECONDS
            if next_release is not None:
                delay = min(delay, max((next_release - self.clock()).total_seconds(), 0.0))
            if delay > 0:
                await self.bus.wait_beyond(self.bus.latest, delay)
